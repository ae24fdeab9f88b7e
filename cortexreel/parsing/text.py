"""Plain screenplay text laid out with spaces (web archives, "save as text"): read by its indents."""

from __future__ import annotations

import re

from cortexreel.domain.screenplay import Element, Screenplay
from cortexreel.errors import ParseError
from cortexreel.parsing.builder import ScreenplayBuilder
from cortexreel.parsing.headings import LINES_PER_PAGE, SCENE_NUMBER_RE
from cortexreel.parsing.layout import (
    CONTINUED_RE,
    MORE_RE,
    PAGE_NUMBER_RE,
    LayoutReader,
    Page,
    Row,
    Segment,
    learn_columns,
)

_GAP_RE = re.compile(r"\S+(?: {1,2}\S+)*")
_INDENT_MIN = 6


def looks_like_layout_text(text: str) -> bool:
    """True when many lines are indented with spaces, as in a script saved as plain text."""
    lines = [line.expandtabs(8) for line in text.splitlines() if line.strip()]
    if not lines:
        return False
    indented = sum(1 for line in lines if len(line) - len(line.lstrip(" ")) >= _INDENT_MIN)
    return indented >= 5 and indented / len(lines) >= 0.25


def _segments(line: str) -> list[Segment]:
    """Split a line into pieces separated by three or more spaces (margin numbers, dual dialogue)."""
    return [Segment(float(m.start()), float(m.end()), m.group(0)) for m in _GAP_RE.finditer(line)]


def _strip_margins(row: Row, width: int) -> Row | None:
    segments = [s for s in row.segments if not re.fullmatch(r"\*+", s.text)]
    if not segments:
        return None
    label: str | None = None
    if len(segments) >= 2 and SCENE_NUMBER_RE.match(segments[0].text) and segments[0].x1 < width * 0.3:
        label = segments.pop(0).text.strip("*.")
    if len(segments) >= 2 and SCENE_NUMBER_RE.match(segments[-1].text) and segments[-1].x0 > width * 0.6:
        right = segments.pop().text.strip("*.")
        label = label or right
    row.segments = segments
    row.label = label
    return row


def _pages(text: str) -> list[Page]:
    """Split into pages at form feeds and printed page numbers; drop page furniture."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = [line.expandtabs(8).rstrip() for line in normalised.split("\n")]
    width = max((len(line) for line in raw_lines), default=80)
    pages: list[Page] = [Page(1)]
    y = 0
    for raw in raw_lines:
        chunks = raw.split("\f")
        for chunk_index, chunk in enumerate(chunks):
            if chunk_index > 0 and pages[-1].rows:
                pages.append(Page(len(pages) + 1))
                y = 0
            stripped = chunk.strip()
            y += 1
            if not stripped:
                continue
            indent = len(chunk) - len(chunk.lstrip())
            if PAGE_NUMBER_RE.match(stripped) and (indent > width * 0.5 or not pages[-1].rows):
                if pages[-1].rows and indent > width * 0.5:
                    pages.append(Page(len(pages) + 1))
                    y = 0
                continue
            if CONTINUED_RE.match(stripped):
                continue
            if MORE_RE.match(stripped):
                pages[-1].more = True
                continue
            row = _strip_margins(Row(len(pages), float(y), _segments(chunk)), width)
            if row is not None and row.segments:
                pages[-1].rows.append(row)
    pages = [page for page in pages if page.rows]
    if len(pages) == 1:  # no printed page breaks: estimate them from the line count
        for row in pages[0].rows:
            row.page = 1 + int(row.y // LINES_PER_PAGE)
    return pages


def parse_text(data: bytes | str, *, allow_unstructured: bool = False) -> Screenplay:
    """Parse a screenplay laid out with spaces; pages come from page numbers or form feeds if printed."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    pages = _pages(text)
    if not pages:
        raise ParseError("This file contains no text.")
    columns = learn_columns(pages, 1.0, 1.0)
    builder = ScreenplayBuilder("text")
    reader = LayoutReader(pages, columns, builder)
    reader.read()
    if reader.headings == 0:
        if not allow_unstructured:
            raise ParseError(
                "No scene headings (like \"INT. KITCHEN - DAY\") were found, so this text does not look "
                "like a screenplay."
            )
        builder = ScreenplayBuilder("text")
        builder.add(Element(type="action", text=text.strip()), page=1, lines=len(text.splitlines()))
    page_count = max(row.page for page in pages for row in page.rows)
    return builder.build(title=None, title_page={}, pages=page_count)
