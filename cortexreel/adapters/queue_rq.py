"""TaskQueue on RQ and Redis: tasks run in `worker.py` processes, on any number of machines."""

from __future__ import annotations

from collections.abc import Sequence

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from cortexreel.config import redact_url
from cortexreel.errors import BackendUnavailableError
from cortexreel.ports import JobState, TaskArgument
from cortexreel.task_registry import check_job_id, lookup

ACTIVE = frozenset({JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED})
STATES: dict[JobStatus, JobState] = {
    JobStatus.CREATED: "queued",
    JobStatus.QUEUED: "queued",
    JobStatus.DEFERRED: "queued",
    # Jobs are scheduled only by a retry after a failure or an abandoned run (nothing is queued for later).
    JobStatus.SCHEDULED: "retrying",
    JobStatus.STARTED: "started",
    JobStatus.FINISHED: "finished",
    JobStatus.FAILED: "failed",
    JobStatus.STOPPED: "failed",
    JobStatus.CANCELED: "failed",
}


def connect_redis(url: str) -> Redis[bytes]:
    """A Redis client with bounded timeouts; redis-py connects on first command, not here."""
    return Redis.from_url(url, socket_connect_timeout=5, socket_timeout=60, health_check_interval=30)


class RqTaskQueue:
    kind = "rq"

    def __init__(
        self,
        redis_url: str,
        *,
        queue_name: str,
        job_function: str,
        retries: int = 3,
        backoff_seconds: int = 10,
        job_timeout_seconds: int = 1800,
    ) -> None:
        self._url = redis_url
        # The dotted path of what a worker calls with (task name, *args): the worker's side, chosen by the
        # composition root.
        self._job_function = job_function
        self.connection = connect_redis(redis_url)
        self.queue = Queue(queue_name, connection=self.connection, serializer=JSONSerializer)
        self._retry = (
            Retry(max=retries, interval=[backoff_seconds * 3**attempt for attempt in range(retries)])
            if retries
            else None
        )
        self._job_timeout = job_timeout_seconds

    def describe(self) -> str:
        return f"{redact_url(self._url)} (queue {self.queue.name})"

    def ping(self) -> None:
        try:
            self.connection.ping()
        except RedisError as error:
            raise BackendUnavailableError(
                f"The Redis server at {redact_url(self._url)} is not reachable.", detail=str(error)
            ) from error

    def enqueue(self, task: str, *args: TaskArgument, job_id: str, depends_on: Sequence[str] = ()) -> str:
        lookup(task)  # refuse names no worker could run
        check_job_id(job_id)
        try:
            # The lock makes check-then-enqueue atomic across processes, so a double submit queues once.
            with self.connection.lock(f"cortexreel:enqueue:{job_id}", timeout=30, blocking_timeout=30):
                existing = self._fetch(job_id)
                if existing is not None:
                    if existing.get_status(refresh=True) in ACTIVE:
                        return job_id
                    existing.delete()
                self.queue.enqueue_call(
                    self._job_function,
                    args=(task, *args),
                    job_id=job_id,
                    depends_on=list(depends_on) or None,
                    retry=self._retry,
                    timeout=self._job_timeout,
                    result_ttl=24 * 3600,
                    failure_ttl=7 * 24 * 3600,
                )
        except RedisError as error:
            raise BackendUnavailableError(
                "The task queue (Redis) is not reachable, so the work could not be queued.", detail=str(error)
            ) from error
        return job_id

    def state(self, job_id: str) -> JobState:
        job = self._fetch(job_id)
        if job is None:
            return "missing"
        try:
            return self._state_of(job, follow_dependencies=True)
        except RedisError as error:
            raise BackendUnavailableError("The task queue (Redis) is not reachable.", detail=str(error)) from error

    def _state_of(self, job: Job, *, follow_dependencies: bool) -> JobState:
        status = job.get_status(refresh=True)
        if status is None:
            return "missing"
        if status is JobStatus.STARTED and not job.execution_registry.get_execution_ids():
            # A running job has a live execution, renewed by its worker's heartbeat; none left means the worker died
            # (read the status again: the job may just have ended, which removes its execution too).
            status = job.get_status(refresh=True)
            if status is JobStatus.STARTED:
                return "stalled"
        if status is JobStatus.DEFERRED and follow_dependencies:
            # Waiting on other jobs: it never runs if one of them failed, and is held up while one is stalled.
            dependencies = Job.fetch_many(job.dependency_ids, connection=self.connection, serializer=JSONSerializer)
            states = {
                "missing" if dependency is None else self._state_of(dependency, follow_dependencies=False)
                for dependency in dependencies
            }
            if "failed" in states or "missing" in states:
                return "failed"
            if "stalled" in states:
                return "stalled"
            if "retrying" in states:
                return "retrying"
        return STATES.get(status, "queued") if status is not None else "missing"

    def _fetch(self, job_id: str) -> Job | None:
        try:
            return Job.fetch(job_id, connection=self.connection, serializer=JSONSerializer)
        except NoSuchJobError:
            return None
