"""The packaged MiniLM model loads offline and embeds meaningfully."""

from __future__ import annotations

import math

from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True)) / (math.hypot(*a) * math.hypot(*b))


def test_similar_texts_are_closer_than_unrelated_ones() -> None:
    embedder = LocalMiniLmEmbedder()
    chase, race, recipe = embedder.embed_documents(
        [
            "A car chase through the city at night, tyres screeching.",
            "Two cars race down the highway after dark, police sirens wailing.",
            "She whisks eggs and flour into a smooth batter for pancakes.",
        ]
    )
    assert len(chase) == embedder.dimension == 384
    assert cosine(chase, race) > cosine(chase, recipe) + 0.2
    assert embedder.embed_query("car chase") != embedder.embed_query("pancakes")
    assert embedder.embed_documents([]) == []
