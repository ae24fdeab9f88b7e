"""Registered tasks that the task-queue contract runs. Each appends to a file so runs can be counted."""

from __future__ import annotations

import time
from pathlib import Path

from cortexreel.task_registry import task


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


def not_registered(services: object, path: str) -> None:
    _append(path, "should never run")
