"""Rank fusion: combine a keyword ranking and a vector ranking into one (hybrid search)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

RRF_K = 60


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[K]], *, k: int = RRF_K, weights: Sequence[float] | None = None
) -> list[tuple[K, float]]:
    """Items of all rankings, best first, scored by the weighted sum of 1/(k + rank) over the rankings they appear
    in (rank from 1), divided by the best score possible so an item first everywhere scores 1.0.

    Reciprocal rank needs no calibration between BM25 and cosine scores, which live on unrelated scales."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    best_possible = sum(weight / (k + 1) for weight in weights) or 1.0
    scores: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
    ordered = sorted(scores.items(), key=lambda pair: -pair[1])
    return [(item, score / best_possible) for item, score in ordered]


def relative_score_fusion(
    rankings: Sequence[Sequence[tuple[K, float]]], *, weights: Sequence[float] | None = None
) -> list[tuple[K, float]]:
    """Items of all rankings, best first, scored by the weighted sum of their min-max normalised scores (0 for a
    ranking an item is missing from), divided by the total weight so the result lies in 0..1.

    Unlike reciprocal rank, this keeps how far apart the scores are: a keyword match far ahead of the rest stays
    ahead even when the vector ranking disagrees. Weaviate's default hybrid fusion works the same way."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking is needed")
    total = sum(weights) or 1.0
    scores: dict[K, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        if not ranking:
            continue
        values = [score for _, score in ranking]
        low, high = min(values), max(values)
        for item, score in ranking:
            normalised = (score - low) / (high - low) if high > low else 1.0
            scores[item] = scores.get(item, 0.0) + weight * normalised
    ordered = sorted(scores.items(), key=lambda pair: -pair[1])
    return [(item, score / total) for item, score in ordered]
