"""AppTest helpers: fresh Streamlit caches per test and a completed script in the app's own services."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cortexreel.domain.scripts import Script
from cortexreel.services import scripts
from cortexreel.ui.services import get_services
from tests.builders import fountain_script

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def fresh_caches(isolated_environment: Path) -> Iterator[None]:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def wait_completed(script_id: str, timeout: float = 60.0) -> Script:
    """Wait for the app's in-process runner to finish a script's work, its indexing for search included."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        script = scripts.get_script(get_services(), script_id)
        if script.status.finished and not script.indexing:
            return script
        time.sleep(0.05)
    raise AssertionError(f"script {script_id} did not finish in {timeout} s")


@pytest.fixture
def completed_script() -> Script:
    """A six-scene screenplay ingested and analysed through the app's services."""
    script = scripts.ingest(get_services(), fountain_script(6, title="Fish Story").encode(), "fish_story.fountain")
    return wait_completed(script.id)


def open_app(page: str | None = None, script_id: str | None = None) -> AppTest:
    """Run the app once (optionally with ?script=ID) and, if given, switch to `page` and run it."""
    app = AppTest.from_file(APP, default_timeout=60)
    if script_id is not None:
        app.query_params["script"] = script_id
    app.run()
    if page is not None:
        app.switch_page(page).run()
    return app
