"""Every page runs without an exception, empty and with data (AppTest)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cortexreel.ui.services import get_services
from tests.builders import make_script

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def fresh_caches(isolated_environment: Path) -> Iterator[None]:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_empty_library() -> None:
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert any("library is empty" in info.value for info in app.info)
    assert any("documents" in markdown.value for markdown in app.sidebar.markdown)


def test_library_lists_scripts() -> None:
    get_services().documents.add_script(make_script())
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.dataframe[0].value["Title"].tolist() == ["Big Fish"]


def test_bad_configuration_is_shown_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_ENV", "production")
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert any("CORTEXREEL_SECRET_KEY" in error.value for error in app.error)
