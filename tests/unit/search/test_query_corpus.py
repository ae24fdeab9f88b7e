"""The paraphrased search queries (tests/corpus/search/queries.json) hold together: bench/search_quality.py trusts
them, and a label the bench cannot place is silently left out of the figures."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "search" / "queries.json"


@pytest.fixture(scope="module")
def corpus() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return loaded


def test_queries_are_unique_and_split_into_two_halves(corpus: dict[str, Any]) -> None:
    queries = corpus["queries"]
    assert len(queries) >= 60
    assert len({query["id"] for query in queries}) == len(queries)
    assert len({query["query"].lower() for query in queries}) == len(queries)
    halves = Counter(query["half"] for query in queries)
    assert set(halves) == {"tuning", "held_out"}
    assert abs(halves["tuning"] - halves["held_out"]) <= len(queries) // 10


def test_every_answer_is_a_library_script_with_an_anchor(corpus: dict[str, Any]) -> None:
    library, anchors = corpus["library"], corpus["anchors"]
    for query in corpus["queries"]:
        assert query["relevant"], query["id"]
        for script, numbers in query["relevant"].items():
            assert script in library, (query["id"], script)
            assert numbers == sorted(set(numbers)), query["id"]
            for number in numbers:
                anchor = anchors[script][str(number)]
                assert anchor["heading"] or anchor["opening"], (query["id"], script, number)


def test_the_set_covers_six_real_scripts_and_both_halves_see_them(corpus: dict[str, Any]) -> None:
    real = {key for key, path in corpus["library"].items() if path.startswith("real/")}
    answered: dict[str, set[str]] = {"tuning": set(), "held_out": set()}
    for query in corpus["queries"]:
        answered[query["half"]].update(script for script in query["relevant"] if script in real)
    assert len(answered["tuning"]) >= 6
    assert answered["tuning"] == answered["held_out"]
    assert sum(len(query["relevant"]) > 1 for query in corpus["queries"]) >= 3  # some match several scripts
