"""The analysis pipeline, one registered background task per step: parse → analyse (in batches) → index and roll up.

Every step is idempotent. Scenes are upserted by (script, number); a batch skips scenes that already have an
analysis and treats a compare-and-set conflict as "someone else did it"; indexing replaces the script's
vectors. So re-running any step, or a worker killed in the middle of one, ends in the same state.

Failures are handled here and nowhere else (`_run_step`, `job_died`, `mark_failed`). A failure the user can act on
(an unreadable file, scenes left unanalysed) marks the script failed and ends the step. An unexpected one (a server
down) also marks it failed, then re-raises so the queue retries with backoff; the steps keep working on a failed
script, so a retry that succeeds carries the script on to completed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from cortexreel.container import Services
from cortexreel.domain.base import utcnow
from cortexreel.domain.continuity import script_cast, with_times_carried_over
from cortexreel.domain.rollups import build_rollups
from cortexreel.domain.scenes import Scene, VersionSource, next_version, scene_from_parse
from cortexreel.domain.scripts import JobFailure, Progress, Script, ScriptStatus
from cortexreel.errors import BackendUnavailableError, ConflictError, CortexReelError
from cortexreel.parsing.sandbox import parse_untrusted
from cortexreel.ports import TaskArgument, VectorRecord
from cortexreel.services.search import scene_records
from cortexreel.task_registry import on_death, task, task_name

log = logging.getLogger(__name__)
T = TypeVar("T")

BATCH_SIZE = 10
INDEX_BATCH = 4  # scenes embedded between two progress updates: well under a second on two idle cores
ANALYSER_AUTHOR = "analyser"


class ScriptCannotGoOn(CortexReelError):
    """A step found something about the script itself that a retry would not change; its message is for the user.
    `stage` names the stage at fault when it is not the step's own (scenes left unanalysed, found when indexing)."""

    def __init__(self, message: str, *, detail: str = "", stage: str | None = None) -> None:
        super().__init__(message, detail=detail)
        self.stage = stage


@task
def parse_script(services: Services, script_id: str) -> None:
    """Parse the stored file into scenes, then queue the analysis batches and the finishing step after them."""

    def step() -> None:
        batches = parse(services, script_id)
        if batches is None:
            return
        script = services.documents.get_script(script_id)
        attempt = script.attempt if script else 1
        batch_jobs = [
            services.queue.enqueue(
                task_name(analyse_scenes),
                script_id,
                first,
                last,
                job_id=job_id("analyse", script_id, attempt, first),
            )
            for first, last in batches
        ]
        services.queue.enqueue(
            task_name(finish_script),
            script_id,
            ",".join(str(first) for first, _ in batches),
            job_id=job_id("finish", script_id, attempt),
            depends_on=batch_jobs,
        )

    _run_step(services, script_id, "parsing", step)


@task
def analyse_scenes(services: Services, script_id: str, first: int, last: int) -> None:
    _run_step(services, script_id, "analyzing", lambda: analyse(services, script_id, first, last))


@task
def finish_script(services: Services, script_id: str, batch_starts: str) -> None:
    starts = [int(first) for first in batch_starts.split(",") if first]
    _run_step(services, script_id, "analyzing", lambda: finish(services, script_id, starts))


@task
def index_script(services: Services, script_id: str) -> None:
    _run_step(services, script_id, "indexing", lambda: index(services, script_id))


def queue_parse(services: Services, script: Script) -> None:
    """Start the script's current attempt."""
    services.queue.enqueue(task_name(parse_script), script.id, job_id=job_id("parse", script.id, script.attempt))


def job_id(kind: str, script_id: str, attempt: int, first: int | None = None) -> str:
    """The stable id of a pipeline job: `parse`, `analyse` (with the batch's first scene number) or `finish`."""
    suffix = f"-{first}" if first is not None else ""
    return f"{kind}-{script_id}-{attempt}{suffix}"


def attempt_of(pipeline_job_id: str, script_id: str) -> int | None:
    """The attempt a pipeline job id belongs to, or None if it is not one of this script's."""
    _, found, rest = pipeline_job_id.partition(f"-{script_id}-")
    number = rest.split("-", 1)[0] if found else ""
    return int(number) if number.isdigit() else None


def mark_failed(services: Services, script_id: str, stage: str, message: str, detail: str = "") -> None:
    services.documents.update_script(
        script_id, status=ScriptStatus.FAILED, error=JobFailure(stage=stage, message=message, detail=detail)
    )


