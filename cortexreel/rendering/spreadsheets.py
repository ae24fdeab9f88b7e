"""The breakdown as CSV (a row per scene) and as an XLSX workbook (a summary sheet, then a sheet per category)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from cortexreel.rendering.breakdown import BreakdownReport, SceneSheet


def breakdown_csv(report: BreakdownReport) -> bytes:
    """The breakdown as CSV, one row per scene, UTF-8 with a BOM so spreadsheet programs read accents."""
    rows = report.rows
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def breakdown_xlsx(report: BreakdownReport) -> bytes:
    """A workbook: a "Breakdown" summary sheet, then one sheet per category with scenes as rows and that
    category's elements as columns ("●" where the element appears), headers in the category's colour."""
    workbook = Workbook()
    summary = workbook.active
    if summary is None:  # a new Workbook always has one sheet
        summary = workbook.create_sheet()
    summary.title = "Breakdown"
    rows = report.rows
    header = list(rows[0])
    summary.append(header)
    for row in rows:
        summary.append([_number_or_text(row[name]) for name in header])
    _style_header(summary, "37474F", white_text=True)
    for row_index, scene in enumerate(report.scenes, start=2):
        summary.cell(row=row_index, column=1).fill = PatternFill("solid", fgColor=scene.strip_colour)
    summary.freeze_panes = "B2"
    for category in report.categories:
        elements = _elements_in_order(report.scenes, category.key)
        sheet = workbook.create_sheet(_sheet_name(category.label))
        sheet.append(["Scene", "Heading", *elements])
        for scene in report.scenes:
            present = set(scene.elements[category.key])
            sheet.append(
                [
                    _number_or_text(scene.label),
                    scene.heading,
                    *("●" if element in present else "" for element in elements),
                ]
            )
        _style_header(sheet, category.colour, white_text=category.colour not in ("FFFFFF", "FFF176"))
        sheet.freeze_panes = "C2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _elements_in_order(scenes: Sequence[SceneSheet], key: str) -> list[str]:
    seen: dict[str, None] = {}
    for scene in scenes:
        for item in scene.elements[key]:
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
