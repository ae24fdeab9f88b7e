"""The chat page: propose, apply, discard, undo, answers with scene links (AppTest)."""

from __future__ import annotations

from cortexreel.domain.scripts import Script
from cortexreel.domain.users import LOCAL_USER
from cortexreel.services import scenes
from cortexreel.ui.services import get_services
from tests.ui.conftest import open_app

PAGE = "pages/chat.py"


def test_empty_and_with_data(completed_script: Script) -> None:
    empty = open_app(PAGE)
    assert not empty.exception
    app = open_app(PAGE, completed_script.id)
    assert not app.exception, app.exception
    assert app.title[0].value == "Chat · Fish Story"


def test_propose_then_apply(completed_script: Script) -> None:
    app = open_app(PAGE, completed_script.id)
    app.chat_input[0].set_value("set the time of day of scene 2 to night").run()
    assert not app.exception, app.exception
    assert any("Apply or discard" in markdown.value for markdown in app.markdown)
    proposal = app.dataframe[0].value
    assert proposal["Field"].tolist() == ["location.time_of_day"] and proposal["New"].tolist() == ["NIGHT"]
    assert scenes.scene_by_number(get_services(), LOCAL_USER, completed_script.id, 2).version == 1

    next(button for button in app.button if button.label == "Apply").click().run()
    assert not app.exception, app.exception
    scene = scenes.scene_by_number(get_services(), LOCAL_USER, completed_script.id, 2)
    assert scene.version == 2 and scene.analysis is not None and scene.analysis.location.time_of_day == "NIGHT"
    assert any("Applied 1 change" in markdown.value for markdown in app.markdown)
    assert any("/scenes?script=" in caption.value for caption in app.caption)

    next(button for button in app.button if button.label == "Undo my last change").click().run()
    scene = scenes.scene_by_number(get_services(), LOCAL_USER, completed_script.id, 2)
    assert scene.version == 3 and scene.analysis is not None and scene.analysis.location.time_of_day != "NIGHT"


def test_discard_and_questions(completed_script: Script) -> None:
    app = open_app(PAGE, completed_script.id)
    app.chat_input[0].set_value("scenes 1 to 3 are in the rain").run()
    next(button for button in app.button if button.label == "Discard").click().run()
    assert any("Discarded" in markdown.value for markdown in app.markdown)
    assert all(
        scenes.scene_by_number(get_services(), LOCAL_USER, completed_script.id, n).version == 1 for n in (1, 2, 3)
    )
    app.chat_input[0].set_value("how many night exteriors are there?").run()
    assert any("night exteriors" in markdown.value for markdown in app.markdown)
    assert any("Based on" in caption.value for caption in app.caption)


def test_auto_apply_toggle(completed_script: Script) -> None:
    app = open_app(PAGE, completed_script.id)
    app.toggle[0].set_value(True).run()
    app.chat_input[0].set_value("set the weather of scene 4 to snow").run()
    scene = scenes.scene_by_number(get_services(), LOCAL_USER, completed_script.id, 4)
    assert scene.version == 2 and scene.analysis is not None and scene.analysis.location.weather == "snow"
