"""Data behind the Scenes table and the Insights charts, computed from a script's current scenes and rollups.

Rollups are rebuilt from the scenes on every call (not read from the script record) so the charts reflect edits
made since the analysis finished. Every function returns plain rows (lists of dicts or small dataclasses) that
a chart library or a table can take as they are; nothing here imports Streamlit.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cortexreel.container import Services
from cortexreel.domain.base import RISK_LEVELS
from cortexreel.domain.facts import day_or_night, scene_facts
from cortexreel.domain.rollups import ScriptRollups, act_of, build_rollups, dialogue_share, format_eighths
from cortexreel.domain.scenes import Scene
from cortexreel.domain.scripts import Script
from cortexreel.domain.vocabulary import EMOTIONS
from cortexreel.services.scenes import list_scenes, visible_script

# The inventories the Insights page shows, of those the rollups keep.
INVENTORY_CATEGORIES = ("props", "vehicles", "weapons", "animals")

# What each role needs first; the Insights page shows sections in this order.
SECTIONS = ("overview", "arc", "pacing", "characters", "locations", "risks", "inventories")
# The overview comes first for everyone: the other sections are read against its totals.
ROLE_SECTIONS: dict[str, tuple[str, ...]] = {
    "Director": ("overview", "arc", "pacing", "characters", "locations", "risks", "inventories"),
    "Producer": ("overview", "locations", "characters", "risks", "inventories", "pacing", "arc"),
    "Cinematographer": ("overview", "locations", "pacing", "arc", "inventories", "characters", "risks"),
    "Safety": ("overview", "risks", "inventories", "locations", "characters", "pacing", "arc"),
}


@dataclass(frozen=True)
class SceneRow:
    """One line of the Scenes table."""

    number: int
    label: str
    scene_id: str
    heading: str
    setting: str
    time_of_day: str
    day_night: str
    location: str
    cast: list[str]
    eighths: int
    pages: str
    page: str  # the script page(s) as printed ("12A–13"), where the script prints them
    pdf_page: int | None  # the physical page of the uploaded PDF
    risk: str
    tone: str
    version: int


@dataclass(frozen=True)
class SceneFilter:
    """Filters of the Scenes table; empty means "any"."""

    text: str = ""
    settings: tuple[str, ...] = ()
    day_night: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    min_risk: str = ""


@dataclass
class ScriptInsights:
    """Everything the Insights page draws for one script."""

    script: Script
    rollups: ScriptRollups
    scenes: list[Scene] = field(default_factory=list)


def scene_rows(scenes: Sequence[Scene]) -> list[SceneRow]:
    """The Scenes table, one row per scene in script order, from each scene's effective facts."""
    rows = []
    for scene in sorted(scenes, key=lambda item: item.number):
        facts = scene_facts(scene)
        rows.append(
            SceneRow(
                number=scene.number,
                label=scene.label or str(scene.number),
                scene_id=scene.id,
                heading=scene.heading,
                setting=facts.setting or "",
                time_of_day=facts.time_of_day or "",
                day_night=facts.day_or_night or "other",
                location=facts.location,
                cast=list(facts.cast),
                eighths=scene.pages.eighths,
                pages=format_eighths(scene.pages.eighths),
                page=scene.pages.label,
                pdf_page=scene.pages.pdf_start,
                risk=facts.risk_level or "",
                tone=facts.emotional_tone or "",
                version=scene.version,
            )
        )
    return rows


def filter_rows(rows: Sequence[SceneRow], wanted: SceneFilter) -> list[SceneRow]:
    """The rows matching every filter: free text over heading, location, cast and tone; the rest exact."""
    text = wanted.text.casefold().strip()
    floor = RISK_LEVELS.index(wanted.min_risk) if wanted.min_risk in RISK_LEVELS else -1
    found = []
    for row in rows:
        if text and text not in " ".join([row.label, row.heading, row.location, row.tone, *row.cast]).casefold():
            continue
        if wanted.settings and row.setting not in wanted.settings:
            continue
        if wanted.day_night and row.day_night not in wanted.day_night:
            continue
        if wanted.characters and not set(wanted.characters) & set(row.cast):
            continue
        if wanted.locations and row.location not in wanted.locations:
            continue
        if floor >= 0 and (row.risk not in RISK_LEVELS or RISK_LEVELS.index(row.risk) < floor):
            continue
        found.append(row)
    return found


def list_scene_rows(services: Services, user: str, script_id: str, wanted: SceneFilter | None = None) -> list[SceneRow]:
    """The Scenes table of a script the user may see, filtered."""
    rows = scene_rows(list_scenes(services, user, script_id))
    return filter_rows(rows, wanted) if wanted is not None else rows


def script_insights(services: Services, user: str, script_id: str) -> ScriptInsights:
    """The script, its scenes and rollups rebuilt from the current analyses."""
    script = visible_script(services, user, script_id)
    scenes = list_scenes(services, user, script_id)
    return ScriptInsights(script=script, rollups=build_rollups(scenes), scenes=scenes)


def emotion_rows(insights: ScriptInsights) -> list[dict[str, Any]]:
    """Long form (scene, emotion, score) of the six emotions, for a multi-line chart."""
    return [
        {"scene": point.scene, "emotion": emotion, "score": getattr(point, emotion)}
        for point in insights.rollups.emotional_arc
        for emotion in EMOTIONS
    ]