def _run_step(services: Services, script_id: str, stage: str, step: Callable[[], None]) -> None:
    try:
        step()
    except ScriptCannotGoOn as error:
        mark_failed(services, script_id, error.stage or stage, error.message, error.detail)
    except Exception as error:
        log.exception("The %s step of script %s failed", stage, script_id)
        try:
            mark_failed(
                services,
                script_id,
                stage,
                f"Something went wrong while {stage} this script. CortexReel retries automatically; "
                "if it stays failed, use Retry.",
                detail=f"{type(error).__name__}: {error}",
            )
        except Exception:
            log.exception("Could not record the failure of script %s", script_id)
        raise


STAGES = {
    parse_script.__name__: "parsing",
    analyse_scenes.__name__: "analyzing",
    finish_script.__name__: "analyzing",
    index_script.__name__: "indexing",
}


@on_death
def job_died(
    services: Services, name: str, args: tuple[TaskArgument, ...], dead_job_id: str, final: bool, cause: str
) -> None:
    """A step's process died under it (out of memory, killed). When the queue gave up on it, mark the script failed
    with a reason; a job of an earlier attempt, or a script already finished, is left alone."""
    function = name.rsplit(".", 1)[-1]
    if function not in STAGES or not args or not final:
        return
    script_id = str(args[0])
    script = services.documents.get_script(script_id)
    if script is None or script.status.finished or attempt_of(dead_job_id, script_id) != script.attempt:
        return
    stage = STAGES[function]
    what = {
        "parsing": "reading this file",
        "analyzing": f"analysing scenes {args[1]}–{args[2]}" if len(args) >= 3 else "analysing its scenes",
        "indexing": "indexing it for search",
    }[stage]
    mark_failed(
        services,
        script_id,
        stage,
        f"The background worker stopped unexpectedly every time it tried {what} (it ran out of memory or was "
        "killed), so CortexReel gave up. Work already done is kept. Use Retry to try again; if it stops again, the "
        "file may be too large or damaged.",
        detail=f"job {dead_job_id}: {cause}",
    )


def parse(services: Services, script_id: str) -> list[tuple[int, int]] | None:
    """Parse the stored file into scenes. Returns the batches (first, last scene number) still to analyse,
    or None when the script is gone."""
    script = services.documents.get_script(script_id)
    if script is None:
        return None
    started = time.perf_counter()
    services.documents.update_script(
        script_id, status=ScriptStatus.PARSING, progress=Progress(stage="parsing", total=script.progress.total)
    )
    # A file store that is down is worth a retry; a file that is gone or unreadable is not.
    try:
        with services.blobs.open(script.blob_key) as stream:
            data = stream.read()
        # The file is a user's: it is read in a child process with hard limits, never in this one.
        screenplay = parse_untrusted(data, script.filename, services.settings.parse_limits)
    except BackendUnavailableError:
        raise
    except CortexReelError as error:
        raise ScriptCannotGoOn(error.message, detail=error.detail) from error
    scenes = [scene_from_parse(script_id, parsed) for parsed in screenplay.scenes]
    services.documents.upsert_scenes(scenes)
    done = services.documents.count_scenes(script_id, analysed=True)
    services.documents.update_script(
        script_id,
        title=screenplay.title or script.title,
        page_count=screenplay.pages,
        scene_count=len(scenes),
        warnings=screenplay.warnings,
        status=ScriptStatus.ANALYZING,
        progress=Progress(stage="analyzing", done=done, total=len(scenes)),
        analyser=services.analyzer.info,
        timings={**script.timings, "parse_seconds": round(time.perf_counter() - started, 3)},
    )
    numbers = sorted(scene.number for scene in scenes)
    return [(chunk[0], chunk[-1]) for chunk in _chunks(numbers, BATCH_SIZE)]


def analyse(services: Services, script_id: str, first: int, last: int) -> None:
    """Analyse the scenes numbered first..last that have no analysis yet, each written as version 1."""
    # A script marked failed by a transient error in another step is still worked on: its retry may succeed.
    if services.documents.get_script(script_id) is None:
        return
    # Each scene goes to the analyser with the time of day it happens at (a CONTINUOUS scene's is the one before
    # it) and with the script's characters, so one its action names is known.
    every_scene = services.documents.list_scenes(script_id)
    pending = [
        scene
        for scene in with_times_carried_over(every_scene)
        if first <= scene.number <= last and scene.version == 0
    ]
    started = time.perf_counter()
    results = services.analyzer.analyze_many(pending, script_cast(every_scene))
    for scene, result in zip(pending, results, strict=True):
        entry = next_version(
            scene,
            result.analysis,
            author=ANALYSER_AUTHOR,
            source=VersionSource.ANALYSIS,
            note=f"Analysed by {services.analyzer.info.name} {services.analyzer.info.version}",
        )
        try:
            services.documents.write_analysis(entry)
        except ConflictError:
            log.info("Scene %s was analysed by another worker; keeping that result", scene.id)
    if results:
        services.records.put_record(
            "token-usage",
            f"{script_id}-{first}",
            {
                "input_tokens": sum(result.input_tokens for result in results),
                "output_tokens": sum(result.output_tokens for result in results),
                "seconds": round(time.perf_counter() - started, 3),
            },
        )
    done = services.documents.count_scenes(script_id, analysed=True)
    current = services.documents.get_script(script_id)
    if current is not None and done > current.progress.done:
        services.documents.update_script(
            script_id, progress=Progress(stage="analyzing", done=done, total=current.progress.total)
        )


