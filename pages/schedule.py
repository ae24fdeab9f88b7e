"""Schedule: the stripboard of the current script (strips in the board colours, day banners with totals), the
constraints a first AD sets, board edits (move, new day, lock) and re-optimising around locked strips, the Day Out
of Days, versions (compare, revert) and the printed reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from cortexreel.domain.schedule import (
    CastRule,
    LocationRule,
    OrderRule,
    Schedule,
    ScheduleConstraints,
    day_totals,
    metrics,
)
from cortexreel.errors import ConflictError, CortexReelError
from cortexreel.markup import escape_markdown
from cortexreel.services import schedule as schedules
from cortexreel.services.exports import ExportFile
from cortexreel.ui import state
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_script_page
from cortexreel.ui.stripboard import board_html, dood_html, dood_legend

page = open_script_page()  # first of all (see cortexreel/ui/guard.py)
services, user, script = page.services, page.user, page.script
script_id = script.id

with shown_errors():
    current = schedules.state_of(services, user, script_id)
schedule = current.schedule
version = schedule.version if schedule else 0


def run(action: str, change: Callable[[], Schedule]) -> None:
    """Run a change to the schedule; a conflict or a refusal becomes the notice shown after the rerun."""
    try:
        saved = change()
    except ConflictError as error:
        st.session_state[state.SCHEDULE_NOTICE] = ("warning", error.message)
    except CortexReelError as error:
        st.session_state[state.SCHEDULE_NOTICE] = ("error", error.message)
    else:
        st.session_state[state.SCHEDULE_NOTICE] = ("success", f"{action}: saved as version {saved.version}.")
    st.rerun()


st.title("Schedule")
st.caption(escape_markdown(script.title))
notice = st.session_state.pop(state.SCHEDULE_NOTICE, None)
if notice:
    kind, message = notice
    getattr(st, kind)(escape_markdown(message))

time_limit = float(
    st.sidebar.select_slider(
        "Optimiser time limit (s)", options=[1, 2, 3, 5, 10, 20], value=3, key=state.SCHEDULE_TIME_LIMIT
    )
)

if schedule is None:
    st.info(
        "No schedule yet. A draft groups the strips into shooting days from the breakdown: fewest days first, then "
        "fewest company moves, then fewest cast days, keeping 5 4/8 pages and 12 hours a day, day and night work on "
        "separate days and a turnaround after night work. Set constraints after the first draft."
    )
    if current.can_edit:
        start = st.date_input("First shooting day", key=state.SCHEDULE_FIRST_START)
        if st.button("Make a draft schedule", type="primary", key=state.SCHEDULE_FIRST_DRAFT):
            with st.spinner("Optimising…"):
                run(
                    "Draft",
                    lambda: schedules.draft(
                        services,
                        user,
                        script.id,
                        expected_version=0,
                        constraints=ScheduleConstraints(start=start) if isinstance(start, date) else None,
                        time_limit=time_limit,
                    ),
                )
    else:
        st.caption("Editors of this script can make one.")
    st.stop()

board: Schedule = schedule  # the schedule shown (a name the nested functions below see as set)
measured = metrics(schedule)
eighths = sum(total.eighths for total in day_totals(schedule))
first, second, third, fourth, fifth = st.columns(5)
first.metric("Shooting days", measured.days)
second.metric("Pages", f"{eighths // 8} {eighths % 8}/8" if eighths % 8 else str(eighths // 8))
third.metric("Company moves", measured.company_moves)
fourth.metric("Cast days", measured.cast_days, help="Work and hold days over the whole cast")
fifth.metric("Version", schedule.version, help=escape_markdown(f"{schedule.note} — {schedule.author}"))
if schedule.days:
    st.caption(
        f"{schedule.days[0].date:%a %d %b %Y} to {schedule.days[-1].date:%a %d %b %Y} · version {schedule.version} by "
        f"{escape_markdown(schedule.author)}: {escape_markdown(schedule.note)}"
    )

if current.stale:
    st.warning(f"{len(current.stale)} strips changed in the breakdown since this schedule was saved.")
    st.dataframe(
        [{"Scene": entry.label, "What changed": "; ".join(entry.changes)} for entry in current.stale],
        hide_index=True,
        width="stretch",
    )
    if current.can_edit and st.button("Refresh the strips from the breakdown", key=state.SCHEDULE_REFRESH):
        run("Strips refreshed", lambda: schedules.refresh(services, user, script.id, expected_version=version))
if current.violations:
    st.error(
        "This board breaks rules: "
        + " ".join(escape_markdown(violation.message) for violation in current.violations[:8])
        + (" …" if len(current.violations) > 8 else "")
    )
if schedule.report and schedule.report.reasons:
    st.warning("No better schedule in time; kept rules: " + " ".join(map(escape_markdown, schedule.report.reasons)))

board_tab, dood_tab, rules_tab, history_tab, print_tab = st.tabs(
    ["Stripboard", "Day Out of Days", "Constraints", "History", "Print"]
)


def strip_name(schedule: Schedule, scene_id: str) -> str:
    strip = schedule.strip(scene_id)
    day = schedule.day_of(scene_id)
    where = f"day {day}" if day else "unscheduled"
    return f"{strip.label} · {strip.setting or ''} {strip.location} · {(strip.day_or_night or '').upper()} ({where})"


with board_tab:
    if current.can_edit:
        with st.expander("Edit the board", expanded=False):
            chosen = st.selectbox(
                "Strip",
                [strip.scene_id for strip in schedule.strips],
                format_func=lambda scene_id: strip_name(board, scene_id),
                key=state.SCHEDULE_STRIP,
            )
            chosen = chosen or board.strips[0].scene_id
            left, middle, right = st.columns(3)
            target = left.number_input(
                "Move to day", min_value=1, max_value=len(schedule.days) + 1, step=1, key=state.SCHEDULE_DAY
            )
            if left.button("Move strip", key=state.SCHEDULE_MOVE):
                run(
                    "Moved",
                    lambda: schedules.move_strip(
                        services, user, script.id, chosen, int(target), expected_version=version
                    ),
                )
            if middle.button("Start a new day with this strip", key=state.SCHEDULE_BREAK):
                run(
                    "New day",
                    lambda: schedules.insert_day_break(services, user, script.id, chosen, expected_version=version),
                )
            locked = chosen in schedule.locked
            if right.button("Unlock strip" if locked else "Lock strip to its day", key=state.SCHEDULE_LOCK):
                run(
                    "Unlocked" if locked else "Locked",
                    lambda: schedules.lock_strip(
                        services, user, script.id, chosen, not locked, expected_version=version
                    ),
                )
        if st.button(
            "Re-optimise around locked strips",
            type="primary",
            key=state.SCHEDULE_REDRAFT,
            icon=":material/auto_fix_high:",
        ):
            with st.spinner("Optimising…"):
                run(
                    "Re-optimised",
                    lambda: schedules.draft(services, user, script.id, expected_version=version, time_limit=time_limit),
                )
    st.html(board_html(schedule))
    if schedule.unscheduled:
        st.subheader("Not on any day")
        st.dataframe(
            [{"Scene": schedule.strip(i).label, "Location": schedule.strip(i).location} for i in schedule.unscheduled],
            hide_index=True,
        )
    st.caption(
        "Cast IDs: "
        + " · ".join(f"{index + 1} {escape_markdown(name)}" for index, name in enumerate(schedule.cast_order))
    )

with dood_tab:
    grid = dood_html(schedule)
    if grid:
        st.html(grid)
        st.caption(dood_legend())
    else:
        st.info("No cast member works on a scheduled day yet.")

with rules_tab:
    rules = schedule.constraints
    labels = {strip.label: strip.scene_id for strip in schedule.strips}
    ids = {scene_id: label for label, scene_id in labels.items()}
    with st.form(state.SCHEDULE_RULES_FORM):
        one, two, three, four = st.columns(4)
        start = one.date_input("First shooting day", value=rules.start)
        pages = two.number_input(
            "Pages per day", min_value=0.125, max_value=25.0, value=rules.pages_per_day / 8, step=0.125, format="%.3f"
        )
        hours = three.number_input("Longest day (hours)", min_value=1.0, max_value=24.0, value=rules.max_day_hours)
        move = four.number_input("Company move (minutes)", min_value=0, max_value=600, value=rules.company_move_minutes)
        five, six, seven, eight = st.columns(4)
        week = five.radio(
            "Shooting week", [5, 6], index=[5, 6].index(rules.week), horizontal=True, format_func=lambda n: f"{n} days"
        )
        split = six.checkbox("Split days", value=rules.split_days, help="Day and night work in one shooting day")
        turnaround = seven.checkbox(
            "Night turnaround", value=rules.night_turnaround, help="No day work the morning after night work"
        )
        drop = eight.number_input(
            "Drop/pick-up after (days, 0 = never)", min_value=0, max_value=60, value=rules.drop_pickup_days or 0
        )
        holidays = st.text_input(
            "Holidays (dates, comma separated)", value=", ".join(day.isoformat() for day in rules.holidays)
        )
        st.markdown("**Cast** — availability, hold limits, minors' hours, travel and rehearsal days")
        cast_rows = st.data_editor(
            [rule.model_dump() for rule in rules.cast]
            or [{"name": name, **CastRule(name=name).model_dump(exclude={"name"})} for name in schedule.cast_order[:5]],
            num_rows="dynamic",
            width="stretch",
            column_config={
                "name": st.column_config.SelectboxColumn("Cast", options=schedule.cast_order, required=True),
                "available_from": st.column_config.DateColumn("Available from"),
                "available_until": st.column_config.DateColumn("Available until"),
                "max_hold_days": st.column_config.NumberColumn("Max hold days", min_value=0, step=1),
                "minor": st.column_config.CheckboxColumn("Minor"),
                "max_hours": st.column_config.NumberColumn("Max hours a day", min_value=1.0, max_value=24.0),
                "travel_days": st.column_config.NumberColumn("Travel days", min_value=0, max_value=5, step=1),
                "rehearsal_days": st.column_config.NumberColumn("Rehearsal days", min_value=0, max_value=10, step=1),
                "unavailable": None,
            },
            key=state.SCHEDULE_CAST_RULES,
        )
        st.markdown("**Locations** — a site usable only between two dates")
        location_rows = st.data_editor(
            [rule.model_dump(exclude={"dates"}) for rule in rules.locations]
            or [{"site": None, "available_from": None, "available_until": None}],
            num_rows="dynamic",
            width="stretch",
            column_config={
                "site": st.column_config.SelectboxColumn(
                    "Site", options=sorted({strip.site for strip in schedule.strips})
                ),
                "available_from": st.column_config.DateColumn("Available from"),
                "available_until": st.column_config.DateColumn("Available until"),
            },
            key=state.SCHEDULE_LOCATION_RULES,
        )
        st.markdown("**Scene order** — a scene shot on an earlier day than another")
        order_rows = st.data_editor(
            [{"before": ids.get(rule.before), "after": ids.get(rule.after)} for rule in rules.order]
            or [{"before": None, "after": None}],
            num_rows="dynamic",
            width="stretch",
            column_config={
                "before": st.column_config.SelectboxColumn("Shoot scene", options=list(labels)),
                "after": st.column_config.SelectboxColumn("before scene", options=list(labels)),
            },
            key=state.SCHEDULE_ORDER_RULES,
        )
        cast_ids = st.text_area("Cast ID list (one name a line: the first is 1)", value="\n".join(schedule.cast_order))
        submitted = st.form_submit_button("Save and re-optimise", type="primary", disabled=not current.can_edit)
    if submitted:
        with shown_errors():
            try:
                new_rules = ScheduleConstraints(
                    start=start if isinstance(start, date) else rules.start,
                    pages_per_day=max(1, round(pages * 8)),
                    max_day_hours=hours,
                    company_move_minutes=int(move),
                    week=6 if week == 6 else 5,
                    holidays=[date.fromisoformat(part.strip()) for part in holidays.split(",") if part.strip()],
                    split_days=split,
                    night_turnaround=turnaround,
                    drop_pickup_days=int(drop) or None,
                    cast=[CastRule.model_validate(row) for row in cast_rows if row.get("name")],
                    locations=[LocationRule.model_validate(row) for row in location_rows if row.get("site")],
                    order=[
                        OrderRule(before=labels[row["before"]], after=labels[row["after"]])
                        for row in order_rows
                        if row.get("before") in labels and row.get("after") in labels
                    ],
                )
            except ValueError as error:
                st.error(f"These constraints cannot be read: {escape_markdown(str(error).splitlines()[0])}")
                st.stop()
            names = [line.strip() for line in cast_ids.splitlines() if line.strip()]

            def save_all() -> Schedule:
                latest = version
                if names != board.cast_order:
                    latest = schedules.set_cast_order(
                        services, user, script.id, names, expected_version=version
                    ).version
                return schedules.draft(
                    services, user, script.id, expected_version=latest, constraints=new_rules, time_limit=time_limit
                )

            with st.spinner("Optimising…"):
                run("Constraints saved and re-optimised", save_all)

with history_tab:
    with shown_errors():
        versions = schedules.history(services, user, script.id)
    st.dataframe(
        [
            {
                "Version": entry.version,
                "By": entry.author,
                "Note": entry.note,
                "Saved": f"{entry.created_at:%Y-%m-%d %H:%M}",
                "Days": len(entry.days),
            }
            for entry in reversed(versions)
        ],
        hide_index=True,
        width="stretch",
    )
    if len(versions) > 1:
        numbers = [entry.version for entry in versions]
        left, right = st.columns(2)
        older = left.selectbox("Compare version", numbers, index=len(numbers) - 2, key=state.SCHEDULE_OLDER)
        newer = right.selectbox("with version", numbers, index=len(numbers) - 1, key=state.SCHEDULE_NEWER)
        with shown_errors():
            changes = schedules.compare(services, user, script.id, int(older), int(newer))
        st.markdown("\n".join(f"- {escape_markdown(line)}" for line in changes) or "No difference.")
        if (
            current.can_edit
            and int(older) != version
            and st.button(f"Revert to version {older}", key=state.SCHEDULE_REVERT)
        ):
            run("Reverted", lambda: schedules.revert(services, user, script.id, int(older), expected_version=version))

with print_tab:
    st.markdown(
        "The **stripboard** as crews print it, the **one-line schedule**, and the **Day Out of Days** (cast by day "
        "with SW/W/WF/H codes and totals)."
    )
    choices = [
        ("stripboard", "pdf", "Stripboard PDF"),
        ("one-liner", "pdf", "One-liner PDF"),
        ("dood", "xlsx", "DOOD XLSX"),
        ("dood", "csv", "DOOD CSV"),
        ("dood", "pdf", "DOOD PDF"),
    ]
    columns = st.columns(len(choices))
    for column, (report, fmt, label) in zip(columns, choices, strict=True):
        if column.button(label, key=state.schedule_build_key(report, fmt)):
            with shown_errors():
                st.session_state[state.SCHEDULE_EXPORT] = schedules.export(services, user, script.id, report, fmt)
    built = st.session_state.get(state.SCHEDULE_EXPORT)
    if isinstance(built, ExportFile) and f"-v{version}." in built.filename:
        st.download_button(
            f"Download {built.filename} ({len(built.data) / 1024:,.0f} KB)",
            data=built.data,
            file_name=built.filename,
            mime=built.mime,
            key=state.SCHEDULE_DOWNLOAD,
            icon=":material/download:",
        )
    st.caption(
        "From the command line: `python -m cortexreel schedule SCRIPT_ID` and `python -m cortexreel dood SCRIPT_ID`"
    )
