"""Registered tasks that the task-queue contract runs. Each appends to a file so runs can be counted."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from cortexreel.container import Services
from cortexreel.ports import TaskArgument
from cortexreel.task_registry import on_death, qualified_name, task, task_name


def _append(path: str, text: str) -> None:
    with Path(path).open("a", encoding="utf-8") as log:
        log.write(text + "\n")


@task
def record(services: object, path: str, text: str) -> None:
    _append(path, text)


@task
def slow_record(services: object, path: str, text: str) -> None:
    time.sleep(0.3)
    _append(path, text)


@task
def fail_once(services: object, path: str) -> None:
    """Fails on its first attempt and succeeds on the retry."""
    attempts = Path(path).read_text().count("\n") if Path(path).exists() else 0
    _append(path, f"attempt {attempts + 1}")
    if attempts == 0:
        raise RuntimeError("first attempt fails")


@task
def always_fail(services: object, path: str) -> None:
    _append(path, "failed")
    raise RuntimeError("this task always fails")


@task
def submit_again(services: Services, path: str, job_id: str) -> None:
    """Submits its own job again while it runs: the queue must ignore that submit."""
    _append(path, "ran")
    services.queue.enqueue(task_name(submit_again), path, job_id, job_id=job_id)


def not_registered(services: object, path: str) -> None:
    _append(path, "should never run")


@task
def kill_own_process(services: object, path: str) -> None:
    """Dies like a process killed for using too much memory, on every attempt."""
    _append(path, "attempt")
    os.kill(os.getpid(), signal.SIGKILL)


@on_death
def record_death(
    services: object, name: str, args: tuple[TaskArgument, ...], job_id: str, final: bool, cause: str
) -> None:
    """Records what the queue reports about tasks of this module that died, next to their own log."""
    if name == qualified_name(kill_own_process):
        _append(f"{args[0]}.deaths", f"{job_id} final={final} {cause}")
