"""The TaskQueue contract, run on RQ with a real Redis and on the in-process runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from redis import Redis
from rq import Worker
from rq.serializers import JSONSerializer

from cortexreel import task_registry
from cortexreel.adapters.queue_inline import InlineTaskQueue
from cortexreel.adapters.queue_rq import RqTaskQueue
from cortexreel.bootstrap import RQ_JOB_FUNCTION
from cortexreel.container import Services
from cortexreel.errors import InvalidInputError, TaskError
from cortexreel.ports import TaskArgument, TaskQueue
from cortexreel.task_registry import qualified_name, task_name
from tests import servers
from tests.fakes import SynchronousTaskQueue
from tests.task_functions import always_fail, fail_once, not_registered, record, slow_record, submit_again


@dataclass
class QueueUnderTest:
    queue: TaskQueue
    run_pending: Callable[[], None]
    # Whether a job can still be waiting when enqueue returns (the synchronous fake has run it by then).
    defers: bool = True


@dataclass
class ContractServices:
    """All the contract's tasks use of the Services: the queue that runs them."""

    queue: TaskQueue


@pytest.fixture(params=["inline", "rq", "synchronous"])
def tasks(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[QueueUnderTest]:
    if request.param in ("inline", "synchronous"):
        holder: list[TaskQueue] = []

        def run_task(name: str, args: tuple[TaskArgument, ...]) -> None:
            task_registry.run(cast(Services, ContractServices(holder[0])), name, args)

        if request.param == "synchronous":
            synchronous = SynchronousTaskQueue(run_task, retries=1)
            holder.append(synchronous)
            yield QueueUnderTest(synchronous, lambda: None, defers=False)
            return
        inline = InlineTaskQueue(run_task, workers=2, retries=1, backoff_seconds=0.01)
        holder.append(inline)
        yield QueueUnderTest(inline, lambda: _drained(inline))
        inline.shutdown()
        return
    url = servers.redis_url()
    # The worker's side of RQ opens its Services from the environment: the same Redis.
    monkeypatch.setenv("CORTEXREEL_REDIS_URL", url)
    client = Redis.from_url(url)
    client.flushdb()
    rq_queue = RqTaskQueue(url, queue_name="contract", job_function=RQ_JOB_FUNCTION, retries=1, backoff_seconds=0)

    def work() -> None:
        worker = Worker([rq_queue.queue], connection=rq_queue.connection, serializer=JSONSerializer)
        worker.work(burst=True, with_scheduler=True)

    yield QueueUnderTest(rq_queue, work)
    client.flushdb()
    client.close()


def _drained(queue: InlineTaskQueue) -> None:
    assert queue.drain(timeout=30), "the in-process runner did not finish in time"


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_ping_answers(tasks: QueueUnderTest) -> None:
    tasks.queue.ping()
    assert tasks.queue.describe()


def test_a_queued_task_runs(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    assert tasks.queue.enqueue(task_name(record), str(log), "hello", job_id="job-a") == "job-a"
    tasks.run_pending()
    assert lines(log) == ["hello"]
    assert tasks.queue.state("job-a") == "finished"


def test_double_submit_runs_once_while_queued(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    tasks.queue.enqueue(task_name(slow_record), str(log), "once", job_id="parse-script-1")
    tasks.queue.enqueue(task_name(slow_record), str(log), "once", job_id="parse-script-1")
    tasks.run_pending()
    # A queue that ran the job before the first enqueue returned saw a finished job: that one runs again.
    assert lines(log) == (["once"] if tasks.defers else ["once", "once"])


def test_a_submit_while_the_job_runs_is_ignored(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    tasks.queue.enqueue(task_name(submit_again), str(log), "again", job_id="again")
    tasks.run_pending()
    assert lines(log) == ["ran"]
    assert tasks.queue.state("again") == "finished"


def test_submitting_again_after_it_finished_runs_again(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    tasks.queue.enqueue(task_name(record), str(log), "first", job_id="retry-me")
    tasks.run_pending()
    tasks.queue.enqueue(task_name(record), str(log), "second", job_id="retry-me")
    tasks.run_pending()
    assert lines(log) == ["first", "second"]


def test_dependencies_run_first(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    tasks.queue.enqueue(task_name(slow_record), str(log), "batch 1", job_id="batch-1")
    tasks.queue.enqueue(task_name(slow_record), str(log), "batch 2", job_id="batch-2")
    tasks.queue.enqueue(task_name(record), str(log), "finish", job_id="finish", depends_on=["batch-1", "batch-2"])
    tasks.run_pending()
    assert sorted(lines(log)[:2]) == ["batch 1", "batch 2"]
    assert lines(log)[2:] == ["finish"]
    assert tasks.queue.state("finish") == "finished"


def test_a_failing_task_is_retried(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    tasks.queue.enqueue(task_name(fail_once), str(log), job_id="flaky")
    tasks.run_pending()
    assert lines(log) == ["attempt 1", "attempt 2"]
    assert tasks.queue.state("flaky") == "finished"


def test_a_task_that_keeps_failing_ends_failed(tasks: QueueUnderTest, tmp_path: Path) -> None:
    log = tmp_path / "log"
    tasks.queue.enqueue(task_name(always_fail), str(log), job_id="doomed")
    tasks.run_pending()
    assert lines(log) == ["failed", "failed"]  # the first attempt and one retry
    assert tasks.queue.state("doomed") == "failed"


def test_unknown_jobs_and_unregistered_functions(tasks: QueueUnderTest, tmp_path: Path) -> None:
    assert tasks.queue.state("never-queued") == "missing"
    with pytest.raises(TaskError):
        tasks.queue.enqueue(qualified_name(not_registered), str(tmp_path / "log"), job_id="nope")
    with pytest.raises(InvalidInputError):
        tasks.queue.enqueue(task_name(record), str(tmp_path / "log"), "x", job_id="parse:with-colon")
