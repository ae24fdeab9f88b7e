"""Exports of a script's breakdown: CSV, XLSX (one sheet per category), the full analysis as JSON, and a PDF
breakdown report laid out like the sheets crews already use (title page, one sheet per scene, risk register).

Every export reads the current analysis of every scene (edits included) of a script the acting user may see.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, get_args

import pymupdf as _pymupdf
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cortexreel.container import Services
from cortexreel.domain.access import Action
from cortexreel.domain.base import utcnow
from cortexreel.domain.facts import scene_facts
from cortexreel.domain.rollups import RiskEntry, build_rollups, format_eighths
from cortexreel.domain.scenes import Scene
from cortexreel.domain.scripts import Script
from cortexreel.domain.vocabulary import CATEGORIES, Category, category_items
from cortexreel.errors import InvalidInputError
from cortexreel.services.access import authorize
from cortexreel.services.scenes import list_scenes

pymupdf: Any = _pymupdf  # PyMuPDF ships without type hints

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
    renderers: dict[str, Callable[[Script, Sequence[Scene]], bytes]] = {
        "csv": breakdown_csv,
        "xlsx": breakdown_xlsx,
        "json": analysis_json,
        "pdf": breakdown_pdf,
    }
    return ExportFile(f"{_file_stem(script)}.{fmt}", MIME_TYPES[fmt], renderers[fmt](script, scenes))


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


def breakdown_csv(script: Script, scenes: Sequence[Scene]) -> bytes:
    """The breakdown as CSV, one row per scene, UTF-8 with a BOM so spreadsheet programs read accents."""
    rows = breakdown_rows(scenes)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def breakdown_xlsx(script: Script, scenes: Sequence[Scene]) -> bytes:
    """A workbook: a "Breakdown" summary sheet, then one sheet per category with scenes as rows and that
    category's elements as columns ("●" where the element appears), headers in the category's colour."""
    workbook = Workbook()
    summary = workbook.active
    if summary is None:  # a new Workbook always has one sheet
        summary = workbook.create_sheet()
    summary.title = "Breakdown"
    rows = breakdown_rows(scenes)
    header = list(rows[0])
    summary.append(header)
    for row in rows:
        summary.append([_number_or_text(row[name]) for name in header])
    _style_header(summary, "37474F", white_text=True)
    for row_index, scene in enumerate(sorted(scenes, key=lambda item: item.number), start=2):
        summary.cell(row=row_index, column=1).fill = PatternFill("solid", fgColor=strip_colour(scene))
    summary.freeze_panes = "B2"
    ordered = sorted(scenes, key=lambda item: item.number)
    for category in CATEGORIES:
        elements = _elements_in_order(ordered, category.key)
        sheet = workbook.create_sheet(_sheet_name(category.label))
        sheet.append(["Scene", "Heading", *elements])
        for scene in ordered:
            present = set(scene_items(scene, category.key))
            sheet.append(
                [
                    _number_or_text(scene.label or str(scene.number)),
                    scene.heading,
                    *("●" if element in present else "" for element in elements),
                ]
            )
        _style_header(sheet, category.colour, white_text=category.colour not in ("FFFFFF", "FFF176"))
        sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def analysis_json(script: Script, scenes: Sequence[Scene]) -> bytes:
    """The full analysis: the script record, every scene with its current analysis, and fresh rollups."""
    payload: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "script": script.model_dump(mode="json", exclude={"rollups"}),
        "rollups": build_rollups(scenes).model_dump(mode="json"),
        "scenes": [scene.model_dump(mode="json", exclude={"last_change"}) for scene in scenes],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


# --- PDF ------------------------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = pymupdf.paper_size("letter")
MARGIN = 40.0
# Noto Sans from the pymupdf-fonts package, embedded (subset) in every report: the built-in Helvetica covers only
# Latin-1, so "dzień" came out as "dzie?". Noto covers Latin, Greek and Cyrillic scripts.
BODY_FONT = "notos"
BOLD_FONT = "notosbo"
LINE_SPACING = 1.2


@functools.cache
def _font(name: str) -> Any:
    return pymupdf.Font(name)


def _new_page(document: Any) -> Any:
    page = document.new_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
    for name in (BODY_FONT, BOLD_FONT):
        page.insert_font(fontname=name, fontbuffer=_font(name).buffer)
    return page


def _wrap(text: str, fontname: str, size: float, width: float, max_lines: int) -> list[str]:
    """`text` broken into lines no wider than `width` (each paragraph on its own lines), at most `max_lines`,
    the last ending in "…" when something was left out."""
    font = _font(fontname)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if current and font.text_length(candidate, fontsize=size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.text_length(last + " …", fontsize=size) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return lines


def _text_box(
    page: Any,
    rect: Any,
    text: str,
    fontname: str,
    size: float,
    *,
    centred: bool = False,
    color: tuple[float, float, float] = (0, 0, 0),
) -> None:
    """Write `text` wrapped into `rect`, cut with "…" if it does not fit. (PyMuPDF's insert_textbox writes nothing
    at all when the text is too long for its box, which left the Mitigation column empty.)"""
    line_height = size * LINE_SPACING
    max_lines = max(int(rect.height // line_height), 1)
    y = rect.y0 + size
    for line in _wrap(text, fontname, size, rect.width, max_lines):
        x = rect.x0
        if centred:
            x += (rect.width - _font(fontname).text_length(line, fontsize=size)) / 2
        page.insert_text((x, y), line, fontname=fontname, fontsize=size, color=color)
        y += line_height


def breakdown_pdf(script: Script, scenes: Sequence[Scene]) -> bytes:
    """A breakdown report: a title page, one breakdown sheet per scene and the risk register."""
    document = pymupdf.open()
    ordered = sorted(scenes, key=lambda item: item.number)
    rollups = build_rollups(ordered)
    _title_page(document, script, ordered, rollups.totals.pages, len(rollups.cast), len(rollups.locations))
    for scene in ordered:
        _scene_sheet(document, script, scene)
    _risk_pages(document, script, rollups.risk_register)
    document.set_metadata({"title": f"{script.title} — breakdown", "creator": "CortexReel"})
    document.subset_fonts()  # embed only the letters used
    data: bytes = document.tobytes(garbage=3, deflate=True)
    document.close()
    return data


def _title_page(
    document: Any, script: Script, scenes: Sequence[Scene], pages: str, cast_count: int, location_count: int
) -> None:
    page = _new_page(document)
    width = PAGE_WIDTH - MARGIN
    _text_box(page, pymupdf.Rect(MARGIN, 210, width, 280), script.title.upper(), BOLD_FONT, 26, centred=True)
    _text_box(page, pymupdf.Rect(MARGIN, 285, width, 310), "Production breakdown", BODY_FONT, 14, centred=True)
    facts = [
        f"{len(scenes)} scenes · {pages} pages · {cast_count} cast · {location_count} locations",
        f"Source file: {script.filename}",
        f"Analyser: {_analyser(script)}",
        f"Generated {_date(utcnow())} by CortexReel",
    ]
    _text_box(
        page,
        pymupdf.Rect(MARGIN, 340, PAGE_WIDTH - MARGIN, 440),
        "\n".join(facts),
        BODY_FONT,
        11,
        centred=True,
        color=(0.25, 0.25, 0.25),
    )
    # A colour key, so a reader knows the cues on the sheets that follow.
    y = 500.0
    page.insert_text((MARGIN, y), "Colour key", fontname=BOLD_FONT, fontsize=11)
    x, y = MARGIN, y + 12
    for category in CATEGORIES:
        if x > PAGE_WIDTH - MARGIN - 130:
            x, y = MARGIN, y + 20
        _swatch(page, pymupdf.Rect(x, y, x + 14, y + 12), category)
        page.insert_text((x + 18, y + 10), category.label, fontname=BODY_FONT, fontsize=9)
        x += 135


def _scene_sheet(document: Any, script: Script, scene: Scene) -> None:
    page = _new_page(document)
    right = PAGE_WIDTH - MARGIN
    # Header band in the scene's stripboard colour.
    band = pymupdf.Rect(MARGIN, MARGIN, right, MARGIN + 64)
    page.draw_rect(band, color=(0, 0, 0), fill=_rgb(strip_colour(scene)), width=0.8)
    page.insert_text((MARGIN + 8, MARGIN + 16), "BREAKDOWN SHEET", fontname=BOLD_FONT, fontsize=9)
    page.insert_text((right - 200, MARGIN + 16), _fit(script.title, 38), fontname=BODY_FONT, fontsize=9)
    label = scene.label or str(scene.number)
    page.insert_text((MARGIN + 8, MARGIN + 44), f"Scene {label}", fontname=BOLD_FONT, fontsize=18)
    page.insert_text((MARGIN + 120, MARGIN + 44), _fit(scene.heading, 60), fontname=BOLD_FONT, fontsize=11)
    # The four facts a scheduler reads first.
    facts = [
        ("INT/EXT", scene_facts(scene).setting or "-"),
        ("DAY/NIGHT", day_night(scene) or "-"),
        ("PAGES", format_eighths(scene.pages.eighths)),
        ("SCRIPT PAGE", scene.pages.label),
    ]
    cell_width = (right - MARGIN) / len(facts)
    top = band.y1
    for index, (name, value) in enumerate(facts):
        cell = pymupdf.Rect(MARGIN + index * cell_width, top, MARGIN + (index + 1) * cell_width, top + 34)
        page.draw_rect(cell, color=(0, 0, 0), width=0.6)
        page.insert_text((cell.x0 + 6, cell.y0 + 11), name, fontname=BODY_FONT, fontsize=7, color=(0.35, 0.35, 0.35))
        page.insert_text((cell.x0 + 6, cell.y0 + 27), value, fontname=BOLD_FONT, fontsize=12)
    top += 34
    synopsis_box = pymupdf.Rect(MARGIN, top, right, top + 40)
    page.draw_rect(synopsis_box, color=(0, 0, 0), width=0.6)
    page.insert_text((MARGIN + 6, top + 11), "SYNOPSIS", fontname=BODY_FONT, fontsize=7, color=(0.35, 0.35, 0.35))
    _text_box(page, pymupdf.Rect(MARGIN + 6, top + 14, right - 6, top + 40), synopsis(scene), BODY_FONT, 9)
    top += 52
    # Element boxes, two columns, each headed in its category colour.
    column_width = (right - MARGIN - 10) / 2
    columns_y = [top, top]
    for category in CATEGORIES:
        items = scene_items(scene, category.key)
        if not items and category.key not in ("cast", "extras", "props"):
            continue
        column = 0 if columns_y[0] <= columns_y[1] else 1
        x0 = MARGIN + column * (column_width + 10)
        lines = items or ["none"]
        height = 18 + 11 * min(len(lines), 12) + 6
        if columns_y[column] + height > PAGE_HEIGHT - MARGIN:
            continue  # a sheet is one page; the XLSX and CSV carry everything
        box = pymupdf.Rect(x0, columns_y[column], x0 + column_width, columns_y[column] + height)
        page.draw_rect(box, color=(0, 0, 0), width=0.6)
        head = pymupdf.Rect(box.x0, box.y0, box.x1, box.y0 + 15)
        _swatch(page, head, category)
        text_colour = (0, 0, 0) if category.colour in ("FFFFFF", "FFF176", "F48FB1") else (1, 1, 1)
        indent = 16 if category.mark in ("circled", "boxed") else 5
        page.insert_text(
            (head.x0 + indent, head.y0 + 11),
            f"{category.label.upper()}{_mark_note(category)}",
            fontname=BOLD_FONT,
            fontsize=8,
            color=text_colour,
        )
        for index, item in enumerate(lines[:12]):
            text = item if index < 11 or len(lines) <= 12 else f"… and {len(lines) - 11} more"
            page.insert_text((box.x0 + 6, box.y0 + 27 + 11 * index), _fit(text, 48), fontname=BODY_FONT, fontsize=8.5)
        columns_y[column] = box.y1 + 8
    _footer(page, script)


def _risk_pages(document: Any, script: Script, risks: Sequence[RiskEntry]) -> None:
    page = _new_page(document)
    page.insert_text((MARGIN, MARGIN + 14), "RISK REGISTER", fontname=BOLD_FONT, fontsize=16)
    columns = [("Scene", 40), ("Level", 60), ("Category", 90), ("Hazard", 200), ("Mitigation", 142)]
    y = MARGIN + 30

    def header(target: Any, at: float) -> float:
        x = MARGIN
        for name, width in columns:
            cell = pymupdf.Rect(x, at, x + width, at + 16)
            target.draw_rect(cell, color=(0, 0, 0), fill=(0.22, 0.28, 0.31), width=0.5)
            target.insert_text((x + 4, at + 11), name, fontname=BOLD_FONT, fontsize=8, color=(1, 1, 1))
            x += width
        return at + 16

    y = header(page, y)
    if not risks:
        page.insert_text((MARGIN, y + 20), "No hazards were found in this script.", fontname=BODY_FONT, fontsize=10)
    level_colours = {
        "LOW": (0.78, 0.9, 0.79),
        "MEDIUM": (1, 0.95, 0.6),
        "HIGH": (1, 0.8, 0.5),
        "EXTREME": (1, 0.6, 0.6),
    }
    for risk in risks:
        values = [str(risk.scene), risk.level, risk.category, risk.description, risk.mitigation or "-"]
        cells = [_wrap(value, BODY_FONT, 7.5, width - 6, 12) for (_, width), value in zip(columns, values, strict=True)]
        height = max(len(lines) for lines in cells) * 7.5 * LINE_SPACING + 6
        if y + height > PAGE_HEIGHT - MARGIN:
            _footer(page, script)
            page = _new_page(document)
            y = header(page, MARGIN)
        x = MARGIN
        for index, ((_, width), lines) in enumerate(zip(columns, cells, strict=True)):
            cell = pymupdf.Rect(x, y, x + width, y + height)
            fill = level_colours.get(risk.level) if index == 1 else None
            page.draw_rect(cell, color=(0, 0, 0), fill=fill, width=0.4)
            _text_box(page, pymupdf.Rect(x + 3, y + 2, x + width - 3, y + height), "\n".join(lines), BODY_FONT, 7.5)
            x += width
        y += height
    _footer(page, script)


def _footer(page: Any, script: Script) -> None:
    page.insert_text(
        (MARGIN, PAGE_HEIGHT - 20),
        f"{_fit(script.title, 60)} · CortexReel breakdown",
        fontname=BODY_FONT,
        fontsize=7,
        color=(0.45, 0.45, 0.45),
    )
    page.insert_text(
        (PAGE_WIDTH - MARGIN - 40, PAGE_HEIGHT - 20),
        f"p. {page.number + 1}",
        fontname=BODY_FONT,
        fontsize=7,
        color=(0.45, 0.45, 0.45),
    )


def _swatch(page: Any, rect: Any, category: Category) -> None:
    """A category's colour cue: its fill, or for the uncoloured categories their mark (circle, box, asterisk)."""
    page.draw_rect(rect, color=(0, 0, 0), fill=_rgb(category.colour), width=0.5)
    if category.mark == "circled":
        page.draw_circle((rect.x0 + 8, rect.y0 + rect.height / 2), 4, color=(0, 0, 0), width=0.6)
    elif category.mark == "boxed":
        page.draw_rect(pymupdf.Rect(rect.x0 + 3, rect.y0 + 3, rect.x0 + 12, rect.y1 - 3), color=(0, 0, 0), width=0.8)


