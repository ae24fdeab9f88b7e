"""The RQ worker `worker.py` runs: tuned so that a job whose worker died is taken up again within a minute, and so
that nothing the worker forked outlives it.

RQ learns that a worker died only from missing heartbeats. Stock RQ gives a running job 60 s of grace past each
30 s heartbeat and cleans its registries every 10 minutes, after an idle wait of up to 7 minutes: an abandoned job
waited ~14 minutes. Here a running job's heartbeat comes every 5 s with 15 s of grace, and an idle worker wakes every
10 s and cleans up (one worker per queue at a time, under RQ's maintenance lock) on every wake. So an abandoned job
is found at most ~20 s after its worker died plus one idle wake (≤ 10 s), and re-queued with the task's retry
backoff (10 s for the first retry) by the scheduler.

The work horse and the scheduler are forked by the worker. If the worker is killed they would live on as orphans:
a horse still running a job RQ is about to hand to another worker, a scheduler holding the queue's scheduler lock so
no live worker can schedule. On Linux each gets SIGTERM when the worker dies (prctl PR_SET_PDEATHSIG): the horse
stops, the scheduler releases its lock within a second and a live worker takes over at its next wake.

A job that kills its horse (out of memory) or whose worker died is retried like any failed job; when its retries
are used up the worker's death report is called (cortexreel.bootstrap.report_task_death), so the script says why it
stopped instead of staying in "analyzing" forever.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import threading
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from redis import Redis
from rq import Worker
from rq.exceptions import AbandonedJobError
from rq.job import Job
from rq.serializers import JSONSerializer

from cortexreel.ports import TaskArgument

log = logging.getLogger(__name__)

JOB_HEARTBEAT_SECONDS = 5
HEARTBEAT_GRACE_SECONDS = 15
WORKER_TTL_SECONDS = 25  # RQ waits worker_ttl - 15 s for a job before it wakes (heartbeat, maintenance)
MAINTENANCE_SECONDS = 5  # at most this often; an idle worker wakes every 10 s
PR_SET_PDEATHSIG = 1

# Told of a job whose process died: the task's name and arguments, the job id, whether no retry is left, the cause.
DeathReport = Callable[[str, tuple[TaskArgument, ...], str, bool, str], None]


class CortexReelWorker(Worker):
    def get_heartbeat_ttl(self, job: Job) -> int:
        """How long a running job counts as alive after a heartbeat (RQ's own grace is a fixed 60 s)."""
        return int(self.job_monitoring_interval) + HEARTBEAT_GRACE_SECONDS


def build_worker(
    queue_names: Sequence[str], connection: Redis[bytes], name: str, on_death: DeathReport
) -> CortexReelWorker:
    """The worker, tuned as described above, telling `on_death` of every job whose process died."""
    deaths = _DeathWatch(on_death)
    return CortexReelWorker(
        list(queue_names),
        connection=connection,
        serializer=JSONSerializer,
        name=name,
        worker_ttl=WORKER_TTL_SECONDS,
        job_monitoring_interval=JOB_HEARTBEAT_SECONDS,
        maintenance_interval=MAINTENANCE_SECONDS,
        work_horse_killed_handler=deaths.horse_killed,
        exception_handlers=[deaths.job_abandoned],
    )


class _DeathWatch:
    def __init__(self, on_death: DeathReport) -> None:
        self._on_death = on_death

    def horse_killed(self, job: Job, pid: int, status: int, rusage: Any) -> None:
        """RQ calls this when the process running `job` died (out of memory, killed), before it retries or fails it."""
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit status {os.WEXITSTATUS(status)}"
        self._report(job, f"the work horse (pid {pid}) ended with {how}")

    def job_abandoned(
        self, job: Job, exc_type: type[BaseException], exc_value: BaseException, traceback: TracebackType | Any
    ) -> bool:
        """RQ's exception handler: acts on AbandonedJobError, which registry cleanup raises for a job whose worker
        stopped sending heartbeats. Other exceptions were raised by the task itself, which records its own failure."""
        if issubclass(exc_type, AbandonedJobError):
            self._report(job, "its worker stopped answering (killed, or the machine went down)")
        return True  # let RQ go on with its own handling (retry or move to the failed registry)

    def _report(self, job: Job, cause: str) -> None:
        final = not job.should_retry
        log.warning("Job %s died: %s; %s", job.id, cause, "no retries left" if final else "it will be retried")
        try:
            name, *arguments = job.args
            self._on_death(str(name), tuple(arguments), job.id, final, cause)
        except Exception:
            # The worker must keep working whatever a death handler does.
            log.exception("Could not record the death of job %s", job.id)


def children_die_with_this_process() -> None:
    """Make every process this process forks from its main thread (the work horse, the scheduler) receive SIGTERM
    when this process dies. Linux only; elsewhere a killed worker's children live on as before."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        log.info("prctl is not available here: a killed worker's horse and scheduler will outlive it")
        return
    parent = os.getpid()
    forking = threading.local()

    def before() -> None:
        forking.main = threading.current_thread() is threading.main_thread()

    def in_child() -> None:
        # Only direct children forked from the main thread: the signal is tied to the thread that forked.
        if os.getppid() != parent or not getattr(forking, "main", False):
            return
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the worker died before the line above
            os._exit(1)

    os.register_at_fork(before=before, after_in_child=in_child)
