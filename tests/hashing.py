"""Bag-of-words vectors by hashing: the test embedder's and the loopback server's embeddings. No model to load."""

from __future__ import annotations

import hashlib
import math
import re


def hashed_words(text: str, dimension: int) -> list[float]:
    """Each word counted in a bucket chosen by its hash, scaled to unit length, so texts sharing words are close.
    A text without words gets the vector of the empty word, so every text has a unit vector."""
    vector = [0.0] * dimension
    for word in re.findall(r"\w+", text.lower()) or [""]:
        bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
        vector[bucket % dimension] += 1.0
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector]
