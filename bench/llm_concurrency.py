"""How long the LLM analyser takes for a script when every model call takes 2 s, at the default concurrency.

Starts the loopback OpenAI-compatible server (tests/llm_server.py) with a fixed sleep per call, analyses N distinct
scenes through the real openai client, and prints the wall time and the speed-up over sequential calls. The
sequential time is measured on a small sample and extrapolated (running 150 × 2 s one by one would take 5 min).

    .venv/bin/python bench/llm_concurrency.py                  # 150 scenes, 2 s per call, default concurrency
    .venv/bin/python bench/llm_concurrency.py --concurrency 16
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cortexreel.analysis.llm import LlmAnalyzer  # noqa: E402 - after the path set-up above
from cortexreel.config import Settings  # noqa: E402
from cortexreel.domain.scenes import Scene  # noqa: E402
from cortexreel.domain.screenplay import Element  # noqa: E402
from tests.llm_server import LlmServer, running  # noqa: E402

TARGET_SECONDS = 30.0


def make_scenes(count: int) -> list[Scene]:
    """Distinct scenes (so nothing is served from a cache) with one speaker each."""
    scenes = []
    for number in range(1, count + 1):
        heading = f"INT. ROOM {number} - NIGHT"
        line = f"Scene {number}: the lights flicker."
        scenes.append(
            Scene(
                id=f"bench-{number:04d}",
                script_id="bench",
                number=number,
                heading=heading,
                setting="INT",
                location=f"ROOM {number}",
                time_of_day="NIGHT",
                elements=[
                    Element(type="action", text=line),
                    Element(type="character", text="ANNA", character="ANNA"),
                    Element(type="dialogue", text="Who's there?", character="ANNA"),
                ],
                text=f"{heading}\n{line}\nANNA\nWho's there?",
            )
        )
    return scenes


def analyse(server: LlmServer, data_dir: Path, scenes: list[Scene], concurrency: int) -> float:
    """Wall time to analyse `scenes`; fails loudly if any scene fell back to the offline analysis."""
    settings = Settings(
        _env_file=None,
        data_dir=data_dir,
        llm_provider="openai",
        llm_base_url=server.base_url,
        llm_model="bench-model",
        llm_concurrency=concurrency,
    )
    analyzer = LlmAnalyzer(settings, cache=None, timeout_seconds=60.0)
    started = time.perf_counter()
    results = analyzer.analyze_many(scenes)
    elapsed = time.perf_counter() - started
    failed = [result for result in results if result.analysis.warnings]
    if failed:
        raise SystemExit(f"{len(failed)} scenes fell back to the offline analysis: {failed[0].analysis.warnings}")
    return elapsed


def main() -> None:
    default_concurrency = Settings.model_fields["llm_concurrency"].default
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scenes", type=int, default=150)
    parser.add_argument("--delay", type=float, default=2.0, help="seconds every model call takes")
    parser.add_argument("--concurrency", type=int, default=default_concurrency)
    parser.add_argument("--sample", type=int, default=5, help="scenes analysed one by one to extrapolate from")
    args = parser.parse_args()

    scenes = make_scenes(args.scenes)
    with tempfile.TemporaryDirectory() as folder, running(sleep=args.delay) as server:
        data_dir = Path(folder)
        sample_time = analyse(server, data_dir, scenes[: args.sample], 1)
        sequential = sample_time / args.sample * args.scenes
        server.max_in_flight = 0
        wall = analyse(server, data_dir, scenes, args.concurrency)
        in_flight = server.max_in_flight

    waves = math.ceil(args.scenes / args.concurrency)
    needed = math.ceil(args.scenes / math.floor(TARGET_SECONDS / args.delay))
    print(f"scenes: {args.scenes}, every call sleeps {args.delay:.1f} s, concurrency {args.concurrency}", end="")
    print(" (the Settings default)" if args.concurrency == default_concurrency else "")
    print(f"sequential: {sample_time:.2f} s for {args.sample} scenes one by one, extrapolated to {sequential:.1f} s")
    print(f"concurrent: {wall:.2f} s wall time, at most {in_flight} calls in flight ({waves} waves of calls)")
    print(f"speed-up over sequential: {sequential / wall:.1f}x")
    verdict = "within" if wall <= TARGET_SECONDS else "OVER"
    print(
        f"target {TARGET_SECONDS:.0f} s: {verdict}; {args.scenes} scenes at {args.delay:.1f} s need {needed}+ in flight"
    )


if __name__ == "__main__":
    main()
