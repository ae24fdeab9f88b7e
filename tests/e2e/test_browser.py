"""The main journey in a real browser: headless Chromium (Debian's) driven by Playwright against `streamlit run`
on loopback with the embedded defaults. Screenshots of every step go to test-output/e2e/ (1280×800)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import fountain_script
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


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port with a fresh data dir."""
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith("CORTEXREEL_")}
    env.pop("OPENAI_API_KEY", None)
    env["CORTEXREEL_DATA_DIR"] = str(tmp_path / "data")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
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
    log = (tmp_path / "streamlit.log").open("wb")
    process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        if not wait_for_port(port, timeout=60):
            pytest.fail(f"streamlit did not start: {(tmp_path / 'streamlit.log').read_text()[-2000:]}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def page() -> Iterator[Any]:
    """A Chromium page at 1280×800, or a skip (a failure under CORTEXREEL_TEST_STRICT=1) when unavailable."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        unavailable("Chromium is not installed (apt-get install chromium) so the browser tests cannot run")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed (pip install playwright)")
        raise
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            yield context.new_page()
        finally:
            context.close()
            browser.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


@pytest.mark.slow
def test_upload_analyse_open_edit_see_new_version(app_url: str, page: Any, tmp_path: Path) -> None:
    screenplay = tmp_path / "big_river.fountain"
    screenplay.write_text(fountain_script(12, title="Big River"), encoding="utf-8")

    page.goto(app_url, timeout=TIMEOUT_MS)
    page.get_by_text("Your library is empty").first.wait_for(timeout=TIMEOUT_MS)
    _shot(page, "0-empty-library")
    page.get_by_role("link", name="Upload").first.click()
    page.get_by_text("Upload screenplays").first.wait_for(timeout=TIMEOUT_MS)
    page.get_by_role("region", name="Screenplay files").locator("input[type=file]").set_input_files(str(screenplay))
    page.get_by_text("big_river.fountain").first.wait_for(timeout=TIMEOUT_MS)
    _shot(page, "1-upload-chosen")
    page.get_by_role("button", name="Analyse").click()
    page.get_by_text("Queued for analysis").first.wait_for(timeout=TIMEOUT_MS)
    _shot(page, "2-upload-queued")

    page.get_by_role("link", name="Library").first.click()
    page.get_by_text("done · 12 scenes").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    _shot(page, "3-library-completed")

    page.get_by_role("link", name="Scenes").first.click()
    page.get_by_text("Scene 1 · EXT. RIVER BANK - DAY").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    _shot(page, "4-scene-open")

    page.get_by_role("tab", name="Narrative").click()
    tone = page.get_by_label("Emotional tone")
    tone.fill("bittersweet")
    page.get_by_label("Change note").nth(1).fill("Reads warmer than tense")
    page.get_by_role("button", name="Save narrative as a new version").click()
    page.get_by_text("Saved version 2").first.wait_for(timeout=TIMEOUT_MS)
    _shot(page, "5-edit-saved")

    page.get_by_role("tab", name="History").click()
    page.get_by_text("Compare version").first.wait_for(timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)
    _shot(page, "6-history")
    assert page.get_by_text("Reverted").count() == 0
