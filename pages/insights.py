"""Insights: the whole script as charts, with sections ordered for the reader's role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt
import streamlit as st

from cortexreel.domain.rollups import format_eighths
from cortexreel.domain.vocabulary import EMOTIONS
from cortexreel.markup import escape_markdown
from cortexreel.services import insights
from cortexreel.services.insights import ScriptInsights
from cortexreel.ui import state
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_script_page

page = open_script_page()  # first of all (see cortexreel/ui/guard.py)

EMOTION_COLOURS = alt.Scale(
    domain=list(EMOTIONS), range=["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#e6b800"]
)
RISK_SCALE = alt.Scale(domain=["LOW", "MEDIUM", "HIGH", "EXTREME"], range=["#66bb6a", "#ffca28", "#ff7043", "#b71c1c"])
STRIP_SCALE = alt.Scale(
    domain=["INT day", "EXT day", "INT night", "EXT night"], range=["#eeeeee", "#fff176", "#64b5f6", "#81c784"]
)

# Every row of a bar chart or heat map gets its label (Vega-Lite drops labels that would overlap), and scene
# axes count whole scenes (a three-scene script got ticks 1.0, 1.1, …).
ROW_STEP = 22
ROW_AXIS = alt.Axis(labelOverlap=False, labelLimit=220)
SCENE_AXIS = alt.Axis(format="d", tickMinStep=1)

with shown_errors():
    data = insights.script_insights(page.services, page.user, page.script.id)

st.title(f"Insights · {escape_markdown(data.script.title)}")
if not data.scenes:
    st.info("No scenes yet. Charts appear once the screenplay has been read and analysed.")
    st.stop()

role = st.segmented_control(
    "Show first what matters to", list(insights.ROLE_SECTIONS), key=state.INSIGHTS_ROLE, default="Director"
)


def _values(rows: list[dict[str, Any]]) -> alt.InlineData:
    """Inline chart data for Altair (no DataFrame needed)."""
    return alt.InlineData(values=rows)


def overview(data: ScriptInsights) -> None:
    totals = data.rollups.totals
    st.subheader("Overview")
    cells = st.columns(6)
    cells[0].metric("Scenes", totals.scenes)
    cells[1].metric("Pages", totals.pages)
    cells[2].metric("Cast", len(data.rollups.cast))
    cells[3].metric("Locations", len(data.rollups.locations))
    cells[4].metric("Day / night", f"{totals.day_count} / {totals.night_count}")
    cells[5].metric("Hazards", len(data.rollups.risk_register))


def arc(data: ScriptInsights) -> None:
    st.subheader("Emotional arc and tension")
    rows = insights.emotion_rows(data)
    if not rows:
        st.caption("No analysed scenes yet.")
        return
    # Six lines over a long script cannot be read: choose the emotions, and smooth over neighbouring scenes.
    shown = st.pills(
        "Emotions", list(EMOTIONS), selection_mode="multi", default=["tension", "joy"], key=state.ARC_EMOTIONS
    )
    window = 2 if len(data.scenes) > 30 else 0
    score_title = "Score (0–10), averaged over 5 scenes" if window else "Score (0–10)"
    pick = alt.selection_point(fields=["emotion"], bind="legend")
    lines = (
        alt.Chart(_values([row for row in rows if row["emotion"] in (shown or EMOTIONS)]))
        .transform_window(
            smooth="mean(score)", frame=[-window, window], groupby=["emotion"], sort=[alt.SortField("scene")]
        )
        .mark_line(interpolate="monotone", point=len(data.scenes) <= 30)
        .encode(
            x=alt.X("scene:Q", title="Scene", axis=SCENE_AXIS),
            y=alt.Y("smooth:Q", title=score_title, scale=alt.Scale(domain=[0, 10])),
            color=alt.Color("emotion:N", scale=EMOTION_COLOURS, title="Emotion"),
            opacity=alt.condition(pick, alt.value(1), alt.value(0.15)),
            tooltip=["scene:Q", "emotion:N", "score:Q"],
        )
        .add_params(pick)
        .properties(height=260)
    )
    st.altair_chart(lines, width="stretch")
    tension = [row for row in rows if row["emotion"] == "tension"]
    area = (
        alt.Chart(_values(tension))
        .mark_area(line=True, opacity=0.35, color="#d62728")
        .encode(
            x=alt.X("scene:Q", title="Scene", axis=SCENE_AXIS),
            y=alt.Y("score:Q", title="Tension", scale=alt.Scale(domain=[0, 10])),
            tooltip=["scene:Q", "score:Q"],
        )
        .properties(height=160)
    )
    st.altair_chart(area, width="stretch")


def pacing(data: ScriptInsights) -> None:
    st.subheader("Pacing")
    rows = insights.pacing_rows(data)
    left, right = st.columns(2)
    lengths = (
        alt.Chart(_values(rows))
        .mark_bar()
        .encode(
            x=alt.X("scene:O", title="Scene", axis=alt.Axis(labelOverlap=True, labelAngle=0)),
            y=alt.Y("eighths:Q", title="Eighths of a page"),  # a longer title overflows the chart and clips its title
            color=alt.Color("act:N", title="Act"),
            tooltip=["scene:Q", "pages:N", "act:N", "pacing:N"],
        )
        .properties(height=240, title=alt.TitleParams("Scene lengths by act", anchor="start"))
    )
    left.altair_chart(lengths, width="stretch")
    shares = [
        {"scene": row["scene"], "kind": kind, "share": row[kind]} for row in rows for kind in ("dialogue", "action")
    ]
    split = (
        alt.Chart(_values(shares))
        .mark_bar()
        .encode(
            x=alt.X("scene:O", title="Scene", axis=alt.Axis(labelOverlap=True, labelAngle=0)),
            y=alt.Y("share:Q", stack="normalize", title="Share of words", axis=alt.Axis(format="%")),
            color=alt.Color("kind:N", title="", scale=alt.Scale(range=["#5c6bc0", "#bdbdbd"])),
            tooltip=["scene:Q", "kind:N", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(height=240, title=alt.TitleParams("Dialogue vs action", anchor="start"))
    )
    right.altair_chart(split, width="stretch")
    acts = [
        {
            "Act": act.act,
            "Scenes": act.scene_count,
            "Pages": act.pages,
            "Dialogue share": f"{act.average_dialogue_share:.0%}",
            "Average conflict": "—" if act.average_conflict is None else act.average_conflict,
        }
        for act in data.rollups.acts
    ]
    st.dataframe(acts, hide_index=True, width="stretch")


def characters(data: ScriptInsights) -> None:
    st.subheader("Characters")
    presence = insights.presence_rows(data)
    if not presence:
        st.caption("No characters found.")
        return
    order = [entry.name for entry in data.rollups.cast]
    heat = (
        alt.Chart(_values(presence))
        .mark_rect()
        .encode(
            x=alt.X("scene:O", title="Scene", axis=alt.Axis(labelOverlap=True, labelAngle=0)),
            y=alt.Y("character:N", sort=order, title=None, axis=ROW_AXIS),
            color=alt.Color("lines:Q", title="Lines", scale=alt.Scale(scheme="oranges"), legend=alt.Legend(format="d")),
            tooltip=["character:N", "scene:Q", "lines:Q"],
        )
        .properties(height=alt.Step(ROW_STEP), title=alt.TitleParams("Who is in which scene", anchor="start"))
    )
    st.altair_chart(heat, width="stretch")
    nodes, edges = insights.network_layout(data)
    left, right = st.columns([3, 2])
    if edges:
        edge_layer = (
            alt.Chart(_values(edges))
            .mark_rule(color="#90a4ae")
            .encode(
                x=alt.X("x:Q", axis=None),
                y=alt.Y("y:Q", axis=None),
                x2="x2:Q",
                y2="y2:Q",
                strokeWidth=alt.StrokeWidth("scenes:Q", title="Shared scenes", scale=alt.Scale(range=[0.5, 6])),
                tooltip=["source:N", "target:N", "scenes:Q"],
            )
        )
        node_frame = _values(nodes)
        node_layer = (
            alt.Chart(node_frame)
            .mark_circle(color="#e53935", opacity=0.9)
            .encode(
                x="x:Q",
                y="y:Q",
                size=alt.Size("scenes:Q", legend=None, scale=alt.Scale(range=[80, 900])),
                tooltip=["character:N", "scenes:Q"],
            )
        )
        text_layer = alt.Chart(node_frame).mark_text(dy=-16, fontSize=11).encode(x="x:Q", y="y:Q", text="character:N")
        left.altair_chart(
            (edge_layer + node_layer + text_layer).properties(height=340, title="Relationships"),
            width="stretch",
        )
    cast = [
        {
            "Character": entry.name,
            "Scenes": entry.scene_count,
            "Lines": entry.dialogue_lines,
            "Pages": format_eighths(entry.total_eighths),
            "First–last": f"{entry.first_scene}–{entry.last_scene}",
        }
        for entry in data.rollups.cast
    ]
    right.dataframe(cast, hide_index=True, width="stretch", height=340)


def locations(data: ScriptInsights) -> None:
    st.subheader("Locations")
    rows = insights.location_rows(data)
    split = [
        {**row, "strip": f"{row['setting'].split('/')[0]} {row['day_night']}"}
        for row in insights.setting_time_counts(data)
    ]
    left, right = st.columns([3, 2])
    bars = (
        alt.Chart(_values(rows[:25]))
        .mark_bar(color="#5c6bc0")
        .encode(
            x=alt.X("eighths:Q", title="Eighths of a page"),
            y=alt.Y("location:N", sort="-x", title=None, axis=ROW_AXIS),
            tooltip=["location:N", "setting:N", "day_night:N", "scenes:Q", "pages:N"],
        )
        .properties(height=alt.Step(ROW_STEP), title=alt.TitleParams("Page time per location", anchor="start"))
    )
    left.altair_chart(bars, width="stretch")
    donut = (
        alt.Chart(_values(split))
        .mark_arc(innerRadius=50, stroke="#999")
        .encode(
            theta=alt.Theta("eighths:Q"),
            color=alt.Color("strip:N", scale=STRIP_SCALE, title="Stripboard"),
            tooltip=["setting:N", "day_night:N", "scenes:Q", "eighths:Q"],
        )
        .properties(height=240, title=alt.TitleParams("INT/EXT × day/night", anchor="start"))
    )
    right.altair_chart(donut, width="stretch")


def risks(data: ScriptInsights) -> None:
    st.subheader("Risk register")
    rows = insights.risk_rows(data)
    if not rows:
        st.success("No hazards found in this script.")
        return
    counts = (
        alt.Chart(_values(rows))
        .mark_bar()
        .encode(
            x=alt.X("count():Q", title="Hazards", axis=alt.Axis(format="d", tickMinStep=1)),
            y=alt.Y("category:N", sort="-x", title=None, axis=ROW_AXIS),
            color=alt.Color("level:N", scale=RISK_SCALE, title="Level"),
            tooltip=["category:N", "level:N", "count()"],
        )
        .properties(height=alt.Step(ROW_STEP))
    )
    st.altair_chart(counts, width="stretch")
    st.dataframe(
        rows,
        column_order=["scene", "level", "category", "hazard", "mitigation"],
        hide_index=True,
        width="stretch",
    )
    people = data.rollups.personnel
    if people:
        booked = [
            f"{escape_markdown(item.name)} (scenes {', '.join(map(str, item.scenes[:8]))}"
            + ("…)" if len(item.scenes) > 8 else ")")
            for item in people
        ]
        st.markdown("**People to book:** " + "; ".join(booked))


def inventories(data: ScriptInsights) -> None:
    st.subheader("Inventories")
    tabs = st.tabs([name.capitalize() for name in insights.INVENTORY_CATEGORIES])
    for tab, category in zip(tabs, insights.INVENTORY_CATEGORIES, strict=True):
        rows = insights.inventory_rows(data, category)
        with tab:
            if rows:
                st.dataframe(rows, hide_index=True, width="stretch")
            else:
                st.caption(f"No {category} in this script.")


SECTIONS: dict[str, Callable[[ScriptInsights], None]] = {
    "overview": overview,
    "arc": arc,
    "pacing": pacing,
    "characters": characters,
    "locations": locations,
    "risks": risks,
    "inventories": inventories,
}
for section in insights.ROLE_SECTIONS[role or "Director"]:
    with st.container(border=True):
        SECTIONS[section](data)
