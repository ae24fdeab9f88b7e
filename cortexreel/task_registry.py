"""The registry of background task functions.

A task is a module-level function whose first parameter is the Services and whose other parameters are ids
(strings or ints), registered under its module-qualified name. Queues carry only that name and the ids (JSON), and
the worker's side runs a job with `run`: a job read from Redis can never name arbitrary code.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from cortexreel.errors import InvalidInputError, TaskError
from cortexreel.ports import TaskArgument, TaskFunction

if TYPE_CHECKING:
    from cortexreel.container import Services

# Told when a task's process died under it (out of memory, killed) rather than the task raising: the services, the
# task's name and arguments, the job id, whether the queue gave up on it (no retries left), and what happened.
DeathHandler = Callable[["Services", str, tuple[TaskArgument, ...], str, bool, str], None]

TASKS: dict[str, TaskFunction] = {}
_death_handlers: list[DeathHandler] = []
# Imported (by name) when a job names a task not registered yet in this process, e.g. in a fresh worker.
TASK_MODULES = ("cortexreel.services.pipeline",)
JOB_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,200}$")


def task(function: TaskFunction) -> TaskFunction:
    """Register `function` as a task under its module-qualified name."""
    TASKS[qualified_name(function)] = function
    return function


def qualified_name(function: TaskFunction) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def task_name(function: TaskFunction) -> str:
    """The registered name of `function`, what a queue takes; TaskError if it was never registered."""
    name = qualified_name(function)
    if TASKS.get(name) is not function:
        raise TaskError(f"{name} is not a registered task.")
    return name


def check_job_id(job_id: str) -> str:
    """Job ids are letters, digits, dashes and underscores (what RQ accepts), so every runner takes the same ids."""
    if not JOB_ID_PATTERN.match(job_id):
        raise InvalidInputError(f"{job_id!r} is not a valid job id: use letters, digits, dashes and underscores.")
    return job_id


def lookup(name: str) -> TaskFunction:
    """The task registered as `name`; TaskError if there is none."""
    if name not in TASKS:
        for module in TASK_MODULES:
            importlib.import_module(module)
    if name not in TASKS:
        raise TaskError(f"Unknown task {name!r}.")
    return TASKS[name]


def run(services: Services, name: str, args: tuple[TaskArgument, ...]) -> None:
    """The worker's side of every queue: run the task registered as `name` with `services`."""
    lookup(name)(services, *args)


def on_death(handler: DeathHandler) -> DeathHandler:
    """Register `handler` to hear of tasks whose process died under them (see DeathHandler)."""
    _death_handlers.append(handler)
    return handler


def report_death(
    services: Services, name: str, args: tuple[TaskArgument, ...], *, job_id: str, final: bool, cause: str
) -> None:
    """Called on the worker's side for a task that died with its process; runs the registered handlers. A task that
    raised is not reported here: it records its own failure."""
    lookup(name)  # imports the task modules, which register their handlers
    for handler in _death_handlers:
        handler(services, name, args, job_id, final, cause)
