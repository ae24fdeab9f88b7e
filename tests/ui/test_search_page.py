"""The search page (AppTest): query, filters, results linking into the scene browser."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cortexreel.domain.scenes import Scene, scene_id
from cortexreel.domain.screenplay import Element
from cortexreel.domain.scripts import Progress, Script, ScriptStatus
from cortexreel.domain.users import LOCAL_USER
from cortexreel.markup import escape_markdown
from cortexreel.services.pipeline import index_scenes
from cortexreel.ui.services import get_services
from tests.builders import make_script

PAGE = str(Path(__file__).resolve().parents[2] / "pages" / "search.py")


@pytest.fixture(autouse=True)
def fresh_caches(isolated_environment: Path) -> Iterator[None]:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def seed(owner: str = LOCAL_USER) -> Script:
    services = get_services()
    script = make_script(owner)
    services.documents.add_script(script)
    rows = [
        ("EXT. HIGHWAY - NIGHT", "EXT", "HIGHWAY", "NIGHT", "WILL", "Cars race down the highway, a police chase."),
        ("INT. DINER - NIGHT", "INT", "DINER", "NIGHT", "EDWARD", "Edward tells the witch story to the waitress."),
        ("EXT. RIVER - DAY", "EXT", "RIVER", "DAY", "EDWARD", "Edward catches the giant catfish in the river."),
    ]
    scenes = [
        Scene(
            id=scene_id(script.id, number),
            script_id=script.id,
            number=number,
            heading=heading,
            setting=setting,
            location=location,
            time_of_day=time,
            elements=[Element(type="action", text=action), Element(type="dialogue", text="Yes.", character=who)],
            text=f"{heading}\n{action}\nYes.",
        )
        for number, (heading, setting, location, time, who, action) in enumerate(rows, start=1)
    ]
    services.documents.upsert_scenes(scenes)
    index_scenes(services, script, services.documents.list_scenes(script.id))
    return script


def run(query: str = "", **selections: str) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60).run()
    for key, value in selections.items():
        app.selectbox(key=key).select(value).run()
    if query:
        app.text_input(key="search_query").input(query).run()
    return app


def test_empty_library_says_so() -> None:
    app = run()
    assert not app.exception
    assert any("nothing to search" in info.value for info in app.info)


def test_results_show_heading_link_snippet_and_score() -> None:
    script = seed()
    seed(owner="someone-else")
    app = run("where Edward tells the witch story")
    assert not app.exception
    texts = [markdown.value for markdown in app.markdown]
    first = next(text for text in texts if "/scenes?" in text)
    assert f"(/scenes?script={script.id}&scene=2)" in first
    assert escape_markdown("INT. DINER - NIGHT") in first  # shown as text, never as Markdown
    assert any("**witch**" in text and "**story**" in text for text in texts)
    assert any(caption.value.startswith("score ") for caption in app.caption)
    assert all(f"script={script.id}" in text for text in texts if "/scenes?" in text)  # nobody else's scenes


def test_filters_narrow_the_results() -> None:
    seed()
    app = run("Edward", search_setting="EXT")
    assert not app.exception
    links = [markdown.value for markdown in app.markdown if "/scenes?" in markdown.value]
    assert len(links) == 1  # the other exterior neither names Edward nor is close in meaning
    assert f"scene={3}" in links[0] and all(escape_markdown("EXT.") in link for link in links)
    app = run("Edward", search_setting="INT", search_time_of_day="DAY")
    assert any("Nothing close" in info.value for info in app.info)


def test_nothing_close_is_said_so() -> None:
    seed()
    app = run("qwxzv blorfunk")
    assert not app.exception
    assert not [markdown for markdown in app.markdown if "/scenes?" in markdown.value]
    assert any("Nothing close" in info.value for info in app.info)


def test_the_page_says_when_search_is_still_catching_up() -> None:
    script = seed()
    get_services().documents.update_script(
        script.id, status=ScriptStatus.COMPLETED, search_index=Progress(stage="indexing", done=1, total=3)
    )
    app = run("catfish")
    assert not app.exception
    notice = " ".join(info.value for info in app.info)
    assert "still catching up" in notice and "1 of 3 scenes" in notice and script.title in notice
    get_services().documents.update_script(script.id, search_index=Progress(stage="done", done=3, total=3))
    assert not any("catching up" in info.value for info in run("catfish").info)
