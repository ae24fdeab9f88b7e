"""Query terms, FTS expressions, stems and reciprocal rank fusion."""

from __future__ import annotations

import pytest

from cortexreel.search.chunking import chunk_id, chunk_scene
from cortexreel.search.ranking import reciprocal_rank_fusion
from cortexreel.search.text import fts_query, query_terms, stem


def test_query_terms_drop_stopwords_and_repeats() -> None:
    assert query_terms("The scene where Edward tells the WITCH story, the witch!") == [
        "edward",
        "tells",
        "witch",
        "story",
    ]
    assert query_terms("the a of") == []


def test_fts_query_quotes_terms_so_no_syntax_leaks() -> None:
    assert fts_query('car "chase" OR NEAR(x)') == '"car" OR "chase" OR "near"'
    assert fts_query("where is the") is None


def test_stem_joins_inflections() -> None:
    assert stem("chases") == stem("chased") == stem("chasing") == stem("chase")
    assert stem("Edward's") == "edward"
    assert stem("gun") == "gun"


def test_fusion_rewards_agreement_and_normalises() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "d"]])
    assert [item for item, _ in fused] == ["b", "a", "d", "c"]
    assert fused[0][1] < 1.0
    item, score = reciprocal_rank_fusion([["x"], ["x"]])[0]
    assert item == "x"
    assert score == pytest.approx(1.0)
    weighted = reciprocal_rank_fusion([["a"], ["b"]], weights=[1.0, 2.0])
    assert [item for item, _ in weighted] == ["b", "a"]
    with pytest.raises(ValueError, match="weight"):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


def test_short_scene_is_one_chunk_with_its_heading() -> None:
    chunks = chunk_scene("INT. DINER - NIGHT", "INT. DINER - NIGHT\nEdward sits alone.\nEDWARD\nHello.")
    assert [chunk.text for chunk in chunks] == ["INT. DINER - NIGHT\nEdward sits alone.\nEDWARD\nHello."]
    assert chunk_id("s-0001", 0) == "s-0001#0"


def test_long_scene_is_split_between_lines_with_heading_and_overlap() -> None:
    lines = [f"Line {i} " + "word " * 29 for i in range(20)]  # 20 lines of 31 words
    chunks = chunk_scene("EXT. RIVER - DAY", "EXT. RIVER - DAY\n" + "\n".join(lines), max_words=100)
    assert len(chunks) > 5
    assert all(chunk.text.startswith("EXT. RIVER - DAY\n") for chunk in chunks)
    bodies = [chunk.text.split("\n")[1:] for chunk in chunks]
    assert all(sum(len(line.split()) for line in body) <= 100 for body in bodies)
    assert bodies[1][0] == bodies[0][-1]  # the last line of a chunk opens the next
    covered = {line for body in bodies for line in body}
    assert covered == {line.strip() for line in lines}


def test_a_line_longer_than_a_chunk_is_cut_by_words() -> None:
    chunks = chunk_scene("INT. HALL - DAY", "word " * 250, max_words=100)
    assert [len(chunk.text.split("\n")[1].split()) for chunk in chunks] == [100, 100, 50]


def test_empty_scene_still_has_its_heading() -> None:
    assert [chunk.text for chunk in chunk_scene("INT. VOID - DAY", "")] == ["INT. VOID - DAY"]
