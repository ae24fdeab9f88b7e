"""Split a scene's text into chunks the embedding model can read whole, each starting with the scene heading.

all-MiniLM-L6-v2 reads at most 256 word pieces; 150 words plus a heading stays under that for screenplay text,
so nothing is silently cut off. Chunks break between lines (action blocks, dialogue), and the last line of a
chunk is repeated at the start of the next so a moment that straddles the break is still found.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_WORDS = 150
OVERLAP_MAX_WORDS = 40


@dataclass(frozen=True)
class Chunk:
    index: int
    text: str


def chunk_scene(heading: str, text: str, *, max_words: int = MAX_WORDS) -> list[Chunk]:
    """The chunks of a scene: `text` is the whole scene as stored (its first line may be the heading)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if heading and lines and lines[0] == heading.strip():
        lines = lines[1:]
    pieces = [piece for line in lines for piece in _split_long(line, max_words)]
    groups: list[list[str]] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        count = len(piece.split())
        if current and size + count > max_words:
            groups.append(current)
            carried = current[-1] if len(current[-1].split()) <= OVERLAP_MAX_WORDS else None
            current = [carried] if carried is not None and len(carried.split()) + count <= max_words else []
            size = sum(len(line.split()) for line in current)
        current.append(piece)
        size += count
    if current or not groups:
        groups.append(current)
    prefix = [heading.strip()] if heading.strip() else []
    return [Chunk(index=i, text="\n".join(prefix + group)) for i, group in enumerate(groups)]


def _split_long(line: str, max_words: int) -> list[str]:
    tokens = line.split()
    if len(tokens) <= max_words:
        return [line]
    return [" ".join(tokens[start : start + max_words]) for start in range(0, len(tokens), max_words)]


def chunk_id(scene_id: str, index: int) -> str:
    """Record ids are derived from (scene, chunk number), so re-indexing a scene replaces its records."""
    return f"{scene_id}#{index}"
