"""Snippets pick the passage holding the query's words and mark them."""

from __future__ import annotations

from cortexreel.search.snippets import Snippet, make_snippet


def test_window_with_most_distinct_terms_is_chosen_and_marked() -> None:
    text = " ".join(["filler"] * 60) + " The car chases the truck. " + " ".join(["filler"] * 60) + " car again"
    snippet = make_snippet(text, ["car", "chase"], window=12)
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert "**car** **chases**" in snippet.marked()
    assert [snippet.text[start:end] for start, end in snippet.highlights] == ["car", "chases"]


def test_no_match_gives_the_beginning() -> None:
    snippet = make_snippet("Edward walks\ninto the river. " + "more " * 50, ["helicopter"], window=5)
    assert snippet.text == "Edward walks into the river…"
    assert snippet.highlights == []


def test_marked_can_escape_markdown() -> None:
    snippet = Snippet("a *gun* [x] gun", [(12, 15)])
    assert snippet.marked(escape=True) == "a \\*gun\\* \\[x\\] **gun**"
    assert snippet.marked("<b>", "</b>") == "a *gun* [x] <b>gun</b>"


def test_empty_text() -> None:
    assert make_snippet("", ["x"]) == Snippet("")