def finish(services: Services, script_id: str, batch_starts: Sequence[int]) -> None:
    """Roll the analyses up into the script breakdown and mark the script completed: from here it can be browsed,
    edited and exported. Then queue its indexing for search, which runs behind it with its own progress."""
    script = services.documents.get_script(script_id)
    if script is None:
        return
    scenes = services.documents.list_scenes(script_id)
    missing = [scene.number for scene in scenes if scene.analysis is None]
    if missing:
        raise ScriptCannotGoOn(
            f"{len(missing)} of {len(scenes)} scenes could not be analysed. Retry to analyse the rest.",
            detail=f"unanalysed scene numbers: {missing[:50]}",
            stage="analyzing",
        )
    usage = _usage(services, script_id, batch_starts)
    now = utcnow()
    services.documents.update_script(
        script_id,
        status=ScriptStatus.COMPLETED,
        error=None,
        progress=Progress(stage="completed", done=len(scenes), total=len(scenes)),
        search_index=Progress(stage="indexing", done=0, total=len(scenes)),
        rollups=build_rollups(scenes),
        token_usage={"input_tokens": int(usage["input_tokens"]), "output_tokens": int(usage["output_tokens"])},
        timings={
            **script.timings,
            "analyse_seconds": usage["seconds"],
            "browsable_seconds": round((now - script.created_at).total_seconds(), 3),
        },
        completed_at=now,
    )
    queue_index(services, script)


def queue_index(services: Services, script: Script) -> None:
    services.queue.enqueue(task_name(index_script), script.id, job_id=job_id("index", script.id, script.attempt))


def index(services: Services, script_id: str) -> None:
    """Replace the script's search records, a few scenes at a time, saying after each how many are searchable."""
    script = services.documents.get_script(script_id)
    if script is None:
        return
    scenes = services.documents.list_scenes(script_id)
    started = time.perf_counter()
    services.vectors.delete_script(script.id)
    for done, batch in _indexed_batches(services, script, scenes):
        services.vectors.upsert(batch)
        services.documents.update_script(
            script_id, search_index=Progress(stage="indexing", done=done, total=len(scenes))
        )
    current = services.documents.get_script(script_id) or script
    services.documents.update_script(
        script_id,
        # A retry that got this far carries a script marked failed by an earlier attempt back to completed.
        status=ScriptStatus.COMPLETED,
        error=None,
        search_index=Progress(stage="done", done=len(scenes), total=len(scenes)),
        timings={
            **current.timings,
            "index_seconds": round(time.perf_counter() - started, 3),
            "total_seconds": round((utcnow() - script.created_at).total_seconds(), 3),
        },
    )


def index_scenes(services: Services, script: Script, scenes: Sequence[Scene]) -> None:
    """Replace the script's search records at once (migration, imports and tests; the pipeline goes a few scenes
    at a time with progress, see `index`)."""
    services.vectors.delete_script(script.id)
    for _, batch in _indexed_batches(services, script, scenes):
        services.vectors.upsert(batch)


def _indexed_batches(
    services: Services, script: Script, scenes: Sequence[Scene]
) -> Iterator[tuple[int, list[VectorRecord]]]:
    """Every scene chunked (heading kept in each chunk), embedded through the (text hash, model) cache, with the
    metadata searches filter on: a batch of records at a time, with how many scenes are done after it."""
    done = 0
    for batch in _chunks(list(scenes), INDEX_BATCH):
        done += len(batch)
        yield done, scene_records(services, script, batch)


def _usage(services: Services, script_id: str, batch_starts: Sequence[int]) -> dict[str, float]:
    totals = {"input_tokens": 0.0, "output_tokens": 0.0, "seconds": 0.0}
    for first in batch_starts:
        recorded = services.records.get_record("token-usage", f"{script_id}-{first}") or {}
        for key in totals:
            totals[key] += float(recorded.get(key, 0))
    return totals


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
