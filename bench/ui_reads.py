"""Reads behind the Scenes and Insights pages on a 200-scene script in the embedded SQLite store.

Targets: the Scenes page's service calls (the filtered table, one scene with its history) p95 ≤ 50 ms; the
Insights rollups ≤ 200 ms. The baseline, measured in the same run, is the raw store read they build on.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cortexreel.bootstrap import build_services, tune_garbage_collector  # noqa: E402
from cortexreel.config import Settings  # noqa: E402
from cortexreel.domain.edits import FieldEdit  # noqa: E402
from cortexreel.domain.scenes import scene_id  # noqa: E402
from cortexreel.domain.users import LOCAL_USER  # noqa: E402
from cortexreel.services import insights, scenes, scripts  # noqa: E402
from cortexreel.services.insights import SceneFilter  # noqa: E402
from tests.builders import fountain_script  # noqa: E402

SCENES = 200
RUNS = 40


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def measure(name: str, call: Callable[[], object], runs: int = RUNS) -> float:
    call()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    value = p95(samples)
    print(f"{name:<48} median {statistics.median(samples):7.1f} ms   p95 {value:7.1f} ms")
    return value


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        tune_garbage_collector()  # as the app's get_services() does
        services = build_services(Settings(_env_file=None, data_dir=Path(folder)))
        user = LOCAL_USER
        started = time.perf_counter()
        script = scripts.ingest(services, fountain_script(SCENES, title="Bench").encode(), "bench.fountain")
        while not scripts.get_script(services, script.id).status.finished:
            time.sleep(0.05)
        print(f"ingested {SCENES} scenes in {time.perf_counter() - started:.1f} s")
        scene = scenes.scene_by_number(services, user, script.id, 100)
        for version in range(1, 6):  # a scene with some history
            scenes.edit_fields(
                services,
                user,
                scene.id,
                [FieldEdit("narrative.emotional_tone", "set", f"t{version}")],
                expected_version=version,
            )
        wanted = SceneFilter(settings=("EXT",), day_night=("night",), characters=("EDWARD",))

        print("baseline (raw store reads)")
        raw_list = measure("  documents.list_scenes", lambda: services.documents.list_scenes(script.id))
        measure(
            "  documents.get_scene + list_versions",
            lambda: (services.documents.get_scene(scene.id), services.documents.list_versions(scene.id)),
        )
        print("Scenes page")
        table = measure(
            "  list_scene_rows with filters", lambda: insights.list_scene_rows(services, user, script.id, wanted)
        )
        one = measure(
            "  get_scene + history",
            lambda: (
                scenes.get_scene(services, user, scene_id(script.id, 100)),
                scenes.history(services, user, scene.id),
            ),
        )
        print("Insights page")
        rollups = measure(
            "  script_insights (rollups rebuilt)", lambda: insights.script_insights(services, user, script.id), runs=20
        )
        print(f"overhead of the Scenes table over the raw read: {table - raw_list:+.1f} ms (p95)")
        ok = table <= 50 and one <= 50 and rollups <= 200
        print(
            f"targets: Scenes p95 ≤ 50 ms {'met' if table <= 50 and one <= 50 else 'MISSED'}; "
            f"Insights ≤ 200 ms {'met' if rollups <= 200 else 'MISSED'}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
