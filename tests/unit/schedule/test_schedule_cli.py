"""`schedule` and `dood` on the command line: a draft printed as a one-line schedule or JSON, the DOOD written to a
file, and mistakes explained with exit code 2."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cortexreel.cli import main
from tests.builders import fountain_script


@pytest.fixture
def script_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    path = tmp_path / "fish.fountain"
    path.write_text(fountain_script(10))
    assert main(["ingest", str(path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    return str(record["id"])


def test_schedule_json_and_one_liner(script_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["schedule", script_id, "--pages-per-day", "2.5", "--start", "2027-03-01", "--time-limit", "1", "--json"])
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    schedule = printed["schedule"]
    assert schedule["version"] == 1 and schedule["constraints"]["pages_per_day"] == 20
    assert schedule["days"][0]["date"] == "2027-03-01" and schedule["unscheduled"] == []
    assert printed["violations"] == [] and printed["metrics"]["days"] == len(schedule["days"])
    assert all(day["eighths"] <= 20 or day["scenes"] == 1 for day in printed["days"])

    assert main(["schedule", script_id, "--show"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Version 1: ") and lines[1].startswith("Day   1  Mon 2027-03-01")


def test_dood_is_written_to_a_file(script_id: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", script_id, "--time-limit", "1"]) == 0
    target = tmp_path / "dood.xlsx"
    assert main(["dood", script_id, "--format", "xlsx", "-o", str(target)]) == 0
    sheet = load_workbook(io.BytesIO(target.read_bytes()))["Day Out of Days"]
    assert sheet["A2"].value == "ID" and sheet["B2"].value == "Cast"
    board = tmp_path / "board.pdf"
    assert main(["dood", script_id, "--report", "stripboard", "--format", "pdf", "-o", str(board)]) == 0
    assert board.read_bytes().startswith(b"%PDF")


def test_mistakes_exit_with_a_reason(script_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schedule", script_id, "--show"]) == 2
    assert "no schedule yet" in capsys.readouterr().err
    assert main(["schedule", script_id, "--pages-per-day", "5.3"]) == 2
    assert "not a number of eighths" in capsys.readouterr().err
    assert main(["dood", script_id, "--format", "csv", "-o", "x.csv"]) == 2
    assert "no schedule yet" in capsys.readouterr().err
    assert main(["schedule", script_id, "--user", "mallory"]) == 2
    assert "There is no script" in capsys.readouterr().err
