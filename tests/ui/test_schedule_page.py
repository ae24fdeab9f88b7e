"""The Schedule page: a first draft, the stripboard with day banners, a locked strip kept by re-optimising, a moved
strip, new constraints, the Day Out of Days, stale strips after a breakdown edit, history and a printed report."""

from __future__ import annotations

from typing import Any

from streamlit.testing.v1 import AppTest

from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scripts import Member, Script
from cortexreel.domain.users import LOCAL_USER
from cortexreel.services import scenes
from cortexreel.services import schedule as schedules
from cortexreel.ui import state
from cortexreel.ui.services import get_services
from tests.texts import shown
from tests.ui.conftest import open_app

PAGE = "pages/schedule.py"


def notices(app: AppTest) -> str:
    return "\n".join(shown(element) for element in (*app.success, *app.warning, *app.error, *app.info))


def board(app: AppTest) -> str:
    html: Any = app.get("html")
    return "\n".join(str(element.proto.body) for element in html)


def test_draft_lock_reoptimise_move_and_print(completed_script: Script) -> None:
    app = open_app(PAGE, completed_script.id)
    assert not app.exception
    assert "No schedule yet" in notices(app)
    app.button(key="schedule_first_draft").click().run()
    assert not app.exception, app.exception
    assert "Draft: saved as version 1" in notices(app)
    shown_board = board(app)
    assert "END OF DAY 1" in shown_board and "background:#" in shown_board
    assert [metric.label for metric in app.metric][:3] == ["Shooting days", "Pages", "Company moves"]

    schedule = schedules.current(get_services(), LOCAL_USER, completed_script.id)
    assert schedule is not None
    strip = schedule.strips[-1].scene_id
    app.selectbox(key=state.SCHEDULE_STRIP).set_value(strip).run()
    app.button(key="schedule_lock").click().run()
    assert "Locked: saved as version 2" in notices(app)
    app.button(key="schedule_redraft").click().run()
    assert "Re-optimised: saved as version 3" in notices(app)
    latest = schedules.current(get_services(), LOCAL_USER, completed_script.id)
    assert latest is not None and strip in latest.locked and "🔒" in board(app)

    app.selectbox(key=state.SCHEDULE_STRIP).set_value(strip).run()
    app.number_input(key=state.SCHEDULE_DAY).set_value(len(latest.days) + 1).run()
    app.button(key="schedule_move").click().run()
    assert "Moved: saved as version 4" in notices(app)
    moved = schedules.current(get_services(), LOCAL_USER, completed_script.id)
    assert moved is not None and moved.day_of(strip) == len(latest.days) + 1

    grid = board(app)  # the Day Out of Days is drawn as HTML too
    assert '<table class="cr-dood">' in grid and ">SW<" in grid and "<th>Work</th>" in grid

    app.button(key="schedule_build_dood_xlsx").click().run()
    downloads: Any = app.get("download_button")
    assert any(button.label.startswith("Download fish-story-dood-v4.xlsx") for button in downloads)


def test_stale_strips_are_shown_and_refreshed(completed_script: Script) -> None:
    services = get_services()
    schedules.draft(services, LOCAL_USER, completed_script.id, expected_version=0, time_limit=1.0)
    scene = scenes.scene_by_number(services, LOCAL_USER, completed_script.id, 2)
    scenes.edit_fields(
        services,
        LOCAL_USER,
        scene.id,
        [FieldEdit("location.time_of_day", "set", "NIGHT")],
        expected_version=scene.version,
    )
    app = open_app(PAGE, completed_script.id)
    assert "1 strips changed in the breakdown" in notices(app)
    assert any("time of day" in str(frame.value) for frame in app.dataframe)
    app.button(key="schedule_refresh").click().run()
    assert "Strips refreshed: saved as version 2" in notices(app)
    assert "changed in the breakdown" not in notices(app)


def test_constraints_form_saves_and_reoptimises(completed_script: Script) -> None:
    schedules.draft(get_services(), LOCAL_USER, completed_script.id, expected_version=0, time_limit=1.0)
    app = open_app(PAGE, completed_script.id)
    pages: Any = next(item for item in app.number_input if item.label == "Pages per day")
    pages.set_value(0.5)
    week: Any = next(item for item in app.radio if item.label == "Shooting week")
    week.set_value(6)
    next(button for button in app.button if button.label == "Save and re-optimise").click().run()
    assert not app.exception, app.exception
    assert "Constraints saved and re-optimised: saved as version 2" in notices(app)
    latest = schedules.current(get_services(), LOCAL_USER, completed_script.id)
    assert latest is not None and latest.constraints.pages_per_day == 4 and latest.constraints.week == 6


def test_viewers_see_the_board_without_edit_controls(completed_script: Script) -> None:
    services = get_services()
    schedules.draft(services, LOCAL_USER, completed_script.id, expected_version=0, time_limit=1.0)
    services.documents.update_script(completed_script.id, owner="someone-else", members=[Member(login=LOCAL_USER)])
    app = open_app(PAGE, completed_script.id)
    assert not app.exception, app.exception
    assert "END OF DAY 1" in board(app)
    keys = {button.key for button in app.button}
    assert not keys & {"schedule_redraft", "schedule_move", "schedule_lock"}
