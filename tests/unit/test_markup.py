"""Escaping untrusted text for Markdown: every construct that could fetch or link is made literal."""

from __future__ import annotations

import pytest

from cortexreel.markup import escape_markdown, escape_markdown_block


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![x](http://h/a.png)", "\\!\\[x\\]\\(http\\:\u200b\\/\\/h\\/a\\.png\\)"),
        ("see www.h.com", "see www\u200b\\.h\\.com"),
        ("mail a@h.com", "mail a\\@\u200bh\\.com"),
        ("<img src=x>", r"\<img src\=x\>"),
        (":red[hi] $x$", r"\:red\[hi\] \$x\$"),
        ("the **car** ", r"the \*\*car\*\* "),
        ("Łódź — żółw", "Łódź — żółw"),
        ("two\nlines", "two lines"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


def test_escape_markdown_block_keeps_lines() -> None:
    assert escape_markdown_block("# one\n- two") == "\\# one  \n\\- two"
