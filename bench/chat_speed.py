"""Benchmark: offline chat on a 200-scene script with the embedded defaults.

    .venv/bin/python bench/chat.py [--runs 60]

An edit is parsed, validated, applied as a new version and the scene re-embedded (packaged MiniLM); a question is
answered from the analyses. Prints p50/p95 of each against the targets (edit p95 ≤ 100 ms, question p95 ≤ 200 ms)
and, as a baseline from the same run, the bare compare-and-set write of a version.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cortexreel.adapters.queue_inline import InlineTaskQueue  # noqa: E402
from cortexreel.bootstrap import build_services  # noqa: E402
from cortexreel.config import load_settings  # noqa: E402
from cortexreel.domain.scenes import VersionSource, next_version  # noqa: E402
from cortexreel.services import chat, scripts  # noqa: E402
from tests.builders import fountain_script  # noqa: E402

SCENES = 200
EDIT_TARGET_MS = 100.0
QUESTION_TARGET_MS = 200.0
QUESTIONS = [
    "which scenes need a stunt coordinator?",
    "how many night exteriors are there?",
    "who is in the most scenes?",
    "what is the risk level of scene 42?",
    "ile jest nocnych plenerów?",
]


def timed(action: Callable[[int], object], runs: int) -> list[float]:
    samples = []
    for run in range(runs):
        started = time.perf_counter()
        action(run)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def report(label: str, samples: list[float], target: float | None = None) -> None:
    p50 = statistics.median(samples)
    p95 = statistics.quantiles(samples, n=20)[18]
    verdict = "" if target is None else f"  target p95 ≤ {target:.0f} ms: {'PASS' if p95 <= target else 'FAIL'}"
    print(f"  {label:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        services = build_services(load_settings(data_dir=Path(data_dir)))
        queue = services.queue
        assert isinstance(queue, InlineTaskQueue)
        script = scripts.ingest(services, fountain_script(SCENES).encode(), "long.fountain")
        queue.drain(timeout=600)
        services.embedder.embed_query("warm up the model")
        print(f"{SCENES}-scene script, offline analyser, embedded stores, {args.runs} runs each")

        scene_ids = [scene.id for scene in services.documents.list_scenes(script.id)]

        def bare_write(run: int) -> None:
            scene = services.documents.get_scene(scene_ids[run % SCENES])
            assert scene is not None and scene.analysis is not None
            analysis = scene.analysis.model_copy(deep=True)
            analysis.narrative.synopsis = f"baseline {run}"
            services.documents.write_analysis(next_version(scene, analysis, author="bench", source=VersionSource.FORM))

        def edit(run: int) -> None:
            number = run % SCENES + 1
            # The tone is in the scene's search records, so the edit re-indexes the scene (a weather edit does not).
            message = f"set the emotional tone of scene {number} to uneasy {run}"
            reply = chat.send(services, "local", script.id, message, apply=True)
            assert reply.applied, reply.reply

        def question(run: int) -> None:
            chat.send(services, "local", script.id, QUESTIONS[run % len(QUESTIONS)])

        report("baseline: bare versioned write", timed(bare_write, args.runs))
        report("chat edit (parse→apply→re-embed)", timed(edit, args.runs), EDIT_TARGET_MS)
        report("chat question", timed(question, args.runs), QUESTION_TARGET_MS)
        queue.shutdown()


if __name__ == "__main__":
    main()
