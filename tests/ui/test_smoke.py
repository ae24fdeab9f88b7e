"""Every page runs without an exception, empty and with data (AppTest)."""

from __future__ import annotations

import pytest

from cortexreel.domain.scripts import Script
from cortexreel.ui import pages
from cortexreel.ui.services import get_services
from tests.builders import make_script
from tests.texts import shown
from tests.ui.conftest import open_app

PAGES = [entry.path for entry in pages.NAVIGATION]  # every page of the app's navigation
# Pages about the current script: with none yet, they point to Upload.
SCRIPT_PAGES = [entry.path for entry in (pages.SCENES, pages.INSIGHTS, pages.EXPORT, pages.CHAT, pages.SCHEDULE)]


def test_empty_library() -> None:
    app = open_app()
    assert not app.exception
    assert any("library is empty" in shown(info) for info in app.info)
    assert any("documents" in shown(markdown) for markdown in app.sidebar.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_empty(page: str) -> None:
    app = open_app(page)
    assert not app.exception, app.exception
    if page in SCRIPT_PAGES:
        assert any("Upload one" in shown(info) for info in app.info)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_with_data(page: str, completed_script: Script) -> None:
    app = open_app(page, completed_script.id)
    assert not app.exception, app.exception
    assert not app.error, [shown(error) for error in app.error]


def test_library_lists_scripts() -> None:
    get_services().documents.add_script(make_script(owner="local"))
    app = open_app()
    assert not app.exception
    assert app.dataframe[0].value["Title"].tolist() == ["Big Fish"]


def test_other_users_scripts_are_not_listed() -> None:
    get_services().documents.add_script(make_script(owner="someone-else"))
    app = open_app()
    assert any("library is empty" in shown(info) for info in app.info)


def test_bad_configuration_is_shown_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_ENV", "production")
    app = open_app()
    assert not app.exception
    assert any("CORTEXREEL_SECRET_KEY" in shown(error) for error in app.error)
