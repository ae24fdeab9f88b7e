"""What a new user hits in the first hour (issue 15): each test reproduces one defect through the app itself."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cortexreel.migration.browser_export import import_browser_export
from cortexreel.services import scenes
from cortexreel.services.scripts import LOCAL_USER
from cortexreel.ui.forms import SECTIONS
from cortexreel.ui.services import get_services
from tests.migration_builders import export, export_bytes, night_shift
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
