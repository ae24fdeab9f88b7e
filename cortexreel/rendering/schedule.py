"""Renderers of the shooting schedule: the stripboard PDF (strips in the board colours, black day banners, company
moves), the one-liner schedule PDF, and the Day Out of Days as CSV, XLSX or PDF. They lay out what the domain
computed (`cortexreel.domain.schedule`) and decide nothing."""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from typing import Any

import pymupdf as _pymupdf
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from cortexreel.domain.schedule import (
    DOOD_LEGEND,
    DoodColumn,
    DoodRow,
    Schedule,
    board_rows,
    cast_ids_text,
    day_out_of_days,
    day_strips,
    day_totals,
)

pymupdf: Any = _pymupdf  # PyMuPDF ships without type hints

BODY_FONT = "notos"  # Noto Sans from pymupdf-fonts: Polish and French letters survive
BOLD_FONT = "notosbo"
MARGIN = 28.0
# DOOD cell fills: work, hold, travel/rehearsal, holiday, day off.
CODE_FILLS = {"work": "#b9e4b0", "hold": "#fde68a", "travel": "#c7d2fe", "holiday": "#fbcfe8", "off": "#d1d5db"}
WORK_CODES = {"SW", "W", "WF", "SWF", "WD", "SWD", "PW", "PWF"}


def _code_fill(code: str) -> str | None:
    if code in WORK_CODES:
        return CODE_FILLS["work"]
    return {
        "H": CODE_FILLS["hold"],
        "T": CODE_FILLS["travel"],
        "R": CODE_FILLS["travel"],
        "HOL": CODE_FILLS["holiday"],
    }.get(code)


# --- PDF helpers -----------------------------------------------------------------------------------------------


@functools.cache
def _font(name: str) -> Any:
    return pymupdf.Font(name)


def _page(document: Any, *, landscape: bool) -> Any:
    width, height = pymupdf.paper_size("letter")
    page = document.new_page(width=height, height=width) if landscape else document.new_page(width=width, height=height)
    for name in (BODY_FONT, BOLD_FONT):
        page.insert_font(fontname=name, fontbuffer=_font(name).buffer)
    return page


def _rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    return (int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255)


