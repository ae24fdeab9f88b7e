"""An RQ worker for CortexReel's background tasks: `python worker.py` (run as many as you like).

It listens on the queues named in CORTEXREEL_QUEUES at CORTEXREEL_REDIS_URL. On SIGTERM (docker stop,
systemd, Kubernetes) RQ finishes the job in hand and exits; a second signal stops at once, and the job is
retried by another worker because every task is idempotent. A worker that dies takes its work horse and
scheduler with it, and its job is taken up by another worker within a minute (cortexreel/adapters/rq_worker.py).
"""

from __future__ import annotations

import importlib
import logging
import socket
import sys
import uuid

from cortexreel.adapters.queue_rq import connect_redis
from cortexreel.adapters.rq_worker import build_worker, children_die_with_this_process
from cortexreel.bootstrap import report_task_death, tune_garbage_collector
from cortexreel.config import load_settings
from cortexreel.errors import CortexReelError
from cortexreel.task_registry import TASK_MODULES

log = logging.getLogger("cortexreel.worker")


def main(argv: list[str] | None = None) -> int:
    burst = "--burst" in (argv if argv is not None else sys.argv[1:])
    try:
        settings = load_settings()
    except CortexReelError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.redis_url is None:
        print(
            "error: the worker needs CORTEXREEL_REDIS_URL. Without it, the app runs its tasks itself "
            "(the embedded default) and no worker is needed.",
            file=sys.stderr,
        )
        return 2
    # Import the task modules up front so a broken one stops the worker at start, not in the middle of a job.
    for module in TASK_MODULES:
        importlib.import_module(module)
    connection = connect_redis(settings.redis_url.get_secret_value())
    name = f"cortexreel-{socket.gethostname()}-{uuid.uuid4().hex[:6]}"
    children_die_with_this_process()
    worker = build_worker(settings.queue_names, connection, name, on_death=report_task_death)
    log.info("Worker %s listening on %s", name, ", ".join(settings.queue_names))
    tune_garbage_collector()
    worker.work(burst=burst, with_scheduler=True, logging_level=settings.log_level)
    return 0


if __name__ == "__main__":
    sys.exit(main())