def pacing_rows(insights: ScriptInsights) -> list[dict[str, Any]]:
    """Per scene: length in eighths, dialogue and action shares, conflict, and the act it falls in."""
    ordered = sorted(insights.scenes, key=lambda scene: scene.number)
    total = sum(scene.pages.eighths for scene in ordered)
    rows: list[dict[str, Any]] = []
    before = 0
    for scene in ordered:
        share = dialogue_share(scene)
        rows.append(
            {
                "scene": scene.number,
                "eighths": scene.pages.eighths,
                "pages": format_eighths(scene.pages.eighths),
                "dialogue": round(share, 3),
                "action": round(1 - share, 3) if _has_words(scene) else 0.0,
                "act": act_of(before, scene.pages.eighths, total) if total else 1,
                "conflict": scene.analysis.narrative.conflict_level if scene.analysis else None,
                "pacing": (scene.analysis.narrative.pacing or "") if scene.analysis else "",
            }
        )
        before += scene.pages.eighths
    return rows


def presence_rows(insights: ScriptInsights, *, limit: int = 25) -> list[dict[str, Any]]:
    """(scene, character, lines) for the `limit` characters in most scenes, for a presence heatmap."""
    keep = {entry.name for entry in insights.rollups.cast[:limit]}
    rows = []
    for scene in sorted(insights.scenes, key=lambda item: item.number):
        lines = Counter(
            element.character for element in scene.elements if element.type == "dialogue" and element.character
        )
        for name in scene_facts(scene).cast:
            if name in keep:
                rows.append({"scene": scene.number, "character": name, "lines": lines.get(name, 0)})
    return rows


def relationship_edges(insights: ScriptInsights, *, limit: int = 15) -> list[dict[str, Any]]:
    """Pairs of the `limit` leading characters who share scenes, weighted by the number of shared scenes."""
    keep = [entry.name for entry in insights.rollups.cast[:limit]]
    shared: Counter[tuple[str, str]] = Counter()
    for scene in insights.scenes:
        present = sorted({name for name in scene_facts(scene).cast if name in keep})
        for index, first in enumerate(present):
            for second in present[index + 1 :]:
                shared[(first, second)] += 1
    return [{"source": a, "target": b, "scenes": count} for (a, b), count in shared.most_common()]


def network_layout(insights: ScriptInsights, *, limit: int = 15) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes on a circle (leads first) and edges with endpoint coordinates, ready for a layered chart."""
    cast = insights.rollups.cast[:limit]
    nodes = []
    for index, entry in enumerate(cast):
        angle = 2 * math.pi * index / max(len(cast), 1)
        nodes.append(
            {
                "character": entry.name,
                "x": round(math.cos(angle), 4),
                "y": round(math.sin(angle), 4),
                "scenes": entry.scene_count,
            }
        )
    where = {node["character"]: node for node in nodes}
    edges = []
    for edge in relationship_edges(insights, limit=limit):
        a, b = where[edge["source"]], where[edge["target"]]
        edges.append({**edge, "x": a["x"], "y": a["y"], "x2": b["x"], "y2": b["y"]})
    return nodes, edges


def location_rows(insights: ScriptInsights) -> list[dict[str, Any]]:
    """Per location: settings, day/night, number of scenes and eighths, longest first."""
    rows = []
    for entry in insights.rollups.locations:
        times = {day_or_night(time) or "other" for time in entry.times_of_day}
        rows.append(
            {
                "location": entry.location,
                "setting": "/".join(entry.settings) or "?",
                "day_night": "/".join(sorted(times)) or "other",
                "scenes": len(entry.scenes),
                "eighths": entry.total_eighths,
                "pages": format_eighths(entry.total_eighths),
            }
        )
    return sorted(rows, key=lambda row: (-row["eighths"], row["location"]))


def setting_time_counts(insights: ScriptInsights) -> list[dict[str, Any]]:
    """Scenes and eighths per (INT/EXT, day/night), the stripboard split."""
    counts: dict[tuple[str, str], list[int]] = {}
    for row in scene_rows(insights.scenes):
        key = (row.setting or "?", row.day_night)
        bucket = counts.setdefault(key, [0, 0])
        bucket[0] += 1
        bucket[1] += row.eighths
    return [
        {"setting": setting, "day_night": time, "scenes": n, "eighths": e}
        for (setting, time), (n, e) in sorted(counts.items())
    ]


def risk_rows(insights: ScriptInsights) -> list[dict[str, Any]]:
    """The risk register as table rows, most severe first."""
    return [
        {
            "scene": risk.scene,
            "level": risk.level,
            "category": risk.category,
            "hazard": risk.description,
            "mitigation": risk.mitigation,
            "heading": risk.heading,
        }
        for risk in insights.rollups.risk_register
    ]


def inventory_rows(insights: ScriptInsights, category: str) -> list[dict[str, Any]]:
    """One inventory (props, vehicles, weapons, animals …): item, scene count and the scenes."""
    items = getattr(insights.rollups.inventories, category)
    return [
        {"item": item.item, "scenes": len(item.scenes), "scene numbers": ", ".join(map(str, item.scenes))}
        for item in items
    ]


def _has_words(scene: Scene) -> bool:
    return any(element.type in ("dialogue", "action") and element.text.strip() for element in scene.elements)
