"""Benchmark: one long script analysed by one RQ worker, then by two, sharing the batches.

    .venv/bin/python bench/workers.py [--scenes 200] [--call-seconds 2.0]

Needs Redis (CORTEXREEL_TEST_REDIS_URL, default redis://127.0.0.1:6379/15, which it flushes). The LLM is the
loopback OpenAI-compatible test server with a fixed delay per call, as a hosted model would have; embedding
uses the packaged MiniLM. Prints both wall times and the speed-up (target: two workers ≥ 1.6× faster).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402

from cortexreel.bootstrap import build_services  # noqa: E402
from cortexreel.config import load_settings  # noqa: E402
from cortexreel.services import scripts  # noqa: E402
from tests.builders import fountain_script  # noqa: E402
from tests.llm_server import running  # noqa: E402

TARGET_RATIO = 1.6


def run(workers: int, scenes: int, call_seconds: float, redis_url: str) -> float:
    """Wall time from upload to completed with `workers` RQ worker processes."""
    Redis.from_url(redis_url).flushdb()
    with tempfile.TemporaryDirectory() as data_dir, running(sleep=call_seconds) as llm:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "CORTEXREEL_DATA_DIR": data_dir,
            "CORTEXREEL_REDIS_URL": redis_url,
            "CORTEXREEL_QUEUES": "bench-workers",
            "CORTEXREEL_LLM_PROVIDER": "openai",
            "CORTEXREEL_LLM_BASE_URL": llm.base_url,
            "CORTEXREEL_LOG_LEVEL": "WARNING",
        }
        os.environ.update(env)
        services = build_services(load_settings())
        processes = [
            subprocess.Popen([sys.executable, str(ROOT / "worker.py")], cwd=ROOT, env=env, start_new_session=True)
            for _ in range(workers)
        ]
        try:
            started = time.perf_counter()
            script = scripts.ingest(services, fountain_script(scenes).encode(), "long.fountain")
            while not scripts.get_script(services, script.id).status.finished:
                time.sleep(0.1)
            elapsed = time.perf_counter() - started
            final = scripts.get_script(services, script.id)
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                process.wait(timeout=120)
    if final.status != "completed":
        raise SystemExit(f"the script did not complete: {final.error}")
    print(f"  {workers} worker(s): {elapsed:6.1f} s for {final.scene_count} scenes ({llm.calls} model calls)")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenes", type=int, default=200)
    parser.add_argument("--call-seconds", type=float, default=2.0)
    args = parser.parse_args()
    redis_url = os.environ.get("CORTEXREEL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    print(f"{args.scenes} scenes, every model call takes {args.call_seconds} s")
    one = run(1, args.scenes, args.call_seconds, redis_url)
    two = run(2, args.scenes, args.call_seconds, redis_url)
    ratio = one / two
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"speed-up with two workers: {ratio:.2f}x (target ≥ {TARGET_RATIO}x: {verdict})")


if __name__ == "__main__":
    main()
