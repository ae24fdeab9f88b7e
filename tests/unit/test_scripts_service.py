"""Script use cases against fakes of our ports."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from cortexreel import task_registry
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.scripts import Progress, Script, ScriptStatus
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import (
    FileTooLargeError,
    InvalidInputError,
    NotFoundError,
    ParseError,
    UnsupportedFileError,
)
from cortexreel.parsing import CHECKED_TEXT_BYTES, check_upload
from cortexreel.services import pipeline, scripts
from tests.builders import fountain_script
from tests.fakes import (
    DyingTaskQueue,
    HashingEmbedder,
    InMemoryBlobStore,
    InMemoryDocumentStore,
    SynchronousTaskQueue,
    fake_services,
)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield build_services(
        settings.model_copy(update={"max_upload_mb": 1}),
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
    )


def test_ingest_stores_the_file_and_runs_the_pipeline(services: Services) -> None:
    data = fountain_script(4).encode()
    script = scripts.ingest(services, io.BytesIO(data), "My_Great-Script.fountain", owner="ann")
    assert (script.title, script.filename, script.format, script.owner) == (
        "My Great Script",
        "My_Great-Script.fountain",
        "fountain",
        "ann",
    )
    with services.blobs.open(script.blob_key) as stream:
        assert stream.read() == data
    assert isinstance(services.queue, SynchronousTaskQueue)
    assert services.queue.runs[0] == f"parse-{script.id}-1"
    assert scripts.get_script(services, script.id).status is ScriptStatus.COMPLETED


def test_a_txt_upload_is_labelled_text(services: Services) -> None:
    script = scripts.ingest(services, fountain_script(3).encode(), "draft.txt", owner="ann")
    assert script.format == "text"
    assert scripts.get_script(services, script.id).status is ScriptStatus.COMPLETED
    assert scripts.ingest(services, fountain_script(3).encode(), "draft.fountain", owner="ann").format == "fountain"


PROSE = (
    b"Shopping list for the shoot.\n\nBuy coffee, tape and batteries. Call the location manager about parking on "
    b"Tuesday.\n\nRemember the permits.\n"
)


@pytest.mark.parametrize(
    ("data", "filename", "error", "words"),
    [
        (b"", "empty.pdf", InvalidInputError, "empty"),
        (b"   \n\n", "blank.fountain", InvalidInputError, "empty"),
        (b"x" * (1024 * 1024 + 1), "huge.txt", FileTooLargeError, "1 MB limit"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "poster.pdf", UnsupportedFileError, "PNG"),
        # Text is parsed at once (it takes milliseconds): a file that cannot be a screenplay is refused with the
        # parser's reason instead of being queued and failing later.
        (PROSE, "notes.txt", ParseError, "No scene headings"),
        (PROSE, "notes.fountain", ParseError, "No scene headings"),
        (fountain_script(2).encode(), "script.pdf", UnsupportedFileError, "not a PDF"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    services: Services, data: bytes, filename: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        scripts.ingest(services, data, filename)
    assert services.documents.list_scripts() == []
    assert list(services.blobs.keys()) == []


def test_retry_only_failed_or_stalled_scripts(services: Services) -> None:
    script = scripts.ingest(services, fountain_script(2).encode(), "a.fountain")
    with pytest.raises(InvalidInputError, match="already complete"):
        scripts.retry(services, LOCAL_USER, script.id)
    # Left in "analyzing" while its last step still runs: refused.
    services.documents.update_script(script.id, status=ScriptStatus.ANALYZING)
    queue = services.queue
    assert isinstance(queue, SynchronousTaskQueue)
    queue.states[pipeline.job_id("finish", script.id, 1)] = "started"
    assert scripts.work_state(services, scripts.get_script(services, script.id)) == "running"
    with pytest.raises(InvalidInputError, match="still being processed"):
        scripts.retry(services, LOCAL_USER, script.id)
    # Its runner died: recovering, and Retry works at once (no waiting for an hour).
    queue.states[pipeline.job_id("finish", script.id, 1)] = "stalled"
    assert scripts.work_state(services, scripts.get_script(services, script.id)) == "recovering"
    # Nothing queued or running at all: stalled, and Retry works at once too.
    queue.states[pipeline.job_id("finish", script.id, 1)] = "failed"
    assert scripts.work_state(services, scripts.get_script(services, script.id)) == "stalled"
    retried = scripts.retry(services, LOCAL_USER, script.id)
    assert retried.attempt == 2
    assert scripts.get_script(services, script.id).status is ScriptStatus.COMPLETED


ANALYSE = task_registry.task_name(pipeline.analyse_scenes)


def test_a_job_that_died_out_of_retries_marks_its_script_failed_with_a_reason(services: Services) -> None:
    script = scripts.ingest(services, fountain_script(12).encode(), "a.fountain")
    services.documents.update_script(script.id, status=ScriptStatus.ANALYZING)
    dead = pipeline.job_id("analyse", script.id, 1, 11)
    # Still retrying, or a job of an earlier attempt: nothing changes.
    task_registry.report_death(services, ANALYSE, (script.id, 11, 12), job_id=dead, final=False, cause="signal 9")
    old = pipeline.job_id("analyse", script.id, 0, 11)
    task_registry.report_death(services, ANALYSE, (script.id, 11, 12), job_id=old, final=True, cause="signal 9")
    assert scripts.get_script(services, script.id).status is ScriptStatus.ANALYZING
    task_registry.report_death(services, ANALYSE, (script.id, 11, 12), job_id=dead, final=True, cause="signal 9")
    failed = scripts.get_script(services, script.id)
    assert failed.status is ScriptStatus.FAILED and failed.error is not None
    assert failed.error.stage == "analyzing"
    assert "stopped unexpectedly every time it tried analysing scenes 11–12" in failed.error.message
    assert "out of memory" in failed.error.message and "Retry" in failed.error.message
    assert "signal 9" in failed.error.detail


def test_delete_removes_documents_vectors_and_the_unshared_file(services: Services) -> None:
    data = fountain_script(3).encode()
    first = scripts.ingest(services, data, "a.fountain")
    second = scripts.ingest(services, data, "copy.fountain")
    assert services.vectors.count(first.id) == 3
    scripts.delete(services, LOCAL_USER, first.id)
    with pytest.raises(NotFoundError):
        scripts.get_script(services, first.id)
    assert services.vectors.count(first.id) == 0
    assert services.blobs.exists(first.blob_key), "the copy still needs the file"
    scripts.delete(services, LOCAL_USER, second.id)
    assert not services.blobs.exists(first.blob_key)
    assert services.vectors.count() == 0


def test_unknown_script(services: Services) -> None:
    with pytest.raises(NotFoundError):
        scripts.get_script(services, "nope")


def test_text_too_large_to_parse_quickly_is_left_to_the_background_parse() -> None:
    huge = PROSE * (CHECKED_TEXT_BYTES // len(PROSE) + 1)
    assert check_upload(huge, "notes.txt", max_bytes=len(huge)) == "text"  # no wait: the worker will refuse it
    with pytest.raises(ParseError):
        check_upload(PROSE, "notes.txt")


class ProgressRecordingStore(InMemoryDocumentStore):
    """Documents in memory that remember every search-index progress written."""

    def __init__(self) -> None:
        super().__init__()
        self.index_progress: list[tuple[str, int, int]] = []

    def update_script(self, script_id: str, **changes: object) -> Script:
        progress = changes.get("search_index")
        if isinstance(progress, Progress):
            self.index_progress.append((progress.stage, progress.done, progress.total))
        return super().update_script(script_id, **changes)


def test_a_script_is_browsable_before_its_indexing_and_indexing_reports_progress(settings: Settings) -> None:
    documents = ProgressRecordingStore()
    # The queue keeps jobs and runs none: each step is run here by hand.
    services = fake_services(settings, documents=documents, queue=DyingTaskQueue)
    script = scripts.ingest(services, fountain_script(20).encode(), "a.fountain")
    pipeline.parse(services, script.id)
    pipeline.analyse(services, script.id, 1, 20)
    pipeline.finish_script(services, script.id, "1")
    browsable = scripts.get_script(services, script.id)
    assert browsable.status is ScriptStatus.COMPLETED and browsable.rollups is not None
    assert browsable.indexing and browsable.search_index == Progress(stage="indexing", done=0, total=20)
    assert services.queue.state(pipeline.job_id("index", script.id, 1)) == "queued"
    assert services.vectors.count(script.id) == 0
    # While its job is queued nothing is done twice; an app that died before indexing carries it on at its next start.
    assert scripts.recover_interrupted(services) == []
    restarted = build_services(
        settings,
        documents=documents,
        records=services.records,
        blobs=services.blobs,
        vectors=services.vectors,
        queue=DyingTaskQueue,
        embedder=services.embedder,
    )
    assert [found.id for found in scripts.recover_interrupted(restarted)] == [script.id]
    assert restarted.queue.state(pipeline.job_id("index", script.id, 1)) == "queued"

    pipeline.index_script(services, script.id)
    indexed = scripts.get_script(services, script.id)
    assert not indexed.indexing and indexed.search_index == Progress(stage="done", done=20, total=20)
    assert services.vectors.count(script.id) == 20
    steps = [done for stage, done, _ in documents.index_progress if stage == "indexing"]
    assert steps == [0, 4, 8, 12, 16, 20]  # progress after every few scenes, not only at the end
    assert {"browsable_seconds", "index_seconds", "total_seconds"} <= set(indexed.timings)
