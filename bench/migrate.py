"""Benchmark: migrating and backing up a large library.

    .venv/bin/python bench/migrate.py [--scripts 50] [--scenes 150] [--versions 3]

Builds a library of 50 scripts × 150 scenes with 3 versions each directly through the DocumentStore (plus one
original file per script and a few cache entries), then times:
- the baseline: reading every document through the store (the least a copy must do), and a raw SQL read;
- `migrate` SQLite → a second SQLite data dir (target ≥ 2,000 scenes/s, re-embedding excluded), and SQLite →
  the MongoDB wire server `nx-27017` when it can be started (a slow test stand-in: a one-script library,
  reported for information);
- `backup` to one zip and `restore` into an empty library (target ≤ 30 s together, re-embedding excluded).
"""

from __future__ import annotations

import argparse
import io
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cortexreel.bootstrap import build_services  # noqa: E402
from cortexreel.config import Settings  # noqa: E402
from cortexreel.container import Services  # noqa: E402
from cortexreel.domain.analysis import (  # noqa: E402
    Breakdown,
    CharacterAnalysis,
    Emotions,
    Hazard,
    LocationAnalysis,
    Narrative,
    Prop,
    Safety,
    SceneAnalysis,
    Technical,
)
from cortexreel.domain.scenes import PageSpan, Scene, SceneVersion, VersionSource, scene_id  # noqa: E402
from cortexreel.domain.screenplay import Element  # noqa: E402
from cortexreel.domain.scripts import Script, ScriptStatus  # noqa: E402
from cortexreel.migration.archive import backup, restore  # noqa: E402
from cortexreel.migration.library import sorted_scripts  # noqa: E402
from cortexreel.migration.move import migrate  # noqa: E402
from tests.fakes import HashingEmbedder, SynchronousTaskQueue  # noqa: E402

TARGET_SCENES_PER_SECOND = 2000
TARGET_BACKUP_RESTORE_SECONDS = 30.0
BASE = datetime(2026, 1, 1, tzinfo=UTC)
CAST = ["EDWARD", "WILL", "SANDRA", "JOSEPHINE", "KARL", "AMOS"]


def services_in(data_dir: Path, mongodb_uri: str | None = None) -> Services:
    settings = Settings(_env_file=None, data_dir=data_dir, mongodb_uri=mongodb_uri)
    return build_services(
        settings,
        queue=SynchronousTaskQueue,
        embedder=HashingEmbedder(),
    )


def analysis(number: int, version: int) -> SceneAnalysis:
    """A filled-in analysis, about the size the offline analyser writes."""
    first, second = CAST[number % len(CAST)], CAST[(number + 1) % len(CAST)]
    return SceneAnalysis(
        technical=Technical(shot_types=["wide", "close-up"], lighting=["practical lamps", "moonlight"],
                            sound_design=["rain on windows"]),
        narrative=Narrative(synopsis=f"{first} confronts {second} about the river (take {version}).",
                            emotional_tone=["tense", "warm", "sad"][version % 3], pacing="moderate",
                            conflict_level=number % 11, themes=["family", "memory"],
                            emotions=Emotions(tension=number % 10, sadness=3, hope=version, fear=2)),
        characters=[CharacterAnalysis(name=name, actions=["argues", "leaves"], dialogue_lines=4,
                                      emotions=["anger"]) for name in (first, second)],
        location=LocationAnalysis(setting="INT", location="DINER", time_of_day="NIGHT", props=["coffee pot"]),
        safety=Safety(risk_level="MEDIUM", reasons=["wet floor"],
                      hazards=[Hazard(category="water", description="Wet floor from the rain", level="MEDIUM",
                                      mitigation="Mats and a safety walk-through before the take.")],
                      required_equipment=["mats"], personnel=["set medic"]),
        breakdown=Breakdown(cast=[first, second], extras=["diner patrons"],
                            props=[Prop(name="coffee pot"), Prop(name="revolver", importance="hero")],
                            vehicles=["pickup truck"], wardrobe=["wet raincoat"], sfx=["rain"]),
        estimated_screen_time_seconds=90,
        complexity="medium",
    )


def build_library(services: Services, scripts: int, scenes: int, versions: int) -> None:
    """The library, written through the DocumentStore port."""
    documents = services.documents
    for index in range(scripts):
        blob = services.blobs.put(io.BytesIO(f"Script {index}\n".encode() * 1500))
        script = Script(
            id=f"script-{index:03d}", owner=["ann", "bob"][index % 2], title=f"Script {index}",
            filename=f"script-{index}.fountain", format="fountain", blob_key=blob.key, sha256=blob.sha256,
            size_bytes=blob.size, page_count=scenes // 2, scene_count=scenes, status=ScriptStatus.COMPLETED,
            created_at=BASE + timedelta(minutes=index), updated_at=BASE + timedelta(minutes=index),
        )
        built: list[Scene] = []
        history: list[SceneVersion] = []
        for number in range(1, scenes + 1):
            first, second = CAST[number % len(CAST)], CAST[(number + 1) % len(CAST)]
            elements = [
                Element(type="action", text=f"Rain hammers the windows. {first.title()} lights a candle."),
                Element(type="character", text=first, character=first),
                Element(type="dialogue", text="I never told you about the witch, did I?", character=first),
                Element(type="character", text=second, character=second),
                Element(type="dialogue", text="You told me a hundred times.", character=second),
            ]
            sid = scene_id(script.id, number)
            for version in range(1, versions + 1):
                history.append(SceneVersion(
                    scene_id=sid, script_id=script.id, version=version, analysis=analysis(number, version),
                    author="ann", source=VersionSource.FORM if version > 1 else VersionSource.ANALYSIS,
                    created_at=BASE + timedelta(seconds=number * 10 + version),
                ))
            built.append(Scene(
                id=sid, script_id=script.id, number=number, heading="INT. DINER - NIGHT", setting="INT",
                location="DINER", time_of_day="NIGHT", pages=PageSpan(start=number, end=number, eighths=6),
                elements=elements, text="\n".join(element.text for element in elements),
                analysis=history[-1].analysis, version=versions, updated_by="ann",
                updated_at=history[-1].created_at,
            ))
        documents.import_scenes(built)
        documents.import_versions(history)
        documents.add_script(script)
        services.records.put_record("token-usage", f"{script.id}-1", {"input_tokens": 0, "output_tokens": 0})
    services.records.put_record("settings", "current", {"values": {}})


