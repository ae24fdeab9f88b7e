"""What a new user hits in the first hour (issue 15): each test reproduces one defect through the app itself."""

from __future__ import annotations

import time
from typing import Any

from streamlit.testing.v1 import AppTest

from cortexreel.domain.analysis import AnalyserInfo
from cortexreel.domain.scenes import SceneVersion, VersionSource
from cortexreel.domain.scripts import Script
from cortexreel.domain.users import LOCAL_USER
from cortexreel.migration.browser_import import import_browser_export
from cortexreel.services import scenes, scripts
from cortexreel.ui import state
from cortexreel.ui.forms import SECTIONS, readable_path, readable_value
from cortexreel.ui.services import get_services
from cortexreel.ui.widgets import scenes_text
from tests.builders import fountain_script
from tests.migration_builders import export, export_bytes, night_shift
from tests.texts import shown
from tests.ui.conftest import open_app


def _imported_script_id() -> str:
    report = import_browser_export(get_services(), export_bytes(export([night_shift()])), owner=LOCAL_USER)
    (entry,) = report.entries
    return entry.script_id


def _labels(app: AppTest) -> set[str]:
    widgets = [*app.text_input, *app.text_area, *app.number_input, *app.selectbox]
    return {str(widget.label) for widget in widgets}


def test_an_imported_scene_opens_with_every_analysis_tab() -> None:
    script_id = _imported_script_id()
    app = open_app("pages/scenes.py", script_id=script_id)
    assert not app.exception, app.exception
    assert [tab.label for tab in app.tabs] == [*SECTIONS, "History"]
    # Safety comes after Narrative: its widgets being drawn shows the page did not stop at the Narrative tab.
    assert "Risk level" in _labels(app)
    scene = scenes.scene_by_number(get_services(), LOCAL_USER, script_id, 1)
    assert scene.analysis is not None


def _upload(app: AppTest, name: str, data: bytes) -> AppTest:
    uploader: Any = app.get("file_uploader")[0]
    uploader.set_value([(name, data, "text/plain")])
    app.run()
    return app.button(key="start_upload").click().run()


def test_the_same_file_again_is_offered_not_silently_copied() -> None:
    data = fountain_script(3, title="Twice").encode()
    app = _upload(open_app("pages/upload.py"), "twice.fountain", data)
    (first,) = scripts.list_scripts(get_services(), LOCAL_USER)
    # The parse runs in a child process on the app's runner: the title is known once it is done.
    deadline = time.monotonic() + 60
    while not scripts.get_script(get_services(), first.id).status.finished and time.monotonic() < deadline:
        time.sleep(0.05)
    app = _upload(app, "twice (copy).fountain", data)
    assert not app.exception
    assert any("already in your library" in shown(item) and "Twice" in shown(item) for item in app.warning)
    assert [script.id for script in scripts.list_scripts(get_services(), LOCAL_USER)] == [first.id]

    app.button(key="duplicate-add-0").click().run()
    assert len(scripts.list_scripts(get_services(), LOCAL_USER)) == 2
    assert any("Queued" in shown(item) for item in app.success)

    app = _upload(app, "twice.fountain", data)
    app.button(key="duplicate-open-0").click().run()
    library = scripts.list_scripts(get_services(), LOCAL_USER)
    assert len(library) == 2 and app.session_state[state.CURRENT_SCRIPT] in {script.id for script in library}


def test_a_txt_file_that_is_no_screenplay_is_refused_at_upload() -> None:
    notes = b"Shopping list.\n\nBuy coffee and tape. Call the location manager about parking.\n"
    app = _upload(open_app("pages/upload.py"), "notes.txt", notes)
    assert not app.exception
    assert any("No scene headings" in shown(item) and "notes.txt" in shown(item) for item in app.error)
    assert scripts.list_scripts(get_services(), LOCAL_USER) == []

    app = _upload(app, "draft.txt", fountain_script(2, title="Draft").encode())
    (script,) = scripts.list_scripts(get_services(), LOCAL_USER)
    assert script.format == "text"


