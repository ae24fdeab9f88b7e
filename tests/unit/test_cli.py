"""The command line: parse, ingest, status and scenes on the embedded defaults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cortexreel.cli import main
from tests.builders import fountain_script

ELEMENT_KEYS = {"type", "text", "character", "dual"}
SCENE_KEYS = {
    "number",
    "heading",
    "setting",
    "location",
    "time_of_day",
    "page_start",
    "page_end",
    "printed_page_start",
    "printed_page_end",
    "pdf_page_start",
    "pdf_page_end",
    "characters",
    "elements",
}


@pytest.fixture
def script_file(tmp_path: Path) -> Path:
    path = tmp_path / "fish.fountain"
    path.write_text(fountain_script(12))
    return path


def test_parse_json_has_exactly_the_documented_shape(script_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(script_file), "--json"]) == 0
    out = capsys.readouterr()
    parsed = json.loads(out.out)
    assert set(parsed) == {"title", "pages", "scenes"}
    assert parsed["title"] == "Generated Fish"
    assert len(parsed["scenes"]) == 12
    first = parsed["scenes"][0]
    assert set(first) == SCENE_KEYS
    assert first["heading"] == "EXT. RIVER BANK - DAY"
    assert (first["setting"], first["location"], first["time_of_day"]) == ("EXT", "RIVER BANK", "DAY")
    assert first["characters"] == ["WILL", "SANDRA"]
    assert all(set(element) == ELEMENT_KEYS for scene in parsed["scenes"] for element in scene["elements"])
    dialogue = [e for e in first["elements"] if e["type"] == "dialogue"]
    assert dialogue[0] == {"type": "dialogue", "text": dialogue[0]["text"], "character": "WILL", "dual": False}


def test_parse_errors_go_to_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    letter = tmp_path / "letter.txt"
    letter.write_text("Dear Sir,\nplease find my invoice attached.\n")
    assert main(["parse", str(letter), "--json"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert "scene headings" in out.err
    assert main(["parse", str(letter), "--json", "--allow-unstructured"]) == 0
    assert len(json.loads(capsys.readouterr().out)["scenes"]) == 1
    assert main(["parse", str(tmp_path / "missing.pdf")]) == 2
    assert "There is no file" in capsys.readouterr().err


def test_ingest_wait_prints_progress_and_the_final_record(
    script_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ingest", str(script_file), "--wait", "--json"]) == 0
    out = capsys.readouterr()
    record = json.loads(out.out)
    assert record["status"] == "completed"
    assert record["scene_count"] == 12
    assert "completed  12/12 scenes" in out.err
    assert "[##############################]" in out.err

    assert main(["status", record["id"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == record["id"]
    assert main(["status", record["id"]]) == 0
    assert "completed" in capsys.readouterr().out

    assert main(["scenes", record["id"], "--json"]) == 0
    scenes = json.loads(capsys.readouterr().out)["scenes"]
    assert [scene["number"] for scene in scenes] == list(range(1, 13))
    assert all(scene["analysis"] is not None and scene["version"] == 1 for scene in scenes)
    assert main(["scenes", record["id"]]) == 0
    assert "EXT. RIVER BANK - DAY" in capsys.readouterr().out


def test_ingest_without_wait_prints_the_id(script_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", str(script_file)]) == 0
    out = capsys.readouterr()
    script_id = out.out.strip()
    assert len(script_id) == 32
    assert main(["status", script_id, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "completed"


def test_unknown_script(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "nope"]) == 2
    assert "no script with id nope" in capsys.readouterr().err


def test_chat_history_and_revert(script_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", str(script_file), "--json"])
    script_id = json.loads(capsys.readouterr().out)["id"]

    assert main(["chat", script_id, "set the time of day of scene 2 to night", "--json"]) == 0
    proposal = json.loads(capsys.readouterr().out)
    assert proposal["applied"] is False
    assert [(c["scene_number"], c["path"], c["new"]) for c in proposal["changes"]] == [
        (2, "location.time_of_day", "NIGHT")
    ]

    assert main(["chat", script_id, "set the time of day of scene 2 to night", "--apply", "--json"]) == 0
    applied = json.loads(capsys.readouterr().out)
    assert applied["applied"] is True
    assert set(applied) == {"reply", "changes", "applied"}

    assert main(["history", script_id, "--scene", "2", "--json"]) == 0
    versions = json.loads(capsys.readouterr().out)["versions"]
    assert [(v["version"], v["source"]) for v in versions] == [(1, "analysis"), (2, "chat")]
    assert versions[1]["changes"][0]["path"] == "location.time_of_day"

    assert main(["revert", script_id, "--scene", "2", "--version", "1"]) == 0
    assert "saved as version 3" in capsys.readouterr().out
    main(["history", script_id, "--scene", "2"])
    assert "v3" in capsys.readouterr().out
    assert main(["revert", script_id, "--scene", "2", "--version", "9"]) == 2
    assert "no version 9" in capsys.readouterr().err


def test_ingest_of_a_script_that_fails_exits_2_like_every_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Detected as Fountain, but nothing in it is a screenplay: the parse step fails the script.
    path = tmp_path / "notes.fountain"
    path.write_text("Title: Notes\n\n")
    assert main(["ingest", str(path), "--wait", "--json"]) == 2
    assert "error:" in capsys.readouterr().err


def test_the_scene_list_shows_the_edited_facts(script_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["ingest", str(script_file), "--json"])
    script_id = json.loads(capsys.readouterr().out)["id"]
    for message in ("set the risk level of scene 3 to extreme", "add MARGARET to the cast of scene 3"):
        assert main(["chat", script_id, message, "--apply", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["applied"] is True
    assert main(["scenes", script_id]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = next(index for index, line in enumerate(lines) if line.split() and line.split()[0] == "3")
    assert "EXTREME" in lines[at]
    assert "MARGARET" in lines[at + 1]  # the cast line: the edited cast, not only who speaks
