"""The whole pipeline, upload to completed, through the in-process runner and through real RQ workers."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pymupdf
import pytest
from redis import Redis
from rq import Worker
from rq.serializers import JSONSerializer

from cortexreel.adapters.queue_inline import InlineTaskQueue
from cortexreel.adapters.queue_rq import RqTaskQueue
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings, load_settings
from cortexreel.container import Services
from cortexreel.domain.scripts import Script, ScriptStatus
from cortexreel.errors import BackendUnavailableError, ParseError
from cortexreel.services import pipeline, scripts
from tests import servers
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder

MUPDF: Any = pymupdf  # PyMuPDF's type hints are incomplete

SCENES = 23


@pytest.fixture
def embedded(settings: Settings) -> Iterator[Services]:
    services = build_services(settings, embedder=HashingEmbedder())
    yield services
    assert isinstance(services.queue, InlineTaskQueue)
    services.queue.shutdown()


def drain(services: Services) -> None:
    assert isinstance(services.queue, InlineTaskQueue)
    assert services.queue.drain(timeout=120)


def assert_fully_analysed(services: Services, script: Script) -> None:
    final = scripts.get_script(services, script.id)
    assert final.status is ScriptStatus.COMPLETED, final.error
    assert final.title == "Generated Fish"
    assert (final.scene_count, final.progress.done, final.progress.total) == (SCENES, SCENES, SCENES)
    assert final.progress.stage == "completed"
    assert final.completed_at is not None and final.error is None
    assert final.analyser is not None and final.analyser.name == "offline"
    assert final.rollups is not None
    assert {"parse_seconds", "browsable_seconds", "index_seconds", "total_seconds"} <= set(final.timings)
    assert final.search_index is not None and final.search_index.stage == "done" and not final.indexing
    scenes = services.documents.list_scenes(script.id)
    assert [scene.number for scene in scenes] == list(range(1, SCENES + 1))
    for scene in scenes:
        assert scene.version == 1 and scene.analysis is not None
        assert [v.version for v in services.documents.list_versions(scene.id)] == [1]
    assert services.vectors.count(script.id) == SCENES


def test_in_process_runner(embedded: Services) -> None:
    script = scripts.ingest(embedded, fountain_script(SCENES).encode(), "generated.fountain")
    assert script.status is ScriptStatus.QUEUED
    drain(embedded)
    assert_fully_analysed(embedded, script)


def test_a_continuous_scene_is_analysed_at_the_time_of_the_scene_before_it(embedded: Services) -> None:
    """Scene 11 opens the second batch of ten: its time of day still comes from scene 10."""
    scenes = [f"INT. OFFICE - DAY\n\nRay types.\n\nRAY\nScene {n}.\n" for n in range(1, 10)]
    scenes.append("EXT. PIER - NIGHT\n\nRay walks to the end of the pier.\n")
    scenes.append("EXT. END OF THE PIER - CONTINUOUS\n\nRay looks down at the black water.\n")
    script = scripts.ingest(embedded, ("Title: Pier\n\n" + "\n".join(scenes)).encode(), "pier.fountain")
    drain(embedded)
    stored = {scene.number: scene for scene in embedded.documents.list_scenes(script.id)}
    last = stored[11]
    assert last.time_of_day == "CONTINUOUS"  # the parse keeps what the heading says
    assert last.analysis is not None and last.analysis.location.time_of_day == "NIGHT"
    assert "night exterior" in {hazard.category for hazard in last.analysis.safety.hazards}


def test_every_step_can_run_again(embedded: Services) -> None:
    script = scripts.ingest(embedded, fountain_script(SCENES).encode(), "generated.fountain")
    drain(embedded)
    before = {scene.id: scene.analysis for scene in embedded.documents.list_scenes(script.id)}
    pipeline.parse_script(embedded, script.id)
    drain(embedded)
    pipeline.analyse_scenes(embedded, script.id, 1, SCENES)
    pipeline.finish_script(embedded, script.id, "1,11,21")
    drain(embedded)  # the indexing it queued
    assert_fully_analysed(embedded, script)
    assert {scene.id: scene.analysis for scene in embedded.documents.list_scenes(script.id)} == before


def test_rq_workers(monkeypatch: pytest.MonkeyPatch, isolated_environment: Path) -> None:
    url = servers.redis_url()
    Redis.from_url(url).flushdb()
    # The worker builds its services from the environment, as worker.py does.
    monkeypatch.setenv("CORTEXREEL_REDIS_URL", url)
    monkeypatch.setenv("CORTEXREEL_QUEUES", "pipeline-test")
    services = build_services(load_settings())
    assert isinstance(services.queue, RqTaskQueue)
    script = scripts.ingest(services, fountain_script(SCENES).encode(), "generated.fountain")
    assert scripts.get_script(services, script.id).status is ScriptStatus.QUEUED
    Worker([services.queue.queue], connection=services.queue.connection, serializer=JSONSerializer).work(burst=True)
    assert_fully_analysed(services, script)
    Redis.from_url(url).flushdb()


def test_a_file_that_is_not_a_screenplay_fails_with_a_reason(embedded: Services) -> None:
    # Text is refused at upload; a PDF is parsed in the background, so it fails there.
    with pytest.raises(ParseError, match="scene headings"):
        scripts.ingest(embedded, b"Dear Sir,\nplease find my invoice attached.\n", "letter.txt")
    assert embedded.documents.list_scripts() == []
    letter = MUPDF.open()
    letter.new_page().insert_text((72, 72), "Dear Sir, please find my invoice attached.")
    script = scripts.ingest(embedded, letter.tobytes(), "letter.pdf")
    drain(embedded)
    final = scripts.get_script(embedded, script.id)
    assert final.status is ScriptStatus.FAILED
    assert final.error is not None and final.error.stage == "parsing"
    assert "scene headings" in final.error.message
    assert embedded.documents.list_scenes(script.id) == []


def test_a_missing_file_fails_with_a_reason_and_retry_recovers(embedded: Services) -> None:
    data = fountain_script(5).encode()
    script = scripts.ingest(embedded, data, "generated.fountain")
    drain(embedded)
    embedded.blobs.delete(script.blob_key)
    embedded.documents.update_script(script.id, status=ScriptStatus.FAILED)
    scripts.retry(embedded, script.owner, script.id)
    drain(embedded)
    failed = scripts.get_script(embedded, script.id)
    assert failed.status is ScriptStatus.FAILED
    assert failed.error is not None and "missing" in failed.error.message
    embedded.blobs.put(io.BytesIO(data))
    retried = scripts.retry(embedded, script.owner, script.id)
    assert retried.attempt == 3
    drain(embedded)
    assert scripts.get_script(embedded, script.id).status is ScriptStatus.COMPLETED
    assert all(len(embedded.documents.list_versions(s.id)) == 1 for s in embedded.documents.list_scenes(script.id))


def test_document_store_down_at_the_start_writes_nothing(settings: Settings) -> None:
    down = load_settings(data_dir=settings.data_dir, mongodb_uri=f"mongodb://127.0.0.1:{servers.free_port()}/")
    services = build_services(down, embedder=HashingEmbedder())
    with pytest.raises(BackendUnavailableError):
        scripts.ingest(services, fountain_script(3).encode(), "generated.fountain")
    assert list(services.blobs.keys()) == []
