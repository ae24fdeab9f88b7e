"""worker.py runs registered tasks from Redis and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from redis import Redis

from cortexreel.adapters.queue_rq import RqTaskQueue
from cortexreel.bootstrap import RQ_JOB_FUNCTION
from cortexreel.task_registry import task_name
from tests import servers
from tests.task_functions import kill_own_process, record, slow_record

ROOT = Path(__file__).resolve().parents[2]


def worker_environment(redis_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CORTEXREEL_REDIS_URL=redis_url,
        CORTEXREEL_QUEUES="integration",
        CORTEXREEL_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
    )
    return env


def test_worker_refuses_to_start_without_redis(isolated_environment: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CORTEXREEL_REDIS_URL"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "worker.py")], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "CORTEXREEL_REDIS_URL" in result.stderr


def _start_worker(env: dict[str, str], *, start_new_session: bool = False) -> subprocess.Popen[bytes]:
    """worker.py in a process of its own, also able to run the task functions in tests/."""
    runner = (
        "import sys, worker, cortexreel.task_registry as r; "
        "r.TASK_MODULES = (*r.TASK_MODULES, 'tests.task_functions'); "
        "worker.TASK_MODULES = r.TASK_MODULES; sys.exit(worker.main([]))"
    )
    return subprocess.Popen([sys.executable, "-c", runner], cwd=ROOT, env=env, start_new_session=start_new_session)


def test_worker_runs_tasks_and_shuts_down_on_sigterm(tmp_path: Path) -> None:
    url = servers.redis_url()
    Redis.from_url(url).flushdb()
    queue = RqTaskQueue(url, queue_name="integration", job_function=RQ_JOB_FUNCTION, retries=0)
    log = tmp_path / "log"
    # The task functions live in tests/, which the worker process imports through TASK_MODULES below.
    env = worker_environment(url, tmp_path / "data")
    process = _start_worker(env)
    try:
        queue.enqueue(task_name(record), str(log), "from the worker", job_id="worker-first")
        deadline = time.monotonic() + 60
        while queue.state("worker-first") != "finished" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert queue.state("worker-first") == "finished"
        assert log.read_text().splitlines() == ["from the worker"]
        queue.enqueue(task_name(slow_record), str(log), "finished during shutdown", job_id="worker-second")
        while queue.state("worker-second") != "started" and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
        assert log.read_text().splitlines()[-1] == "finished during shutdown"
    finally:
        if process.poll() is None:
            process.kill()
        Redis.from_url(url).flushdb()


def test_a_task_that_kills_its_process_is_retried_then_reported_as_given_up(tmp_path: Path) -> None:
    url = servers.redis_url()
    Redis.from_url(url).flushdb()
    queue = RqTaskQueue(url, queue_name="integration", job_function=RQ_JOB_FUNCTION, retries=2, backoff_seconds=1)
    log = tmp_path / "log"
    env = worker_environment(url, tmp_path / "data")
    process = _start_worker(env, start_new_session=True)
    try:
        queue.enqueue(task_name(kill_own_process), str(log), job_id="dies-every-time")
        deadline = time.monotonic() + 60
        while queue.state("dies-every-time") != "failed" and time.monotonic() < deadline:
            time.sleep(0.1)
        assert queue.state("dies-every-time") == "failed"
        assert log.read_text().splitlines() == ["attempt"] * 3
        deaths = Path(f"{log}.deaths").read_text().splitlines()
        assert [line.split()[1] for line in deaths] == ["final=False", "final=False", "final=True"]
        assert all("ended with signal 9" in line for line in deaths)
        assert process.poll() is None, "the worker itself survives its work horse"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        Redis.from_url(url).flushdb()
