"""Exports of a script's breakdown: CSV, XLSX (one sheet per category), the full analysis as JSON, and a PDF
breakdown report laid out like the sheets crews already use (title page, one sheet per scene, risk register).

Every export reads the current analysis of every scene (edits included) of a script the acting user may see. This
module is the use case: it checks the permission, loads the scenes and works out what each sheet says (a
`BreakdownReport`); the renderers in `cortexreel.rendering` lay that out as CSV, XLSX or PDF.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from cortexreel.container import Services
from cortexreel.domain.access import Action
from cortexreel.domain.base import utcnow
from cortexreel.domain.facts import scene_facts
from cortexreel.domain.rollups import build_rollups, format_eighths
from cortexreel.domain.scenes import Scene
from cortexreel.domain.scripts import Script
from cortexreel.domain.vocabulary import CATEGORIES, category_items
from cortexreel.errors import InvalidInputError
from cortexreel.rendering.breakdown import BreakdownReport, SceneSheet, ScriptTotals, fit
from cortexreel.rendering.pdf import breakdown_pdf
from cortexreel.rendering.spreadsheets import breakdown_csv, breakdown_xlsx
from cortexreel.services.access import authorize
from cortexreel.services.scenes import list_scenes

ExportFormat = Literal["csv", "xlsx", "json", "pdf"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
MIME_TYPES: dict[str, str] = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "pdf": "application/pdf",
}


# Stripboard strip colours by setting and day/night (DOMAIN.md): INT DAY white, EXT DAY yellow,
# INT NIGHT blue, EXT NIGHT green.
STRIP_COLOURS: dict[tuple[str, str], str] = {
    ("INT", "day"): "FFFFFF",
    ("EXT", "day"): "FFF176",
    ("INT", "night"): "64B5F6",
    ("EXT", "night"): "81C784",
}
NO_STRIP_COLOUR = "E0E0E0"


@dataclass(frozen=True)
class ExportFile:
    """An export ready to download or write: a file name, its MIME type and its bytes."""

    filename: str
    mime: str
    data: bytes


def export_script(services: Services, user: str, script_id: str, fmt: str) -> ExportFile:
    """The script's breakdown in `fmt` (csv, xlsx, json or pdf)."""
    if fmt not in EXPORT_FORMATS:
        raise InvalidInputError(f"“{fmt}” is not an export format; choose one of {', '.join(EXPORT_FORMATS)}.")
    script = authorize(services, user, script_id, Action.EXPORT)
    scenes = list_scenes(services, user, script_id)
    if not scenes:
        raise InvalidInputError(f"“{script.title}” has no scenes yet, so there is nothing to export.")
    if fmt == "csv":
        data = breakdown_csv(breakdown_report(script, scenes))
    elif fmt == "xlsx":
        data = breakdown_xlsx(breakdown_report(script, scenes))
    elif fmt == "pdf":
        data = breakdown_pdf(breakdown_report(script, scenes), script_totals(scenes))
    else:
        data = analysis_json(script, scenes)
    return ExportFile(f"{_file_stem(script)}.{fmt}", MIME_TYPES[fmt], data)


def breakdown_report(script: Script, scenes: Sequence[Scene]) -> BreakdownReport:
    """What every breakdown export says: the summary rows and a sheet per scene, in scene order."""
    ordered = sorted(scenes, key=lambda item: item.number)
    return BreakdownReport(
        title=script.title,
        filename=script.filename,
        analyser=_analyser(script),
        generated_at=utcnow(),
        categories=CATEGORIES,
        rows=breakdown_rows(ordered),
        scenes=[scene_sheet(scene) for scene in ordered],
    )


def script_totals(scenes: Sequence[Scene]) -> ScriptTotals:
    """The PDF report's script-wide figures and risk register, from rollups of the current analyses."""
    rollups = build_rollups(sorted(scenes, key=lambda item: item.number))
    return ScriptTotals(
        pages=rollups.totals.pages,
        cast_count=len(rollups.cast),
        location_count=len(rollups.locations),
        risks=rollups.risk_register,
    )


def scene_sheet(scene: Scene) -> SceneSheet:
    """One scene's breakdown sheet: the facts a scheduler reads first, the synopsis and every category."""
    return SceneSheet(
        label=scene.label or str(scene.number),
        heading=scene.heading,
        int_ext=scene_facts(scene).setting or "",
        day_night=day_night(scene),
        pages=format_eighths(scene.pages.eighths),
        page=scene.pages.label,
        synopsis=synopsis(scene),
        strip_colour=strip_colour(scene),
        elements={category.key: scene_items(scene, category.key) for category in CATEGORIES},
    )


def scene_items(scene: Scene, key: str) -> list[str]:
    """A scene's elements in one category; the cast is the scene's effective cast (speakers where not analysed)."""
    if key == "cast":
        return list(scene_facts(scene).cast)
    return category_items(scene.analysis.breakdown, key) if scene.analysis is not None else []


def day_night(scene: Scene) -> str:
    """DAY / NIGHT as a breakdown sheet writes it, or the raw time (CONTINUOUS, LATER) when neither."""
    facts = scene_facts(scene)
    judged = facts.day_or_night
    return judged.upper() if judged else (facts.time_of_day or "").upper()


def synopsis(scene: Scene) -> str:
    """One line: the analysis's synopsis, else the first action line."""
    if scene.analysis is not None and scene.analysis.narrative.synopsis:
        return _one_line(scene.analysis.narrative.synopsis)
    for element in scene.elements:
        if element.type == "action":
            return _one_line(element.text)
    return ""


def strip_colour(scene: Scene) -> str:
    """The stripboard colour of the scene (hex RGB)."""
    facts = scene_facts(scene)
    setting = (facts.setting or "INT").split("/")[0]
    return STRIP_COLOURS.get((setting, facts.day_or_night or ""), NO_STRIP_COLOUR)


def breakdown_rows(scenes: Sequence[Scene]) -> list[dict[str, str]]:
    """One row per scene: the sheet header fields, then every category joined with "; "."""
    rows = []
    for scene in sorted(scenes, key=lambda item: item.number):
        facts = scene_facts(scene)
        row = {
            "Scene": scene.label or str(scene.number),
            "Heading": scene.heading,
            "INT/EXT": facts.setting or "",
            "Day/Night": day_night(scene),
            "Location": facts.location,
            "Pages": format_eighths(scene.pages.eighths),
            "Page": scene.pages.label,
            "Synopsis": synopsis(scene),
            "Risk": facts.risk_level or "",
        }
        for category in CATEGORIES:
            row[category.label] = "; ".join(scene_items(scene, category.key))
        rows.append(row)
    return rows


def analysis_json(script: Script, scenes: Sequence[Scene]) -> bytes:
    """The full analysis: the script record, every scene with its current analysis, and fresh rollups."""
    payload: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "script": script.model_dump(mode="json", exclude={"rollups"}),
        "rollups": build_rollups(scenes).model_dump(mode="json"),
        "scenes": [scene.model_dump(mode="json", exclude={"last_change"}) for scene in scenes],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


# --- helpers --------------------------------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return fit(text, 200)


def _analyser(script: Script) -> str:
    if script.analyser is None:
        return "not analysed yet"
    return script.analyser.name + (f" ({script.analyser.model})" if script.analyser.model else "")


def _file_stem(script: Script) -> str:
    """The title as a file name: letters and digits, one dash between words ("brick-steel-full-retired")."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", script.title.lower()))
    return f"{'-'.join(words)[:80].strip('-') or 'script'}-breakdown"
