"""The Schedule page in a real browser: the stripboard and the Day Out of Days of a drafted schedule, screenshots at
1280×800 and 1920×1080 in test-output/schedule/ to be looked at, and the board's strips in their colours."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cortexreel.container import Services
from cortexreel.domain.users import LOCAL_USER
from cortexreel.services import schedule as schedules
from cortexreel.services import scripts
from tests.builders import fountain_script
from tests.e2e.test_browser import ROOT, SIZES, TIMEOUT_MS, Browser, browser, serve  # noqa: F401 - the fixture

SHOTS = ROOT / "test-output" / "schedule"


@pytest.mark.slow
def test_stripboard_and_dood_in_the_browser(browser: Browser, tmp_path: Path) -> None:  # noqa: F811
    ids: dict[str, str] = {}

    def prepare(services: Services) -> None:
        script = scripts.ingest(services, fountain_script(24, title="Fish Story").encode(), "fish.fountain")
        deadline = time.monotonic() + 60
        while not scripts.get_script(services, script.id).status.finished and time.monotonic() < deadline:
            time.sleep(0.1)
        schedules.draft(services, LOCAL_USER, script.id, expected_version=0, time_limit=2.0)
        ids["script"] = script.id

    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve(tmp_path, auth=False, prepare=prepare) as url:
        for size in SIZES:
            page = browser.context(size).new_page()
            page.goto(f"{url}/schedule?script={ids['script']}", timeout=TIMEOUT_MS)
            page.get_by_text("END OF DAY 1").first.wait_for(timeout=TIMEOUT_MS)
            strips = page.locator("table.cr-board tr[style*='background']")
            assert strips.count() == 24
            page.wait_for_timeout(700)
            page.screenshot(path=str(SHOTS / f"e2e-stripboard-{size}.png"))
            page.get_by_role("tab", name="Day Out of Days").click()
            page.locator("table.cr-dood").wait_for(timeout=TIMEOUT_MS)
            assert page.locator("table.cr-dood td.cr-work").count() > 0
            page.wait_for_timeout(700)
            page.screenshot(path=str(SHOTS / f"e2e-dood-{size}.png"))
            assert page.get_by_text("Traceback").count() == 0
    assert browser.outside == []
