"""Exports parse back: CSV with csv, XLSX with openpyxl, JSON with json, PDF with PyMuPDF."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from openpyxl import load_workbook

from cortexreel import cli
from cortexreel.container import Services
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scripts import Script
from cortexreel.errors import InvalidInputError, NotFoundError
from cortexreel.services import exports, scenes, scripts
from tests.builders import fountain_script

FITZ: Any = pymupdf


@pytest.fixture
def script(services: Services) -> Script:
    return scripts.ingest(services, fountain_script(6, title="Fish Story").encode(), "fish_story.fountain", owner="ann")


def test_csv_has_a_row_per_scene_with_sheet_fields_and_categories(services: Services, script: Script) -> None:
    exported = exports.export_script(services, "ann", script.id, "csv")
    assert exported.filename == "fish-story-breakdown.csv"
    assert exported.mime == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert [row["Scene"] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    first = rows[0]
    assert first["Heading"] == "EXT. RIVER BANK - DAY"
    assert (first["INT/EXT"], first["Day/Night"], first["Location"]) == ("EXT", "DAY", "RIVER BANK")
    assert first["Pages"].endswith("/8") or first["Pages"].isdigit()
    assert "WILL" in first["Cast"] and "SANDRA" in first["Cast"]
    assert {"Props", "Vehicles", "Weapons", "Animals", "Stunts", "Wardrobe"} <= set(first)
    assert rows[3]["Weapons"] == "handgun"  # the revolver on the table in scene 4


def test_edits_are_exported(services: Services, script: Script) -> None:
    scene = scenes.scene_by_number(services, "ann", script.id, 2)
    scenes.edit_fields(
        services, "ann", scene.id, [FieldEdit("breakdown.vehicles", "add", "Hearse")], expected_version=scene.version
    )
    rows = list(
        csv.DictReader(io.StringIO(exports.export_script(services, "ann", script.id, "csv").data.decode("utf-8-sig")))
    )
    assert "Hearse" in rows[1]["Vehicles"]


def test_xlsx_has_one_sheet_per_category_with_scenes_by_elements(services: Services, script: Script) -> None:
    exported = exports.export_script(services, "ann", script.id, "xlsx")
    workbook = load_workbook(io.BytesIO(exported.data))
    assert workbook.sheetnames[0] == "Breakdown"
    assert {"Cast", "Props", "Vehicles", "Weapons", "Animals", "Stunts"} <= set(workbook.sheetnames)
    cast = workbook["Cast"]
    header = [cell.value for cell in cast[1]]
    assert header[:2] == ["Scene", "Heading"]
    assert set(header[2:]) == {"EDWARD", "WILL", "SANDRA", "JOSEPHINE"}
    assert cast.max_row == 7  # header + six scenes
    will = header.index("WILL")
    marks = [cast.cell(row=row, column=will + 1).value for row in range(2, 8)]
    assert marks.count("●") >= 2
    assert workbook["Cast"]["A1"].fill.fgColor.rgb.endswith("E53935")  # cast is red
    assert workbook["Breakdown"].max_row == 7


def test_json_carries_every_scene_analysis_and_rollups(services: Services, script: Script) -> None:
    data = json.loads(exports.export_script(services, "ann", script.id, "json").data)
    assert data["script"]["id"] == script.id
    assert len(data["scenes"]) == 6
    assert all(scene["analysis"] is not None for scene in data["scenes"])
    assert {entry["name"] for entry in data["rollups"]["cast"]} == {"EDWARD", "WILL", "SANDRA", "JOSEPHINE"}


def test_pdf_has_title_page_a_sheet_per_scene_and_risk_register(services: Services, script: Script) -> None:
    exported = exports.export_script(services, "ann", script.id, "pdf")
    assert exported.data.startswith(b"%PDF")
    document = FITZ.open(stream=exported.data, filetype="pdf")
    texts = [page.get_text() for page in document]
    assert "FISH STORY" in texts[0] and "Production breakdown" in texts[0]
    sheets = [text for text in texts if "BREAKDOWN SHEET" in text]
    assert len(sheets) == 6
    assert "Scene 1" in sheets[0] and "EXT. RIVER BANK - DAY" in sheets[0]
    assert "INT/EXT" in sheets[0] and "DAY/NIGHT" in sheets[0] and "PAGES" in sheets[0] and "CAST" in sheets[0]
    assert "RISK REGISTER" in texts[7]  # the register follows the sheets and may run over several pages
    register = "\n".join(texts[7:])
    assert "Mitigation" in register
    document.close()


def test_unknown_format_and_invisible_script_are_refused(services: Services, script: Script) -> None:
    with pytest.raises(InvalidInputError, match="docx"):
        exports.export_script(services, "ann", script.id, "docx")
    with pytest.raises(NotFoundError):
        exports.export_script(services, "bob", script.id, "csv")


def test_cli_export_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "cli.fountain"
    source.write_text(fountain_script(3), encoding="utf-8")
    assert cli.main(["ingest", str(source), "--json"]) == 0
    script_id = json.loads(capsys.readouterr().out.strip().splitlines()[-1])["id"]
    for fmt in ("csv", "xlsx", "json", "pdf"):
        target = tmp_path / f"out.{fmt}"
        assert cli.main(["export", script_id, "--format", fmt, "-o", str(target)]) == 0
        assert target.stat().st_size > 0
    assert len(json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["scenes"]) == 3
    assert cli.main(["export", "no-such-id", "--format", "csv", "-o", str(tmp_path / "x.csv")]) == 2
    assert "no script" in capsys.readouterr().err


MULTILINGUAL = """Title: Ostatni dzień lata

