"""Benchmark: a 120-page script ingested end to end on the embedded defaults.

    .venv/bin/python bench/ingest.py [FILE]

Uses ../shared/fixtures/screenplays/Big-Fish.pdf when present (else a generated 120-page Fountain script),
the offline analyser, the packaged MiniLM embedder and embedded stores in a temporary data folder. Prints the
per-stage times and compares the total with the 15 s target and with a parse-only baseline in the same run.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cortexreel.adapters.queue_inline import InlineTaskQueue  # noqa: E402
from cortexreel.bootstrap import build_services  # noqa: E402
from cortexreel.config import load_settings  # noqa: E402
from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.services import scripts  # noqa: E402
from tests.builders import fountain_script  # noqa: E402

TARGET_SECONDS = 15.0
FIXTURE = ROOT.parent / "shared" / "fixtures" / "screenplays" / "Big-Fish.pdf"


def choose_input() -> tuple[str, bytes]:
    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
        return path.name, path.read_bytes()
    if FIXTURE.exists():
        return FIXTURE.name, FIXTURE.read_bytes()
    print(f"{FIXTURE} is absent: using a generated 120-page Fountain script instead")
    return "generated.fountain", fountain_script(220).encode()


def main() -> None:
    name, data = choose_input()
    started = time.perf_counter()
    screenplay = parse_screenplay(data, name)
    parse_only = time.perf_counter() - started
    print(f"input: {name}, {len(data) / 1024:.0f} KiB, {screenplay.pages} pages, {len(screenplay.scenes)} scenes")

    with tempfile.TemporaryDirectory() as data_dir:
        services = build_services(load_settings(data_dir=Path(data_dir)))
        queue = services.queue
        assert isinstance(queue, InlineTaskQueue)
        started = time.perf_counter()
        script = scripts.ingest(services, data, name)
        if not queue.drain(timeout=600):
            raise SystemExit("ingest did not finish within 10 minutes")
        total = time.perf_counter() - started
        final = scripts.get_script(services, script.id)
        queue.shutdown()

    print(f"status: {final.status.value}, scenes analysed: {final.progress.done}/{final.progress.total}")
    for stage in ("parse_seconds", "analyse_seconds", "index_seconds"):
        print(f"  {stage:<16} {final.timings.get(stage, float('nan')):8.2f} s")
    verdict = "PASS" if total < TARGET_SECONDS else "FAIL"
    print(f"  {'total (wall)':<16} {total:8.2f} s   target < {TARGET_SECONDS:.0f} s: {verdict}")
    print(f"baseline: parsing alone took {parse_only:.2f} s; the full ingest is {total / parse_only:.1f}x that")


if __name__ == "__main__":
    main()
