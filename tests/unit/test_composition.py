"""The composition root: every entry point (the app, a worker, the command line) works with the same effective
settings, the environment's with the admin's stored overrides applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from cortexreel import bootstrap
from cortexreel.adapters.queue_inline import InlineTaskQueue
from cortexreel.bootstrap import open_services
from cortexreel.cli import main
from cortexreel.config import Settings
from cortexreel.domain.scripts import ScriptStatus
from cortexreel.services import app_settings, pipeline, scripts
from cortexreel.task_registry import task_name
from tests.builders import fountain_script
from tests.fakes import DyingTaskQueue, HashingEmbedder

# About six pages: over a limit of 2, far under the default 600.
LONG_SCRIPT = fountain_script(40)


@pytest.fixture
def fresh_worker_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test process plays a worker that has not opened its services yet."""
    monkeypatch.setattr(bootstrap, "_process_services", None)


def test_opened_services_carry_the_stored_overrides(settings: Settings) -> None:
    app = open_services(settings, embedder=HashingEmbedder())
    app_settings.save_settings(app, "admin", {"max_pages": 2, "llm_temperature": 0.9})
    again = open_services(settings, embedder=HashingEmbedder())
    assert (again.settings.max_pages, again.settings.llm_temperature) == (2, 0.9)
    assert settings.max_pages == 600


def test_a_worker_works_with_the_admins_stored_settings(settings: Settings, fresh_worker_process: None) -> None:
    app = open_services(settings, queue=DyingTaskQueue, embedder=HashingEmbedder())  # the app queues, a worker runs
    script = scripts.ingest(app, LONG_SCRIPT.encode(), "long.fountain")
    app_settings.save_settings(app, "admin", {"max_pages": 2})
    bootstrap.run_task(task_name(pipeline.parse_script), script.id)
    failed = scripts.get_script(app, script.id)
    assert failed.status is ScriptStatus.FAILED and failed.error is not None
    assert "the limit is 2" in failed.error.message


def test_the_command_line_works_with_the_admins_stored_settings(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app_settings.save_settings(open_services(settings, embedder=HashingEmbedder()), "admin", {"max_pages": 2})
    path = tmp_path / "long.fountain"
    path.write_text(LONG_SCRIPT)
    assert main(["ingest", str(path)]) == 2
    assert "the limit is 2" in capsys.readouterr().err


def test_tasks_run_by_the_in_process_queue_get_the_services_it_belongs_to(settings: Settings) -> None:
    services = open_services(settings, embedder=HashingEmbedder())
    script = scripts.ingest(services, fountain_script(3).encode(), "short.fountain")
    assert isinstance(services.queue, InlineTaskQueue)
    assert services.queue.drain(timeout=60)
    assert scripts.get_script(services, script.id).status is ScriptStatus.COMPLETED
