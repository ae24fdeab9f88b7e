"""The analysis pipeline, one function per background step: parse → analyse (in batches) → index and roll up.

Every step is idempotent. Scenes are upserted by (script, number); a batch skips scenes that already have an
analysis and treats a compare-and-set conflict as "someone else did it"; indexing replaces the script's
vectors. So re-running any step, or a worker killed in the middle of one, ends in the same state.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import TypeVar

from cortexreel.bootstrap import Services
from cortexreel.domain.base import utcnow
from cortexreel.domain.rollups import build_rollups
from cortexreel.domain.scenes import Scene, VersionSource, next_version, scene_from_parse
from cortexreel.domain.scripts import Progress, Script, ScriptStatus
from cortexreel.errors import ConflictError, CortexReelError
from cortexreel.parsing.sandbox import parse_untrusted
from cortexreel.services.scripts import mark_failed
from cortexreel.services.search import scene_records

log = logging.getLogger(__name__)
T = TypeVar("T")

BATCH_SIZE = 10
EMBED_BATCH = 32
ANALYSER_AUTHOR = "analyser"
USAGE_NAMESPACE = "token-usage"


def parse(services: Services, script_id: str) -> list[tuple[int, int]] | None:
    """Parse the stored file into scenes. Returns the batches (first, last scene number) still to analyse,
    or None when the script is gone or failed."""
    script = services.documents.get_script(script_id)
    if script is None:
        return None
    started = time.perf_counter()
    services.documents.update_script(
        script_id, status=ScriptStatus.PARSING, progress=Progress(stage="parsing", total=script.progress.total)
    )
    try:
        with services.blobs.open(script.blob_key) as stream:
            data = stream.read()
        # The file is a user's: it is read in a child process with hard limits, never in this one.
        screenplay = parse_untrusted(data, script.filename, services.settings.parse_limits)
    except CortexReelError as error:
        mark_failed(services, script_id, "parsing", error.message, error.detail)
        return None
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
    pending = [
        scene
        for scene in services.documents.list_scenes(script_id)
        if first <= scene.number <= last and scene.version == 0
    ]
    started = time.perf_counter()
    results = services.analyzer.analyze_many(pending)
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
        services.documents.put_cached(
            USAGE_NAMESPACE,
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
    """Index every scene for search, roll the analyses up into the script breakdown, and mark it completed."""
    script = services.documents.get_script(script_id)
    if script is None:
        return
    scenes = services.documents.list_scenes(script_id)
    missing = [scene.number for scene in scenes if scene.analysis is None]
    if missing:
        mark_failed(
            services,
            script_id,
            "analyzing",
            f"{len(missing)} of {len(scenes)} scenes could not be analysed. Retry to analyse the rest.",
            detail=f"unanalysed scene numbers: {missing[:50]}",
        )
        return
    services.documents.update_script(
        script_id, status=ScriptStatus.INDEXING, progress=Progress(stage="indexing", done=0, total=len(scenes))
    )
    started = time.perf_counter()
    index_scenes(services, script, scenes)
    index_seconds = round(time.perf_counter() - started, 3)
    usage = _usage(services, script_id, batch_starts)
    now = utcnow()
    services.documents.update_script(
        script_id,
        status=ScriptStatus.COMPLETED,
        error=None,
        progress=Progress(stage="completed", done=len(scenes), total=len(scenes)),
        rollups=build_rollups(scenes),
        token_usage={"input_tokens": int(usage["input_tokens"]), "output_tokens": int(usage["output_tokens"])},
        timings={
            **script.timings,
            "analyse_seconds": usage["seconds"],
            "index_seconds": index_seconds,
            "total_seconds": round((now - script.created_at).total_seconds(), 3),
        },
        completed_at=now,
    )


def index_scenes(services: Services, script: Script, scenes: Sequence[Scene]) -> None:
    """Replace the script's search records: every scene chunked (heading kept in each chunk), embedded through the
    (text hash, model) cache, and stored with the metadata searches filter on."""
    services.vectors.delete_script(script.id)
    for batch in _chunks(list(scenes), EMBED_BATCH):
        services.vectors.upsert(scene_records(services, script, batch))


def _usage(services: Services, script_id: str, batch_starts: Sequence[int]) -> dict[str, float]:
    totals = {"input_tokens": 0.0, "output_tokens": 0.0, "seconds": 0.0}
    for first in batch_starts:
        recorded = services.documents.get_cached(USAGE_NAMESPACE, f"{script_id}-{first}") or {}
        for key in totals:
            totals[key] += float(recorded.get(key, 0))
    return totals


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
