"""Throughput of the packaged MiniLM embedder on real scene texts (the shared fixture screenplays).

Every scene is chunked as the index chunks it (heading kept, at most 150 words a chunk) and embedded once, with
no cache. Prints scenes/s and chunks/s. Reads ../shared/fixtures/screenplays relative to the repo root.
Usage: python bench/embedding_speed.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder  # noqa: E402
from cortexreel.domain.scenes import Scene, scene_from_parse  # noqa: E402
from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.search.records import scene_chunks  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "screenplays"


def main() -> int:
    if not FIXTURES.is_dir():
        print(
            f"The shared fixtures are not at {FIXTURES} (expected ../shared/fixtures/screenplays from the repo root)."
        )
        return 1
    scenes: list[Scene] = []
    for path in sorted(FIXTURES.glob("*.fountain")):
        screenplay = parse_screenplay(path.read_bytes(), path.name)
        scenes.extend(scene_from_parse(path.stem, parsed) for parsed in screenplay.scenes)
    chunks = [chunk.text for scene in scenes for chunk in scene_chunks(scene)]
    words = sum(len(text.split()) for text in chunks)
    embedder = LocalMiniLmEmbedder()
    started = time.perf_counter()
    embedder.embed_query("warm up")
    load = time.perf_counter() - started
    started = time.perf_counter()
    embedder.embed_documents(chunks)
    seconds = time.perf_counter() - started
    print(f"model load {load:.2f} s")
    print(f"{len(scenes)} scenes, {len(chunks)} chunks, {words / len(chunks):.0f} words a chunk on average")
    print(f"{len(scenes) / seconds:.1f} scenes/s, {len(chunks) / seconds:.1f} chunks/s ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
