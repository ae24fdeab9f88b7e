"""The PDF breakdown report, laid out like the sheets crews already use: a title page with the colour key, one
breakdown sheet per scene (header band in the scene's stripboard colour, element boxes in their category colours)
and the risk register."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pymupdf as _pymupdf

from cortexreel.domain.rollups import RiskEntry
from cortexreel.domain.vocabulary import Category
from cortexreel.rendering.breakdown import BreakdownReport, SceneSheet, ScriptTotals
from cortexreel.rendering.breakdown import fit as _fit

pymupdf: Any = _pymupdf  # PyMuPDF ships without type hints

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


def breakdown_pdf(report: BreakdownReport, totals: ScriptTotals) -> bytes:
    """A breakdown report: a title page, one breakdown sheet per scene and the risk register."""
    document = pymupdf.open()
    _title_page(document, report, totals)
    for scene in report.scenes:
        _scene_sheet(document, report, scene)
    _risk_pages(document, report.title, totals.risks)
    document.set_metadata({"title": f"{report.title} — breakdown", "creator": "CortexReel"})
    document.subset_fonts()  # embed only the letters used
    data: bytes = document.tobytes(garbage=3, deflate=True)
    document.close()
    return data


def _title_page(document: Any, report: BreakdownReport, totals: ScriptTotals) -> None:
    page = _new_page(document)
    width = PAGE_WIDTH - MARGIN
    _text_box(page, pymupdf.Rect(MARGIN, 210, width, 280), report.title.upper(), BOLD_FONT, 26, centred=True)
    _text_box(page, pymupdf.Rect(MARGIN, 285, width, 310), "Production breakdown", BODY_FONT, 14, centred=True)
    facts = [
        f"{len(report.scenes)} scenes · {totals.pages} pages · {totals.cast_count} cast · "
        f"{totals.location_count} locations",
        f"Source file: {report.filename}",
        f"Analyser: {report.analyser}",
        f"Generated {_date(report.generated_at)} by CortexReel",
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
    for category in report.categories:
        if x > PAGE_WIDTH - MARGIN - 130:
            x, y = MARGIN, y + 20
        _swatch(page, pymupdf.Rect(x, y, x + 14, y + 12), category)
        page.insert_text((x + 18, y + 10), category.label, fontname=BODY_FONT, fontsize=9)
        x += 135


def _scene_sheet(document: Any, report: BreakdownReport, scene: SceneSheet) -> None:
    page = _new_page(document)
    right = PAGE_WIDTH - MARGIN
    # Header band in the scene's stripboard colour.
    band = pymupdf.Rect(MARGIN, MARGIN, right, MARGIN + 64)
    page.draw_rect(band, color=(0, 0, 0), fill=_rgb(scene.strip_colour), width=0.8)
    page.insert_text((MARGIN + 8, MARGIN + 16), "BREAKDOWN SHEET", fontname=BOLD_FONT, fontsize=9)
    page.insert_text((right - 200, MARGIN + 16), _fit(report.title, 38), fontname=BODY_FONT, fontsize=9)
    page.insert_text((MARGIN + 8, MARGIN + 44), f"Scene {scene.label}", fontname=BOLD_FONT, fontsize=18)
    page.insert_text((MARGIN + 120, MARGIN + 44), _fit(scene.heading, 60), fontname=BOLD_FONT, fontsize=11)
    # The four facts a scheduler reads first.
    facts = [
        ("INT/EXT", scene.int_ext or "-"),
        ("DAY/NIGHT", scene.day_night or "-"),
        ("PAGES", scene.pages),
        ("SCRIPT PAGE", scene.page),
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
    _text_box(page, pymupdf.Rect(MARGIN + 6, top + 14, right - 6, top + 40), scene.synopsis, BODY_FONT, 9)
    top += 52
    # Element boxes, two columns, each headed in its category colour.
    column_width = (right - MARGIN - 10) / 2
    columns_y = [top, top]
    for category in report.categories:
        items = scene.elements[category.key]
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
    _footer(page, report.title)


def _risk_pages(document: Any, title: str, risks: Sequence[RiskEntry]) -> None:
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
            _footer(page, title)
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
    _footer(page, title)


def _footer(page: Any, title: str) -> None:
    page.insert_text(
        (MARGIN, PAGE_HEIGHT - 20),
        f"{_fit(title, 60)} · CortexReel breakdown",
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


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return (int(hex_colour[0:2], 16) / 255, int(hex_colour[2:4], 16) / 255, int(hex_colour[4:6], 16) / 255)


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
