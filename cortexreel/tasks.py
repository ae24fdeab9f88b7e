"""Background task functions. Each takes the Services and ids, is idempotent, and is safe to retry.

A failure the user can act on (an unreadable file) marks the script failed and ends the task. An unexpected one
(a server down) also marks it failed, then re-raises so the queue retries with backoff; the steps keep working
on a failed script, so a retry that succeeds carries the script on to completed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from cortexreel.bootstrap import Services
from cortexreel.ports import TaskArgument
from cortexreel.services import pipeline, scripts
from cortexreel.services.scripts import mark_failed
from cortexreel.task_registry import on_death, task

log = logging.getLogger(__name__)


@task
def parse_script(services: Services, script_id: str) -> None:
    def step() -> None:
        batches = pipeline.parse(services, script_id)
        if batches is None:
            return
        script = services.documents.get_script(script_id)
        attempt = script.attempt if script else 1
        batch_jobs = [
            services.queue.enqueue(
                analyse_scenes, script_id, first, last, job_id=scripts.job_id("analyse", script_id, attempt, first)
            )
            for first, last in batches
        ]
        services.queue.enqueue(
            finish_script,
            script_id,
            ",".join(str(first) for first, _ in batches),
            job_id=scripts.job_id("finish", script_id, attempt),
            depends_on=batch_jobs,
        )

    _run_step(services, script_id, "parsing", step)


@task
def analyse_scenes(services: Services, script_id: str, first: int, last: int) -> None:
    _run_step(services, script_id, "analyzing", lambda: pipeline.analyse(services, script_id, first, last))


@task
def finish_script(services: Services, script_id: str, batch_starts: str) -> None:
    starts = [int(first) for first in batch_starts.split(",") if first]
    _run_step(services, script_id, "indexing", lambda: pipeline.finish(services, script_id, starts))


def _run_step(services: Services, script_id: str, stage: str, step: Callable[[], None]) -> None:
    try:
        step()
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
    finish_script.__name__: "indexing",
}


@on_death
def _step_died(
    services: Services, name: str, args: tuple[TaskArgument, ...], job_id: str, final: bool, cause: str
) -> None:
    """A step's process died under it (out of memory, killed): when the queue gives up, the script says so."""
    function = name.rsplit(".", 1)[-1]
    if function not in STAGES or not args:
        return
    scenes = (int(args[1]), int(args[2])) if function == analyse_scenes.__name__ and len(args) >= 3 else None
    scripts.job_died(services, str(args[0]), job_id, STAGES[function], final=final, cause=cause, scenes=scenes)
