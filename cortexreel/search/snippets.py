"""Snippets: the passage of a scene that best shows why it matched, with the matching words marked."""

from __future__ import annotations

from dataclasses import dataclass, field

from cortexreel.markup import escape_markdown
from cortexreel.search.text import WORD, stem

WINDOW_WORDS = 36


@dataclass(frozen=True)
class Snippet:
    """`text` is a plain excerpt; `highlights` are (start, end) character spans in it of words that matched."""

    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def marked(self, before: str = "**", after: str = "**", escape: bool = False) -> str:
        """The text with every highlight wrapped in `before`/`after`; with `escape`, Markdown characters in the
        rest of the text are escaped so the marks are the only formatting."""
        out: list[str] = []
        position = 0
        for start, end in self.highlights:
            out.append(_escaped(self.text[position:start], escape))
            out.append(before + _escaped(self.text[start:end], escape) + after)
            position = end
        out.append(_escaped(self.text[position:], escape))
        return "".join(out)


def make_snippet(text: str, terms: list[str], *, window: int = WINDOW_WORDS) -> Snippet:
    """The `window` words of `text` holding the most distinct query terms (ties: the earliest), with each
    matching word highlighted. With no term in the text, its beginning."""
    flat = " ".join(text.split())
    tokens = [(m.start(), m.end(), stem(m.group(0))) for m in WORD.finditer(flat)]
    if not tokens:
        return Snippet(flat)
    wanted = {stem(term) for term in terms}
    hits = [i for i, (_, _, token_stem) in enumerate(tokens) if token_stem in wanted]
    first = 0
    if hits:
        best = (-1, -1)
        for start_hit in hits:
            inside = {tokens[i][2] for i in hits if start_hit <= i < start_hit + window}
            score = (len(inside), sum(1 for i in hits if start_hit <= i < start_hit + window))
            if score > best:
                best, first = score, start_hit
        # A few words of context before the first match reads better than starting on it.
        first = max(0, min(first - 4, len(tokens) - window))
    last = min(len(tokens), first + window) - 1
    start_char = tokens[first][0]
    end_char = tokens[last][1]
    prefix = "…" if first > 0 else ""
    suffix = "…" if last < len(tokens) - 1 else ""
    excerpt = prefix + flat[start_char:end_char] + suffix
    offset = len(prefix) - start_char
    highlights = [(tokens[i][0] + offset, tokens[i][1] + offset) for i in hits if first <= i <= last]
    return Snippet(excerpt, highlights)




def _escaped(text: str, escape: bool) -> str:
    if not escape:
        return text
    return escape_markdown(text)
