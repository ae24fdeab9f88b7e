"""Schedule exports opened back: the stripboard and one-liner PDFs (text and board colours), the DOOD as XLSX, CSV
and PDF, with Polish and French names intact; and through the service, with its permissions."""

from __future__ import annotations

import csv
import io
from typing import Any

import pymupdf as _pymupdf
import pytest
from openpyxl import load_workbook

from cortexreel.container import Services
from cortexreel.domain.schedule import Schedule, SolveReport, place, strip_colour
from cortexreel.domain.scripts import Member
from cortexreel.errors import InvalidInputError, NotFoundError
from cortexreel.rendering.schedule import dood_csv, dood_pdf, dood_xlsx, one_liner_pdf, stripboard_pdf
from cortexreel.services import schedule as schedules
from cortexreel.services import scripts
from tests.builders import fountain_script
from tests.schedule_builders import scene, schedule_of, sid

pymupdf: Any = _pymupdf


@pytest.fixture
def board() -> Schedule:
    scenes = [
        scene(1, "DWÓR - KUCHNIA", cast=("ŁUCJA", "FRANÇOIS")),
        scene(2, "LAS", setting="EXT", time="NOC", cast=("ŁUCJA",)),
        scene(3, "CAFÉ DE LA GARE", setting="EXT", time="JOUR", cast=("FRANÇOIS",)),
        scene(4, "DWÓR - SALON", time="NUIT", cast=("ŁUCJA",)),
    ]
    base = schedule_of(scenes, start="2027-03-05")
    placed = place(base, [[sid(1), sid(3)], [sid(2), sid(4)]], SolveReport(method="edited"))
    return placed.model_copy(update={"version": 3})


def pdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as document:
        return "\n".join(page.get_text() for page in document)


def pdf_fills(data: bytes) -> set[str]:
    fills = set()
    with pymupdf.open(stream=data, filetype="pdf") as document:
        for page in document:
            for drawing in page.get_drawings():
                if drawing.get("fill"):
                    red, green, blue = (round(part * 255) for part in drawing["fill"])
                    fills.add(f"#{red:02x}{green:02x}{blue:02x}")
    return fills


def test_stripboard_pdf_has_strips_in_board_colours_banners_and_cast_ids(board: Schedule) -> None:
    data = stripboard_pdf(board, "Kolory Zła")
    text = pdf_text(data)
    for expected in (
        "Kolory Zła — stripboard",
        "DWÓR - KUCHNIA",
        "CAFÉ DE LA GARE",
        "COMPANY MOVE TO DWÓR",
        "COMPANY MOVE TO LAS",
        "END OF DAY 1 — Fri 2027-03-05",
        "END OF DAY 2 — Mon 2027-03-08",
        "1. ŁUCJA",
        "2. FRANÇOIS",
    ):
        assert expected in text
    assert "1, 2" in text  # scene 1's cast by ID
    fills = pdf_fills(data)
    assert {strip_colour("INT", "day"), strip_colour("EXT", "day"), strip_colour("EXT", "night"), "#000000"} <= fills
    assert strip_colour("INT", "night") in fills


def test_one_liner_lists_each_day_with_its_totals(board: Schedule) -> None:
    text = pdf_text(one_liner_pdf(board, "Kolory Zła"))
    assert "Shoot day 1 — Fri 05 Mar 2027" in text and "Shoot day 2 — Mon 08 Mar 2027" in text
    assert "Sc. 3" in text and "INT DWÓR - SALON" in text
    assert "End of day 1: 2 scenes · 2 pages" in text


def test_dood_xlsx_csv_and_pdf_carry_the_same_grid(board: Schedule) -> None:
    workbook = load_workbook(io.BytesIO(dood_xlsx(board, "Kolory Zła")))
    sheet = workbook["Day Out of Days"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][:2] == ["ID", "Cast"] and rows[0][2] == "Fri 05 Mar"
    assert rows[1][2:6] == ["1", "Off", "Off", "2"]
    lucja = next(row for row in rows if row[1] == "ŁUCJA")
    francois = next(row for row in rows if row[1] == "FRANÇOIS")
    assert lucja[2:6] == ["SW", None, None, "WF"] and francois[2:6] == ["SWF", None, None, None]
    assert lucja[6:] == [2, 0, 0, 0, 0, "2027-03-05", "2027-03-08", 2]
    assert [row[0].value for row in workbook["Legend"].iter_rows(min_row=2)][:4] == ["SW", "W", "WF", "SWF"]

    table = list(csv.reader(io.StringIO(dood_csv(board).decode("utf-8-sig"))))
    assert table[0][:3] == ["ID", "Cast", "2027-03-05"]
    assert table[2][:6] == ["1", "ŁUCJA", "SW", "", "", "WF"]

    text = pdf_text(dood_pdf(board, "Kolory Zła"))
    assert "Day Out of Days" in text and "1. ŁUCJA" in text and "2. FRANÇOIS" in text and "SWF" in text


def test_exports_through_the_service(services: Services) -> None:
    script = scripts.ingest(services, fountain_script(6).encode(), "fish.fountain", owner="ann")
    services.documents.update_script(script.id, members=[Member(login="vic", role="viewer")])
    with pytest.raises(NotFoundError, match="no schedule yet"):
        schedules.export(services, "vic", script.id, "dood", "xlsx")
    schedules.draft(services, "ann", script.id, expected_version=0, time_limit=1.0)
    built = schedules.export(services, "vic", script.id, "dood", "xlsx")
    assert built.filename == "generated-fish-dood-v1.xlsx" and built.data.startswith(b"PK")
    assert schedules.export(services, "vic", script.id, "stripboard", "pdf").data.startswith(b"%PDF")
    with pytest.raises(InvalidInputError, match="comes as PDF"):
        schedules.export(services, "vic", script.id, "stripboard", "xlsx")
    with pytest.raises(NotFoundError):
        schedules.export(services, "bob", script.id, "dood", "csv")
