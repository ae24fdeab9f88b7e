"""TaskQueue that runs tasks on a thread pool inside this process: the embedded default.

It keeps the RQ semantics that matter to callers: stable job ids (a second submit while queued or running is
ignored), dependencies (a job starts only after all it depends on finished), retries with backoff, and
states queued / started / finished / failed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from cortexreel.ports import JobState, TaskArgument, TaskRunner
from cortexreel.task_registry import check_job_id, lookup

log = logging.getLogger(__name__)


@dataclass
class _Job:
    job_id: str
    task: str
    args: tuple[TaskArgument, ...]
    depends_on: tuple[str, ...]
    state: JobState = "queued"
    attempts: int = 0
    error: str = ""
    waiting_on: set[str] = field(default_factory=set)


class InlineTaskQueue:
    kind = "in-process"

    def __init__(
        self, run_task: TaskRunner, *, workers: int = 2, retries: int = 0, backoff_seconds: float = 1.0
    ) -> None:
        self._run_task = run_task
        self._workers = workers
        self._retries = retries
        self._backoff = backoff_seconds
        self._executor: ThreadPoolExecutor | None = None
        self._jobs: dict[str, _Job] = {}
        self._lock = threading.Condition()

    def describe(self) -> str:
        return f"{self._workers} worker threads in this process"

    def ping(self) -> None:
        return None

    def enqueue(self, task: str, *args: TaskArgument, job_id: str, depends_on: Sequence[str] = ()) -> str:
        lookup(task)  # refuse names no worker could run, as the RQ adapter does
        check_job_id(job_id)
        with self._lock:
            existing = self._jobs.get(job_id)
            if existing is not None and existing.state in ("queued", "started"):
                return job_id
            job = _Job(job_id, task, tuple(args), tuple(depends_on))
            job.waiting_on = {
                dependency
                for dependency in depends_on
                if dependency in self._jobs and self._jobs[dependency].state != "finished"
            }
            self._jobs[job_id] = job
            if not job.waiting_on:
                self._submit(job)
        return job_id

    def state(self, job_id: str) -> JobState:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.state if job is not None else "missing"

    def failure(self, job_id: str) -> str:
        """The last error of a failed job, for diagnostics."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.error if job is not None else ""

    def drain(self, timeout: float = 60.0) -> bool:
        """Wait until no job is queued or running; False if `timeout` passed first."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while any(job.state in ("queued", "started") for job in self._jobs.values()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(remaining)
        return True

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _submit(self, job: _Job) -> None:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="cortexreel-task")
        self._executor.submit(self._run, job)

    def _run(self, job: _Job) -> None:
        with self._lock:
            job.state = "started"
        while True:
            job.attempts += 1
            try:
                self._run_task(job.task, job.args)
            except Exception as error:
                log.exception("Task %s failed (attempt %d)", job.job_id, job.attempts)
                if job.attempts > self._retries:
                    self._finish(job, "failed", f"{type(error).__name__}: {error}")
                    return
                time.sleep(self._backoff * 2 ** (job.attempts - 1))
            else:
                self._finish(job, "finished", "")
                return

    def _finish(self, job: _Job, state: JobState, error: str) -> None:
        with self._lock:
            job.state = state
            job.error = error
            settled = [job]
            while settled:
                done = settled.pop()
                for waiting in self._jobs.values():
                    if done.job_id not in waiting.waiting_on or waiting.state != "queued":
                        continue
                    if done.state == "failed":
                        waiting.state = "failed"
                        waiting.error = f"a job it depends on ({done.job_id}) failed"
                        settled.append(waiting)
                        continue
                    waiting.waiting_on.discard(done.job_id)
                    if not waiting.waiting_on:
                        self._submit(waiting)
            self._lock.notify_all()