EXT. JEZIORO - NOC

Olka wypływa łódką na środek jeziora. She fires a gun into the air.

OLKA
Zażółć gęślą jaźń.

INT. CAFÉ DE LA GARE - JOUR

Zoé goûte la crème brûlée à côté de l'hôpital.

EXT. STRASSE - NACHT

Jürgen läuft über die große Straße. Öl, Äpfel, Übermut.
"""


def test_pdf_keeps_polish_french_and_german_letters_and_fills_mitigation(services: Services) -> None:
    script = scripts.ingest(services, MULTILINGUAL.encode(), "lato.fountain", owner="ann")
    document = FITZ.open(stream=exports.export_script(services, "ann", script.id, "pdf").data, filetype="pdf")
    text = "\n".join(page.get_text() for page in document)
    for words in ("OSTATNI DZIEŃ LATA", "wypływa łódką", "środek", "CAFÉ", "crème brûlée", "Jürgen", "große"):
        assert words in text, words
    register = text[text.index("RISK REGISTER") :]
    # The weapon hazard's mitigation is in the app; the register's Mitigation column must show it too.
    assert "Armourer" in " ".join(register.split()), register
    document.close()


def test_xlsx_numbers_are_numbers_sheet_names_clean_and_file_names_tidy(services: Services) -> None:
    script = scripts.ingest(
        services, fountain_script(3, title="Brick & Steel (full, retired)").encode(), "brick.fountain", owner="ann"
    )
    exported = exports.export_script(services, "ann", script.id, "xlsx")
    assert exported.filename == "brick-steel-full-retired-breakdown.xlsx"
    workbook = load_workbook(io.BytesIO(exported.data))
    assert all("  " not in name for name in workbook.sheetnames), workbook.sheetnames
    assert "Extras Atmosphere" in workbook.sheetnames
    summary = workbook["Breakdown"]
    header = [cell.value for cell in summary[1]]
    scene_column, page_column = header.index("Scene"), header.index("Page")
    first = [cell.value for cell in summary[2]]
    assert first[scene_column] == 1 and isinstance(first[page_column], int)