def test_a_failed_model_run_shows_on_the_script_and_the_scene(completed_script: Script) -> None:
    services = get_services()
    services.documents.update_script(
        completed_script.id, analyser=AnalyserInfo(name="llm", version="1", model="llama3.1").model_dump()
    )
    unreachable = "The language model could not analyse this scene (connection refused); offline analysis kept."
    first = scenes.scene_by_number(services, LOCAL_USER, completed_script.id, 1)
    assert first.analysis is not None and first.analysis.analyser is not None
    fallback = first.analysis.model_copy(update={"warnings": [unreachable]})
    services.documents.write_analysis(
        SceneVersion(
            scene_id=first.id,
            script_id=first.script_id,
            version=first.version + 1,
            analysis=fallback,
            author="pipeline",
            source=VersionSource.ANALYSIS,
        )
    )

    library = open_app("pages/home.py", script_id=completed_script.id)
    assert not library.exception
    (analyser,) = library.dataframe[0].value["Analyser"].tolist()
    assert analyser == "llm · llama3.1 — failed on 6 of 6 scenes (offline kept)"
    assert any("could not analyse 6 of 6 scenes" in shown(item) for item in library.warning)
    scene_page = open_app("pages/scenes.py", script_id=completed_script.id)
    assert any(unreachable in shown(item) for item in scene_page.warning)


def test_changes_read_as_words_not_json_or_python() -> None:
    props = [{"name": "rewolwer", "importance": "practical", "scenes": []}, {"name": "nóż", "importance": None}]
    assert readable_value(props) == "rewolwer (practical); nóż"
    assert readable_value(["desk", "lamp"]) == "desk; lamp"
    assert readable_value(7.0) == "7" and readable_value(None) == ""
    assert readable_path("breakdown.set_dressing") == "Breakdown › Set dressing"
    assert readable_path("breakdown.sfx") == "Breakdown › Special effects (SFX)"


def test_chat_changes_show_readable_values(completed_script: Script) -> None:
    app = open_app("pages/chat.py", script_id=completed_script.id)
    app.chat_input[0].set_value("add a revolver to the props of scene 2").run()
    assert not app.exception
    table = next(frame.value for frame in app.dataframe if "After" in frame.value.columns)
    assert table["Field"].tolist() == ["Breakdown › Props"]
    (after,) = table["After"].tolist()
    assert "revolver" in after and "{" not in after and "'" not in after


def test_one_scene_is_one_scene() -> None:
    assert (scenes_text(1), scenes_text(3)) == ("1 scene", "3 scenes")


def test_choosing_a_script_under_manage_makes_it_current() -> None:
    first = scripts.ingest(get_services(), fountain_script(2, title="First").encode(), "first.fountain")
    second = scripts.ingest(get_services(), fountain_script(2, title="Second").encode(), "second.fountain")
    app = open_app("pages/home.py", script_id=first.id)
    assert app.selectbox(key="library_manage_choice").value == first.id
    app.selectbox(key="library_manage_choice").set_value(second.id).run()
    assert not app.exception
    assert app.session_state[state.CURRENT_SCRIPT] == second.id
    assert app.selectbox(key=state.SCRIPT_PICKER).value == second.id


def test_the_breakdown_tab_shows_filled_fields_first_and_folds_the_empty_ones(completed_script: Script) -> None:
    app = open_app("pages/scenes.py", script_id=completed_script.id)
    assert not app.exception
    breakdown = app.tabs[list(SECTIONS).index("Breakdown")]
    areas = list(breakdown.text_area)
    filled = [str(area.label) for area in areas if area.value]
    empty = [str(area.label) for area in areas if not area.value]
    assert filled and empty
    # The lines a line producer fills in come first; the empty ones are folded away, still editable.
    assert [str(area.label) for area in areas] == filled + empty
    (folded,) = [expander for expander in breakdown.expander if "empty" in str(expander.label)]
    assert [str(area.label) for area in folded.text_area] == empty
    assert str(len(empty)) in str(folded.label)
    labels = {str(area.label) for area in areas}
    assert not labels & {"Sfx", "Vfx"}
    assert "Special effects (SFX)" in labels and "Visual effects (VFX)" in labels


def test_every_upload_widget_states_the_configured_limit() -> None:
    app = open_app("pages/upload.py")
    uploaders: list[Any] = list(app.get("file_uploader"))
    assert len(uploaders) == 2  # screenplays, and the browser app's export
    limit = get_services().settings.max_upload_mb
    assert [uploader.proto.max_upload_size_mb for uploader in uploaders] == [limit, limit]