def read_everything(services: Services) -> int:
    """Baseline: every document read and parsed through the store, as a copy must."""
    count = 0
    for script in sorted_scripts(services.documents):
        count += len(services.documents.list_scenes(script.id))
        count += sum(1 for _ in services.documents.iter_versions(script.id))
        count += len(services.documents.list_script_chats(script.id))
    return count


def raw_read(path: Path) -> int:
    """Baseline: the JSON text of every scene and version straight from SQLite, nothing parsed."""
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT doc FROM scenes UNION ALL SELECT doc FROM scene_versions").fetchall()
    return len(rows)


def start_mongo_wire(data_dir: Path) -> tuple[subprocess.Popen[bytes], str] | None:
    executable = shutil.which("nx-27017") or str(Path(sys.executable).parent / "nx-27017")
    if not Path(executable).exists():
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    process = subprocess.Popen(
        [executable, "--data-dir", str(data_dir), "--host", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"mongodb://127.0.0.1:{port}/"
        time.sleep(0.05)
    process.terminate()
    return None


def timed_migrate(source: Services, target: Services, scenes: int, label: str) -> float:
    report = migrate(source, target, reindex=False)
    assert report.ok, "\n".join(report.lines())
    copy, verify = report.seconds["copy"], report.seconds["verify"]
    rate = scenes / copy
    print(f"migrate {label}: copy {copy:.2f} s = {rate:,.0f} scenes/s; verification (counts + checksums of both "
          f"sides) {verify:.2f} s; copy + verify {scenes / (copy + verify):,.0f} scenes/s")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scripts", type=int, default=50)
    parser.add_argument("--scenes", type=int, default=150)
    parser.add_argument("--versions", type=int, default=3)
    parser.add_argument("--mongo-scripts", type=int, default=1, help="library size for the MongoDB wire server run")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    total_scenes = args.scripts * args.scenes
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = services_in(root / "source")
        started = time.perf_counter()
        build_library(source, args.scripts, args.scenes, args.versions)
        print(f"library: {args.scripts} scripts × {args.scenes} scenes × {args.versions} versions = "
              f"{total_scenes:,} scenes, {total_scenes * args.versions:,} versions "
              f"(built in {time.perf_counter() - started:.1f} s)")

        started = time.perf_counter()
        raw = raw_read(root / "source" / "cortexreel.sqlite3")
        raw_seconds = time.perf_counter() - started
        started = time.perf_counter()
        documents = read_everything(source)
        read_seconds = time.perf_counter() - started
        print(f"baseline: raw SQL read of {raw:,} scene and version rows {raw_seconds:.2f} s; "
              f"read + parse of {documents:,} documents through the store {read_seconds:.2f} s "
              f"= {total_scenes / read_seconds:,.0f} scenes/s")

        rate = timed_migrate(source, services_in(root / "copy"), total_scenes, "SQLite → SQLite")

        mongo = start_mongo_wire(root / "mongo")
        if mongo is None:
            print("migrate SQLite → MongoDB wire server: skipped (nx-27017 is not installed or did not start)")
        else:
            # nx-27017 is a Python test stand-in over SQLite, far slower than MongoDB: a small library only.
            process, uri = mongo
            try:
                small = services_in(root / "small")
                build_library(small, args.mongo_scripts, args.scenes, args.versions)
                timed_migrate(small, services_in(root / "mongo-target", mongodb_uri=uri),
                              args.mongo_scripts * args.scenes,
                              f"SQLite → MongoDB wire server (nx-27017), {args.mongo_scripts} scripts")
            finally:
                process.terminate()
                process.wait(timeout=10)

        archive = root / "library.zip"
        started = time.perf_counter()
        made = backup(source, archive)
        backup_seconds = time.perf_counter() - started
        started = time.perf_counter()
        restored = restore(services_in(root / "restored"), archive, reindex=False)
        restore_seconds = time.perf_counter() - started
        assert restored.ok, "\n".join(restored.lines())
        both = backup_seconds + restore_seconds
        print(f"backup: {backup_seconds:.2f} s, {made.size_bytes / 1e6:.1f} MB archive; restore (checksums checked "
              f"first, verified after): {restore_seconds:.2f} s; together {both:.2f} s")

    print(f"target ≥ {TARGET_SCENES_PER_SECOND:,} scenes/s: {'met' if rate >= TARGET_SCENES_PER_SECOND else 'MISSED'}"
          f"; target backup + restore ≤ {TARGET_BACKUP_RESTORE_SECONDS:.0f} s: "
          f"{'met' if both <= TARGET_BACKUP_RESTORE_SECONDS else 'MISSED'}")
    return 0 if rate >= TARGET_SCENES_PER_SECOND and both <= TARGET_BACKUP_RESTORE_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