def _mark_note(category: Category) -> str:
    return {"circled": " (circled)", "asterisk": " (*)", "boxed": " (boxed)"}.get(category.mark, "")


# --- helpers --------------------------------------------------------------------------------------------------


def _elements_in_order(scenes: Sequence[Scene], key: str) -> list[str]:
    seen: dict[str, None] = {}
    for scene in scenes:
        for item in scene_items(scene, key):
            seen.setdefault(item, None)
    return list(seen)


def _style_header(sheet: Any, colour: str, *, white_text: bool) -> None:
    for cell in sheet[1]:
        cell.fill = PatternFill("solid", fgColor=colour)
        cell.font = Font(bold=True, color="FFFFFF" if white_text else "000000")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.column_dimensions["B"].width = 40


def _sheet_name(label: str) -> str:
    """Excel's rules (no []:*?/\\, at most 31 characters) without leaving double spaces ("Extras  Atmosphere")."""
    kept = "".join(ch if ch not in "[]:*?/\\" else " " for ch in label)
    return " ".join(kept.split())[:31]


def _number_or_text(value: str) -> int | str:
    """Whole numbers as numbers, so a spreadsheet sorts and sums them; "12A" or "1 2/8" stay text."""
    return int(value) if value.isdigit() else value


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return (int(hex_colour[0:2], 16) / 255, int(hex_colour[2:4], 16) / 255, int(hex_colour[4:6], 16) / 255)


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _one_line(text: str) -> str:
    return _fit(text, 200)


def _analyser(script: Script) -> str:
    if script.analyser is None:
        return "not analysed yet"
    return script.analyser.name + (f" ({script.analyser.model})" if script.analyser.model else "")


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _file_stem(script: Script) -> str:
    """The title as a file name: letters and digits, one dash between words ("brick-steel-full-retired")."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", script.title.lower()))
    return f"{'-'.join(words)[:80].strip('-') or 'script'}-breakdown"
