"""One AppTest flow per feature: upload, filter, edit, diff, revert, stale edit, export, settings."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pymupdf
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scenes import Scene
from cortexreel.domain.scripts import Member, Script
from cortexreel.domain.users import LOCAL_USER
from cortexreel.services import scenes, scripts
from cortexreel.ui import state
from cortexreel.ui.services import carry_on_interrupted_work, get_services
from cortexreel.ui.state import field_key
from tests.builders import fountain_script
from tests.texts import shown
from tests.ui.conftest import APP, open_app, wait_completed

FITZ: Any = pymupdf
TONE = "narrative.emotional_tone"


def _texts(app: AppTest) -> str:
    parts = [shown(element) for element in (*app.success, *app.error, *app.warning, *app.info)]
    return "\n".join(str(part) for part in parts)


def _first_scene(script: Script) -> Scene:
    return scenes.scene_by_number(get_services(), LOCAL_USER, script.id, 1)


def _save_tone(app: AppTest, scene: Scene, seen: int, tone: str, note: str) -> AppTest:
    app.text_input(key=field_key(TONE, scene.id, seen)).set_value(tone)
    app.text_input(key=f"note-Narrative-{scene.id}-v{seen}").set_value(note)
    button = next(item for item in app.button if item.label == "Save narrative as a new version")
    return button.click().run()


def test_upload_several_files_explains_rejections_and_shows_progress_to_completion() -> None:
    app = open_app("pages/upload.py")
    assert any("50 MB" in shown(markdown) and "600 pages" in shown(markdown) for markdown in app.markdown)
    uploader: Any = app.get("file_uploader")[0]
    uploader.set_value(
        [
            ("fish.fountain", fountain_script(4, title="Fish").encode(), "text/plain"),
            ("poster.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "application/pdf"),
            ("empty.txt", b"", "text/plain"),
        ]
    )
    app.run()
    app.button(key="start_upload").click().run()
    assert not app.exception
    assert any("fish.fountain" in shown(item) and "Queued" in shown(item) for item in app.success)
    errors = [shown(item) for item in app.error]
    assert any("poster.pdf" in text and "PNG" in text for text in errors), errors
    assert any("empty.txt" in text and "empty" in text for text in errors), errors
    (only,) = scripts.list_scripts(get_services(), LOCAL_USER)
    assert app.session_state[state.CURRENT_SCRIPT] == only.id
    wait_completed(only.id)
    app.switch_page("pages/home.py").run()
    table = app.dataframe[0].value
    assert table["Status"].tolist() == ["completed"]
    assert table["Scenes"].tolist() == [4]
    assert table["Progress"].tolist() == ["done · 4 scenes"]


def test_running_script_shows_live_progress() -> None:
    script = scripts.ingest(get_services(), fountain_script(3).encode(), "slow.fountain")
    get_services().documents.update_script(
        script.id, status="analyzing", progress={"stage": "analyzing", "done": 1, "total": 3}
    )
    wait_completed(script.id)  # the runner finishes; then pretend it is still running to see the fragment
    carry_on_interrupted_work()  # what the app does once at start, before the pretence (or it would carry it on)
    get_services().documents.update_script(
        script.id, status="analyzing", progress={"stage": "analyzing", "done": 1, "total": 3}
    )
    app = open_app()
    assert any("In progress" in header.value for header in app.subheader)
    assert any("1 / 3 scenes" in bar.proto.text for bar in app.get("progress"))
    # No job of it is queued or running: the Library says so, and offers Retry at once.
    assert any("stalled: nothing is running it" in bar.proto.text for bar in app.get("progress"))
    assert not app.button(key="retry_script").disabled


def test_retry_and_delete_with_confirmation(completed_script: Script) -> None:
    get_services().documents.update_script(
        completed_script.id, status="failed", error={"stage": "analyzing", "message": "The model timed out."}
    )
    app = open_app(None, completed_script.id)
    assert any("The model timed out." in shown(error) for error in app.error)
    app.button(key="retry_script").click().run()
    assert not app.exception
    wait_completed(completed_script.id)
    assert scripts.get_script(get_services(), completed_script.id).status == "completed"
    app.run()
    app.button(key="delete_script").click().run()
    assert any("cannot be undone" in warning.value for warning in app.warning)
    assert scripts.list_scripts(get_services(), LOCAL_USER)
    app.button(key="confirm_delete").click().run()
    assert scripts.list_scripts(get_services(), LOCAL_USER) == []
    assert any("library is empty" in shown(info) for info in app.info)


def test_filter_scenes(completed_script: Script) -> None:
    app = open_app("pages/scenes.py", completed_script.id)
    assert len(app.dataframe[0].value) == 6
    app.multiselect(key="filter_settings").set_value(["EXT"]).run()
    table = app.dataframe[0].value
    assert set(table["INT/EXT"]) == {"EXT"} and len(table) == 3
    app.multiselect(key="filter_times").set_value(["night"]).run()
    assert app.dataframe[0].value["#"].tolist() == ["3"]
    app.text_input(key="filter_text").set_value("nowhere-at-all").run()
    assert any("No scene matches" in shown(info) for info in app.info)


def test_scene_link_opens_that_scene(completed_script: Script) -> None:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["script"] = completed_script.id
    app.query_params["scene"] = "4"
    app.run()
    app.switch_page("pages/scenes.py").run()
    assert any("Scene 4" in header.value for header in app.subheader)


def test_edit_saves_version_2_then_diff_and_revert(completed_script: Script) -> None:
    scene = _first_scene(completed_script)
    app = open_app("pages/scenes.py", completed_script.id)
    assert any("cr-page" in html.proto.body for html in app.get("html"))  # the screenplay layout
    app = _save_tone(app, scene, 1, "elegiac", "tone was wrong")
    assert not app.exception
    assert any("Saved version 2" in shown(item) for item in app.success), _texts(app)
    saved = _first_scene(completed_script)
    assert (saved.version, saved.analysis and saved.analysis.narrative.emotional_tone) == (2, "elegiac")
    history = scenes.history(get_services(), LOCAL_USER, scene.id)
    assert [(item.version, item.note, item.author) for item in history][-1] == (2, "tone was wrong", LOCAL_USER)
    # History tab: versions listed, and the side-by-side diff of 1 and 2 shows the tone.
    versions_table = next(frame.value for frame in app.dataframe if "Author" in frame.value.columns)
    assert versions_table["Version"].tolist() == [2, 1]
    diff = next(frame.value for frame in app.dataframe if "Field" in frame.value.columns)
    row = diff[diff["Field"] == "Narrative › Emotional tone"]  # read as words, not as an internal path
    assert row["Version 2"].tolist() == ["elegiac"]
    # Revert to version 1 writes version 3 equal to version 1.
    app.button(key=f"revert-{scene.id}").click().run()
    assert any("Reverted to version 1 as version 3" in shown(item) for item in app.success), _texts(app)
    reverted = _first_scene(completed_script)
    assert reverted.version == 3
    assert reverted.analysis == history[0].analysis


def test_every_item_and_hazard_shows_the_sentence_behind_it(completed_script: Script) -> None:
    scene = _first_scene(completed_script)
    assert scene.analysis is not None and scene.analysis.safety.hazards and scene.analysis.breakdown.extras
    app = open_app("pages/scenes.py", completed_script.id)
    assert not app.exception
    tables = [frame.value for frame in app.dataframe if "From the scene" in frame.value.columns]
    rows = [row for table in tables for _, row in table.iterrows()]
    quotes = {(row["Listed under"], row["Item"]): row["From the scene"] for row in rows}
    breakdown = scene.analysis.breakdown
    expected = [("Breakdown › Cast", name) for name in breakdown.cast]
    expected += [("Breakdown › Extras", item) for item in breakdown.extras]
    expected += [("Breakdown › Props", prop.name) for prop in breakdown.props]
    expected += [("Safety › Hazards", hazard.category) for hazard in scene.analysis.safety.hazards]
    text = " ".join(scene.text.split())
    for key in expected:
        assert key in quotes, key
        assert quotes[key].split(": ", 1)[-1] in text, quotes[key]  # a speaker's is "NAME: first line"
    assert quotes[("Safety › Hazards", "water")] == "EXT. RIVER BANK - DAY"  # the heading is the scene's too
    wading = "Will wades into the cold water while a crowd of villagers watches from the bridge."
    assert quotes[("Breakdown › Extras", "villagers")] == wading


def test_stale_edit_is_refused_and_fresh_data_shown(completed_script: Script) -> None:
    scene = _first_scene(completed_script)
    app = open_app("pages/scenes.py", completed_script.id)
    # Someone else (a member of the script) saves while this user has the form open.
    get_services().documents.update_script(completed_script.id, members=[Member(login="bea", role="editor")])
    scenes.edit_fields(get_services(), "bea", scene.id, [FieldEdit(TONE, "set", "ominous")], expected_version=1)
    app = _save_tone(app, scene, 1, "playful", "my change")
    assert not app.exception
    assert any("Not saved" in shown(error) and "version 2" in shown(error) for error in app.error), _texts(app)
    current = _first_scene(completed_script)
    assert (current.version, current.analysis and current.analysis.narrative.emotional_tone) == (2, "ominous")
    assert app.text_input(key=field_key(TONE, scene.id, 2)).value == "ominous"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf"])
def test_export_buttons_produce_files_that_parse_back(completed_script: Script, fmt: str) -> None:
    app = open_app("pages/export.py", completed_script.id)
    app.radio(key=state.EXPORT_FORMAT).set_value(fmt).run()
    app.button(key="build_export").click().run()
    assert not app.exception
    assert app.get("download_button"), "no download button"
    built = app.session_state[state.EXPORT_FILE]
    assert built.filename.endswith(f".{fmt}")
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(built.data.decode("utf-8-sig"))))
        assert len(rows) == 6 and rows[0]["Heading"] == "EXT. RIVER BANK - DAY"
    elif fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(built.data))
        assert "Cast" in workbook.sheetnames and workbook["Breakdown"].max_row == 7
    elif fmt == "json":
        assert len(json.loads(built.data)["scenes"]) == 6
    else:
        document = FITZ.open(stream=built.data, filetype="pdf")
        assert sum("BREAKDOWN SHEET" in page.get_text() for page in document) == 6
        document.close()


def test_settings_never_show_the_api_key_and_save_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "sk-test-very-secret-value-42"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    app = open_app("pages/settings.py")
    assert not app.exception
    assert secret not in repr(app._tree)
    assert any("configured" in shown(markdown) for markdown in app.markdown)
    app.slider[0].set_value(0.9)
    next(button for button in app.button if button.label == "Save settings").click().run()
    assert not app.exception
    assert any("Settings saved" in shown(item) for item in app.success)
    assert get_services().settings.llm_temperature == 0.9
    assert secret not in repr(app._tree)
    stored = get_services().records.get_record("settings", "current")
    assert stored is not None and stored["values"]["llm_temperature"] == 0.9
    assert secret not in str(stored)