def _fit(text: str, fontname: str, size: float, width: float) -> str:
    """`text` cut with "…" to fit `width` on one line."""
    font = _font(fontname)
    if font.text_length(text, fontsize=size) <= width:
        return text
    while text and font.text_length(text + "\u2026", fontsize=size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


def _write(
    page: Any,
    x: float,
    y: float,
    text: str,
    *,
    width: float,
    size: float = 8.0,
    bold: bool = False,
    colour: tuple[float, float, float] = (0, 0, 0),
) -> None:
    fontname = BOLD_FONT if bold else BODY_FONT
    page.insert_text((x, y), _fit(text, fontname, size, width), fontname=fontname, fontsize=size, color=colour)


def _finish(document: Any, title: str) -> bytes:
    document.set_metadata({"title": title, "creator": "CortexReel"})
    document.subset_fonts()
    data: bytes = document.tobytes(garbage=3, deflate=True)
    document.close()
    return data


def _header(page: Any, title: str, subtitle: str, width: float) -> float:
    _write(page, MARGIN, MARGIN + 12, title, width=width, size=13, bold=True)
    _write(page, MARGIN, MARGIN + 26, subtitle, width=width, size=8.5, colour=(0.3, 0.3, 0.3))
    return MARGIN + 38


def _subtitle(schedule: Schedule) -> str:
    totals = day_totals(schedule)
    eighths = sum(total.eighths for total in totals)
    pages = f"{eighths // 8} {eighths % 8}/8" if eighths % 8 else str(eighths // 8)
    first = schedule.days[0].date.isoformat() if schedule.days else "not scheduled"
    return (
        f"Version {schedule.version} \u00b7 {len(schedule.days)} shooting days from {first} \u00b7 {pages} pages "
        f"\u00b7 {len(schedule.strips)} scenes"
    )


# --- Stripboard ------------------------------------------------------------------------------------------------

STRIP_COLUMNS = (
    ("Sc.", 34),
    ("I/E", 34),
    ("Location", 190),
    ("D/N", 40),
    ("Pgs", 34),
    ("Synopsis", 290),
    ("Cast", 114),
)
STRIP_HEIGHT = 15.0


def stripboard_pdf(schedule: Schedule, title: str) -> bytes:
    """The board as a crew prints it: one coloured strip per scene, a company-move banner between sites, a black
    banner closing each day with its totals, the cast ID list at the end."""
    document = pymupdf.open()
    page = _page(document, landscape=True)
    width = page.rect.width - 2 * MARGIN
    top = _header(page, f"{title} \u2014 stripboard", _subtitle(schedule), width)
    y = _strip_head(page, top)
    for row in board_rows(schedule):
        if y + STRIP_HEIGHT > page.rect.height - MARGIN:
            page = _page(document, landscape=True)
            y = _strip_head(page, MARGIN)
        rect = pymupdf.Rect(MARGIN, y, MARGIN + width, y + STRIP_HEIGHT)
        if row.kind == "strip" and row.strip is not None:
            strip = row.strip
            page.draw_rect(rect, color=(0.45, 0.45, 0.45), fill=_rgb(strip.colour), width=0.4)
            cells = [
                strip.label,
                strip.setting or "",
                strip.location,
                (strip.day_or_night or "").upper(),
                strip.pages,
                strip.synopsis,
                cast_ids_text(schedule, strip),
            ]
            x = MARGIN + 3
            for (_, column_width), text in zip(STRIP_COLUMNS, cells, strict=True):
                _write(page, x, y + 10.5, text, width=column_width - 5, bold=text == strip.label)
                x += column_width
        elif row.kind == "move":
            page.draw_rect(rect, color=(0.45, 0.45, 0.45), fill=_rgb("#f3c98b"), width=0.4)
            _write(page, MARGIN + 6, y + 10.5, row.text, width=width - 12, bold=True)
        else:
            page.draw_rect(rect, color=(0, 0, 0), fill=(0, 0, 0), width=0.4)
            text = row.text + (f" \u2014 {row.note}" if row.note else "")
            if row.day is not None:
                text += f" \u2014 {row.day.scenes} scenes \u2014 about {row.day.hours}"
            _write(page, MARGIN + 6, y + 10.5, text, width=width - 12, bold=True, colour=(1, 1, 1))
        y += STRIP_HEIGHT
    _cast_list(document, page, schedule, y + 12)
    return _finish(document, f"{title} \u2014 stripboard")


def _strip_head(page: Any, y: float) -> float:
    x = MARGIN + 3
    for name, column_width in STRIP_COLUMNS:
        _write(page, x, y + 9, name, width=column_width - 4, size=7.5, bold=True)
        x += column_width
    return y + 13


def _cast_list(document: Any, page: Any, schedule: Schedule, y: float) -> None:
    if y + 30 > page.rect.height - MARGIN:
        page, y = _page(document, landscape=True), MARGIN + 10
    _write(page, MARGIN, y, "Cast", width=200, size=9, bold=True)
    y += 13
    column_width = (page.rect.width - 2 * MARGIN) / 4
    for index, name in enumerate(schedule.cast_order):
        column, line = divmod(index, 40)
        if column >= 4:
            break
        _write(page, MARGIN + column * column_width, y + line * 10, f"{index + 1}. {name}", width=column_width - 6)


# --- One-liner -------------------------------------------------------------------------------------------------


def one_liner_pdf(schedule: Schedule, title: str) -> bytes:
    """The one-line schedule: each shooting day's date, its scenes one per line, and the day's totals."""
    document = pymupdf.open()
    page = _page(document, landscape=False)
    width = page.rect.width - 2 * MARGIN
    y = _header(page, f"{title} \u2014 one-line schedule", _subtitle(schedule), width) + 6
    columns = ((0, 40), (40, 150), (190, 36), (226, 190), (416, 40))
    for day, totals in zip(schedule.days, day_totals(schedule), strict=True):
        strips = day_strips(schedule, day)
        if y + 34 + 11 * min(len(strips), 3) > page.rect.height - MARGIN:
            page, y = _page(document, landscape=False), MARGIN + 10
        date_text = day.date.strftime("%a %d %b %Y")
        heading = f"Shoot day {day.number} \u2014 {date_text}" + (f" \u2014 {day.note}" if day.note else "")
        _write(page, MARGIN, y + 10, heading, width=width, size=9.5, bold=True)
        y += 16
        for strip in strips:
            if y + 11 > page.rect.height - MARGIN:
                page, y = _page(document, landscape=False), MARGIN + 10
            page.draw_rect(
                pymupdf.Rect(MARGIN, y + 1, MARGIN + 8, y + 9), color=(0.4, 0.4, 0.4), fill=_rgb(strip.colour)
            )
            light = (strip.day_or_night or "").upper()
            cells = [
                f"Sc. {strip.label}",
                f"{strip.setting or ''} {strip.location}".strip(),
                light,
                strip.synopsis,
                f"{strip.pages} pgs",
            ]
            for (offset, column_width), text in zip(columns, cells, strict=True):
                _write(page, MARGIN + 12 + offset, y + 8, text, width=column_width - 4, size=7.5)
            _write(
                page,
                MARGIN + 12 + 460,
                y + 8,
                "Cast " + (cast_ids_text(schedule, strip) or "\u2014"),
                width=width - 472,
                size=7.5,
            )
            y += 11
        summary = (
            f"End of day {day.number}: {totals.scenes} scenes \u00b7 {totals.pages} pages \u00b7 about "
            f"{totals.hours} \u00b7 {totals.company_moves} company moves"
        )
        _write(page, MARGIN, y + 9, summary, width=width, size=7.5, bold=True, colour=(0.25, 0.25, 0.25))
        page.draw_line((MARGIN, y + 13), (MARGIN + width, y + 13), color=(0, 0, 0), width=0.8)
        y += 22
    return _finish(document, f"{title} \u2014 one-line schedule")


# --- Day Out of Days ---------------------------------------------------------------------------------------------

TOTAL_COLUMNS = ("Work", "Hold", "Travel", "Rehearsal", "Holiday", "Start", "Finish", "Total")


def _totals(row: Any) -> list[str | int]:
    return [
        row.work,
        row.hold,
        row.travel,
        row.rehearsal,
        row.holiday,
        row.start.isoformat() if row.start else "",
        row.finish.isoformat() if row.finish else "",
        row.total,
    ]


def dood_csv(schedule: Schedule) -> bytes:
    """The Day Out of Days grid: one row per cast member, one column per date, then the totals."""
    dood = day_out_of_days(schedule)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["ID", "Cast", *(column.date.isoformat() for column in dood.columns), *TOTAL_COLUMNS])
    writer.writerow(["", "Shoot day", *(column.title for column in dood.columns), *([""] * len(TOTAL_COLUMNS))])
    for row in dood.rows:
        writer.writerow([row.cast_id, row.name, *row.codes, *_totals(row)])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM lets Excel read Polish and French names


def dood_xlsx(schedule: Schedule, title: str) -> bytes:
    dood = day_out_of_days(schedule)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    sheet = workbook.create_sheet("Day Out of Days")
    thin = Side(style="thin", color="9CA3AF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    sheet.append([f"{title} \u2014 Day Out of Days"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(["ID", "Cast", *(column.date.strftime("%a %d %b") for column in dood.columns), *TOTAL_COLUMNS])
    sheet.append(["", "Shoot day", *(column.title for column in dood.columns)])
    for row in dood.rows:
        sheet.append([row.cast_id, row.name, *row.codes, *_totals(row)])
    for row_number in (2, 3):
        for column_number, cell in enumerate(sheet[row_number], start=1):
            cell.font = Font(bold=True)
            rotated = row_number == 2 and column_number > 2
            cell.alignment = Alignment(horizontal="center", text_rotation=90 if rotated else 0)
    for offset, column in enumerate(dood.columns):
        letter = get_column_letter(3 + offset)
        sheet.column_dimensions[letter].width = 5
        for row_number in range(2, 4 + len(dood.rows)):
            cell = sheet[f"{letter}{row_number}"]
            cell.border = border
            cell.alignment = Alignment(horizontal="center", text_rotation=cell.alignment.text_rotation)
            fill = CODE_FILLS["off"] if column.day_number is None else _code_fill(str(cell.value or ""))
            if fill and (row_number > 3 or column.day_number is None):
                cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 24
    sheet.freeze_panes = "C4"
    legend = workbook.create_sheet("Legend")
    legend.append(["Code", "Meaning"])
    for code, meaning in DOOD_LEGEND.items():
        legend.append([code, meaning])
    legend.append(["Off", "a day off (no shooting)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOOD_DAYS_PER_PAGE = 28


def dood_pdf(schedule: Schedule, title: str) -> bytes:
    """The Day Out of Days on landscape pages: at most DOOD_DAYS_PER_PAGE date columns and as many cast rows as fit
    a page; the totals are beside the last dates."""
    dood = day_out_of_days(schedule)
    document = pymupdf.open()
    column_chunks = [
        (start, dood.columns[start : start + DOOD_DAYS_PER_PAGE])
        for start in range(0, len(dood.columns), DOOD_DAYS_PER_PAGE)
    ] or [(0, [])]
    row_chunks = [
        dood.rows[start : start + DOOD_ROWS_PER_PAGE] for start in range(0, len(dood.rows), DOOD_ROWS_PER_PAGE)
    ]
    pages = [(first, columns, rows) for first, columns in column_chunks for rows in (row_chunks or [[]])]
    for number, (first, columns, rows) in enumerate(pages):
        page = _page(document, landscape=True)
        width = page.rect.width - 2 * MARGIN
        subtitle = _subtitle(schedule) + (f" \u00b7 page {number + 1} of {len(pages)}" if len(pages) > 1 else "")
        y = _header(page, f"{title} \u2014 Day Out of Days", subtitle, width)
        with_totals = first + len(columns) == len(dood.columns)
        _dood_grid(page, rows, columns, first, y, with_totals=with_totals)
        legend = " \u00b7 ".join(f"{code} {meaning}" for code, meaning in DOOD_LEGEND.items())
        _write(page, MARGIN, page.rect.height - MARGIN + 8, legend, width=width, size=6.5, colour=(0.3, 0.3, 0.3))
    return _finish(document, f"{title} \u2014 Day Out of Days")


DOOD_ROWS_PER_PAGE = 36


def _dood_grid(
    page: Any, rows: Sequence[DoodRow], columns: Sequence[DoodColumn], first: int, y: float, *, with_totals: bool
) -> None:
    name_width, cell, row_height = 120.0, 19.0, 13.0
    total_width = 26.0
    x0 = MARGIN
    _write(page, x0, y + 18, "Cast", width=name_width, size=7.5, bold=True)
    for index, column in enumerate(columns):
        x = x0 + name_width + index * cell
        _write(page, x + 1, y + 8, column.date.strftime("%d/%m"), width=cell, size=5.5)
        _write(page, x + 3, y + 18, column.title, width=cell, size=6.5, bold=True)
    totals_x = x0 + name_width + len(columns) * cell + 6
    if with_totals:
        for index, name in enumerate(("W", "H", "T", "R", "Hol", "Tot")):
            _write(page, totals_x + index * total_width, y + 18, name, width=total_width, size=6.5, bold=True)
    y += 22
    for row in rows:
        _write(page, x0, y + 9.5, f"{row.cast_id}. {row.name}", width=name_width - 4, size=7)
        for index, column in enumerate(columns):
            code = row.codes[first + index]
            rect = pymupdf.Rect(x0 + name_width + index * cell, y, x0 + name_width + (index + 1) * cell, y + row_height)
            fill = CODE_FILLS["off"] if column.day_number is None else _code_fill(code)
            page.draw_rect(rect, color=(0.6, 0.6, 0.6), fill=_rgb(fill) if fill else None, width=0.3)
            if code:
                _write(page, rect.x0 + 2, y + 9.5, code, width=cell - 2, size=6, bold=code in WORK_CODES)
        if with_totals:
            for index, value in enumerate((row.work, row.hold, row.travel, row.rehearsal, row.holiday, row.total)):
                _write(page, totals_x + index * total_width, y + 9.5, str(value), width=total_width, size=7)
        y += row_height
