"""Screenplay PDFs read by layout with PyMuPDF: positions of text, not the order a program wrote it in.

The clean-up removes what production drafts print around the script (scene numbers in the margins or
glued to their line, page numbers, running headers, (MORE) / (CONT'D), CONTINUED and OMITTED lines, revision
asterisks, watermarks, text printed twice) in two passes around learning the action margin, before `layout`
learns the other indents and rebuilds the scenes. docs/parsing.md describes the rules.

A PDF without a text layer (a scan) is read through PyMuPDF's built-in Tesseract OCR when Tesseract's
English data is installed (`find_tessdata`), and refused with a message saying what to install when not.
Speed: each page's "dict" is turned into slim spans at once ("rawdict" costs twice as much, "words" loses
the font size), images are not extracted, and the costly line tests run only on the few lines that need them.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

from cortexreel.domain.screenplay import Element, Screenplay
from cortexreel.errors import FileTooLargeError, InvalidInputError, ParseError, ScannedPdfError
from cortexreel.parsing.builder import PageNumbering, ScreenplayBuilder, consistent_page_numbers
from cortexreel.parsing.headings import SCENE_NUMBER, SCENE_NUMBER_RE, is_character_cue, parse_heading
from cortexreel.parsing.layout import (
    CONTINUED_RE,
    MORE_RE,
    PAGE_NUMBER_RE,
    LayoutReader,
    Page,
    Row,
    Segment,
    align_pages,
    learn_columns,
    text_column,
)

_DRAFT_HEADER_RE = re.compile(
    r"^(?:(?:double\s+|triple\s+)?(?:white|blue|pink|yellow|green|goldenrod|buff|salmon|cherry|tan|gray|grey)"
    r"\s+(?:rev(?:ision|ised|\.)?|draft|pages?)\b|.*\b(?:rev(?:ision|ised)?\.?|draft)\b.*\d{1,2}[/.-]\d{1,2}"
    r"[/.-]\d{2,4})",
    re.IGNORECASE,
)
_ASTERISKS_RE = re.compile(r"^\*+$")
_SPECK_RE = re.compile(r"^[^\w(]{1,2}$")
_PAGE_LABEL_RE = re.compile(
    r"^(?:(?:page|pg\.?|p\.|str\.?|s\.)\s*)?[-\u2013(]?\s*(?P<number>\d{1,4}[A-Z]{0,2})\s*[-\u2013)]?\.?"
    r"(?:\s*(?:of|/|z)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_HEADER_PAGE_RE = re.compile(r"(?:\s{2,}|\bpg\.?\s*|\bpage\s+)(?P<number>\d{1,4}[A-Z]{0,2})\.?$", re.IGNORECASE)
_GLUED = rf"\*?{SCENE_NUMBER}\.?\*?"
_GLUED_LEADING_RE = re.compile(rf"^({_GLUED})(\s+)(\S.*)$")
_GLUED_TRAILING_RE = re.compile(rf"^(.*\S)(\s{{2,}})({_GLUED})$")
_OMITTED_RE = re.compile(
    r"^(?:scenes?\s+)?(?:OMITTED|OMIT|OMIS|OMISE|SUPPRIM[EÉ]E?|POMINI[EĘ]T[AY]|SKRE[SŚ]LON[AY]|ENTF[AÄ]LLT)"
    r"(?:\s+.*)?$",
    re.IGNORECASE,
)
_NUMBER_PARTS_RE = re.compile(r"^[A-Z]?(\d{1,4})([A-Z]*)")
# What is left of "18 OMITTED / thru / 23" ranges once the numbers are taken out.
_RANGE_RE = re.compile(r"^(?:thru|through|to|-)(?:\s+(?:thru|through|to|-))?$", re.IGNORECASE)
# A line holding only a sub-scene marker or scene number: "(19A)", "27.", "A", "SCENA 12" (not a year: "(1998)").
_MARKER_RE = re.compile(
    rf"^(?:\(\s*(?:\d{{1,3}}[A-Z]{{0,2}}|[A-Z]\d{{1,3}}[A-Z]?)\s*\)|(?:SCENA|SCENE|SC[EÈ]NE|SZENE|ESCENA)\s+(?P<number>{SCENE_NUMBER})\.?"
    rf"|{SCENE_NUMBER}\.?|[A-Z])$",
    re.IGNORECASE,
)
_TRAILING_ASTERISK_RE = re.compile(r"\s+\*+$")
_DATE_RE = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b(?:19|20)\d{2}\b")
_CREDIT_RE = re.compile(r"^(?:(?:written|screenplay|teleplay|story|script)\s+)?by$", re.IGNORECASE)
_SOURCE_RE = re.compile(r"\b(?:based on|story by|adapted from|inspired by)\b", re.IGNORECASE)

# PyMuPDF's type hints are incomplete; calls go through this Any-typed handle.
_MUPDF: Any = pymupdf

HEADER_ZONE = 0.065
FOOTER_ZONE = 0.94


@dataclass(slots=True)
class _Span:
    """One run of text as PyMuPDF reports it, with the start and end of its visible characters."""

    baseline: float
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    bold: bool
    char: float


def _open(data: bytes, max_pages: int) -> Any:
    """Open the PDF and refuse damaged, encrypted, empty or over-long documents before reading pages."""
    try:
        document = _MUPDF.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for damaged files
        raise ParseError(
            "This PDF is damaged and cannot be opened. Try exporting it again from your writing program.",
            detail=repr(exc),
        ) from exc
    if document.needs_pass or document.is_encrypted:
        document.close()
        raise InvalidInputError(
            "This PDF is protected with a password. Remove the password (print or export it again "
            "without protection) and upload it again."
        )
    if document.page_count == 0:
        document.close()
        raise ParseError("This PDF has no pages.")
    if document.page_count > max_pages:
        count = document.page_count
        document.close()
        raise FileTooLargeError(
            f"This PDF has {count} pages; the limit is {max_pages}. Split it or upload a shorter script.",
            detail=f"pages={count}",
        )
    return document


def _spans(page_dict: dict[str, Any]) -> list[_Span]:
    spans: list[_Span] = []
    for block in page_dict.get("blocks", []):
        if block.get("type", 0) != 0:
            continue
        for line in block.get("lines", []):
            direction = line.get("dir", (1.0, 0.0))
            if abs(direction[1]) > 0.05 or direction[0] < 0:  # rotated text is a watermark or stamp
                continue
            for span in line.get("spans", []):
                raw: str = span.get("text", "")
                text = raw.strip()
                if not text:
                    continue
                x0, top, x1, bottom = span["bbox"]
                char = (x1 - x0) / len(raw) if raw else 0.0
                size = float(span.get("size", 12.0))
                if _overprinted(text, char, size):
                    raw = raw[: len(raw) // 2] if len(raw) % 2 == 0 else text[: len(text) // 2]
                    text = raw.strip()
                    char *= 2
                lead = len(raw) - len(raw.lstrip())
                trail = len(raw) - len(raw.rstrip())
                font = str(span.get("font", ""))
                spans.append(
                    _Span(
                        baseline=float(span.get("origin", (x0, bottom))[1]),
                        top=top,
                        bottom=bottom,
                        x0=x0 + lead * char,
                        x1=x1 - trail * char,
                        text=text,
                        size=size,
                        bold=bool(int(span.get("flags", 0)) & 16) or "bold" in font.lower(),
                        char=char,
                    )
                )
    return _without_repeats(spans)


def _overprinted(text: str, char: float, size: float) -> bool:
    """Text drawn twice at one place that PyMuPDF merged into one span ("(MORE)(MORE)"): the characters
    sit half as wide as the font allows."""
    if not 0 < char < size * 0.4:
        return False
    half = len(text) // 2
    return half >= 2 and len(text) % 2 == 0 and text[:half] == text[half:]


def _without_repeats(spans: list[_Span]) -> list[_Span]:
    """Some programs print text twice at page breaks (identical spans at the same place): keep one."""
    kept: list[_Span] = []
    seen: dict[str, list[_Span]] = {}
    for span in spans:
        twins = seen.setdefault(span.text, [])
        if any(abs(t.baseline - span.baseline) < 1.5 and abs(t.x0 - span.x0) < 1.5 for t in twins):
            continue
        twins.append(span)
        kept.append(span)
    return kept


def _word_gap(page_spans: list[list[_Span]], char: float) -> float:
    """The widest gap between spans that still joins them into one run of text.

    Usually two and a half characters: spans of one line meet at style changes, and wider gaps part margin
    numbers and dual dialogue. An OCR text layer puts every word in a span of its own, spaced as on the scan;
    there the usual gap between words sets the limit."""
    gaps: list[float] = []
    for spans in page_spans:
        ordered = sorted(spans, key=lambda s: (round(s.baseline), s.x0))
        gaps.extend(
            after.x0 - before.x1 for before, after in zip(ordered, ordered[1:], strict=False)
            if abs(before.baseline - after.baseline) < 2 and after.x0 > before.x1 - 1
        )
    if len(gaps) < 20 * len(page_spans):
        return char * 2.5
    gaps.sort()
    median = gaps[len(gaps) // 2]
    return max(char * 2.5, median * 1.6) if median < char * 5 else char * 2.5


def _rows(spans: list[_Span], page_number: int, char: float, tops: dict[int, float], word_gap: float) -> list[Row]:
    """Group spans into printed lines by baseline, and lines into segments split at gaps wider than `word_gap`;
    a scene number at either end of a line stays a segment of its own.

    The top of each line's tallest glyph goes into `tops` (by row id) for the header and footer zones.
    """
    rows: list[Row] = []
    groups: list[list[_Span]] = []
    for span in sorted(spans, key=lambda s: (s.baseline, s.x0)):
        if groups and abs(span.baseline - groups[-1][0].baseline) <= max(1.5, span.size * 0.3):
            groups[-1].append(span)
        else:
            groups.append([span])
    for group in groups:
        group.sort(key=lambda s: s.x0)
        segments: list[Segment] = []
        for position, span in enumerate(group):
            last = segments[-1] if segments else None
            gap = span.x0 - last.x1 if last is not None else 0.0
            margin_number = gap > char * 2.5 and (
                (len(segments) == 1 and position == 1 and SCENE_NUMBER_RE.match(last.text) is not None)
                or (position == len(group) - 1 and SCENE_NUMBER_RE.match(span.text) is not None)
            ) if last is not None else False
            if last is not None and gap <= word_gap and not margin_number:
                gap = span.x0 - last.x1
                spaces = " " * max(1, min(3, round(gap / char))) if gap > 1 else ""
                last.text = f"{last.text}{spaces}{span.text}"
                last.x1 = max(last.x1, span.x1)
                last.bold = last.bold and span.bold
            else:
                segments.append(Segment(span.x0, span.x1, span.text, span.size, span.bold))
        row = Row(page_number, group[0].baseline, segments)
        tops[id(row)] = min(span.top for span in group)
        rows.append(row)
    return rows


def _char_width(spans: list[_Span]) -> float:
    widths = [span.char for span in spans if len(span.text) >= 4 and span.char > 0]
    return statistics.median(widths) if widths else 7.2


def _line_height(pages: list[Page], body_size: float) -> float:
    """The smallest common baseline step of body-size text: one line; larger steps are blank lines."""
    steps: Counter[float] = Counter()
    for page in pages:
        for before, after in zip(page.rows, page.rows[1:], strict=False):
            step = round(after.y - before.y, 0)
            if step >= body_size * 0.8:
                steps[step] += 1
    if not steps:
        return round(body_size * 1.0)
    floor = max(1, sum(steps.values()) * 0.05)
    common = sorted(step for step, count in steps.items() if count >= floor)
    line = float(common[0])
    if line > body_size * 1.6:
        # Either every step includes a blank line (one-line paragraphs), or the text is set with wide leading
        # (1.5 or double spacing). With wide leading a blank line doubles the step; else it is 1.5 times it.
        wider = [step / line for step in common[1:] if step > line * 1.2]
        if not (wider and 1.8 <= wider[0] <= 2.2):
            line /= round(line / body_size)
    return line


def _normal_key(text: str) -> str:
    return " ".join(text.split()).casefold()


class _Cleaner:
    """Removes page furniture so that only the script itself reaches the layout reader."""

    def __init__(self, width: float, height: float, char: float, body_size: float) -> None:
        self.width = width
        self.height = height
        self.char = char
        self.body_size = body_size
        self.last_label: str | None = None  # the scene number read last, to follow the script's sequence
        self.at_foot: set[int] = set()  # rows kept from the footer zone because they read as a cue

    def strip_margins(self, row: Row) -> Row | None:
        """Take scene numbers out of the margins (kept as the row label); drop revision asterisks, and specks
        that OCR reads as text (a stray "." beside a line, a hole punch in the paper's edge read as "C")."""
        segments = [s for s in row.segments if not _ASTERISKS_RE.match(s.text)]
        if len(segments) > 1:
            segments = [s for s in segments if not self.speck(s)] or segments[:1]
        if len(segments) > 1:  # "(MORE)" or "(CONTINUED)" sharing a line with other text
            kept = [s for s in segments if not (CONTINUED_RE.match(s.text) or MORE_RE.match(s.text))]
            segments = kept or segments[:1]
        for segment in segments:
            segment.text = _TRAILING_ASTERISK_RE.sub("", segment.text)
        if not segments:
            return None
        label: str | None = None
        first, last = segments[0], segments[-1]
        if len(segments) >= 2 and SCENE_NUMBER_RE.match(first.text) and first.x1 < self.width * 0.3:
            label = segments.pop(0).text.strip("*.")
        if len(segments) >= 2 and SCENE_NUMBER_RE.match(last.text) and last.x0 > self.width * 0.6:
            right = segments.pop().text.strip("*.")
            label = label or right
        row.segments = segments
        row.label = label
        return row

    def speck(self, segment: Segment) -> bool:
        edge = segment.x1 < self.width * 0.08 or segment.x0 > self.width * 0.92
        return bool(_SPECK_RE.match(segment.text)) or (edge and not SCENE_NUMBER_RE.match(segment.text))

    def clean_page(self, number: int, rows: list[Row], tops: dict[int, float]) -> Page:
        """First pass: what prints above and below the text, margin scene numbers, revision asterisks, page
        numbers (kept as the page's printed number) and draft headers."""
        page = Page(number)
        kept: list[Row] = []
        for row in rows:
            top = tops[id(row)]
            in_footer = top > self.height * FOOTER_ZONE
            # A cue can sit at the very foot of a page, its speech on the next one.
            cue_at_foot = in_footer and top < self.height * 0.965 and is_character_cue(row.text)
            if top < self.height * HEADER_ZONE or (in_footer and not cue_at_foot):
                self.note_page_number(page, row, header=True)
                continue
            if cue_at_foot:
                self.at_foot.add(id(row))
            cleaned = self.strip_margins(row)
            if cleaned is not None:
                kept.append(cleaned)
        for position, row in enumerate(kept):
            edge = position < 2 or position >= len(kept) - 2
            if edge and self.note_page_number(page, row):
                continue
            if _DRAFT_HEADER_RE.match(row.text):
                mid_sheet = _HEADER_PAGE_RE.search(row.text) if position >= 2 else None
                if mid_sheet:  # a re-typeset script prints the running header where its own page broke
                    page.breaks.append((row.y, mid_sheet.group("number")))
                    continue
                if position < 2:
                    self.note_page_number(page, row, header=True)
                    continue
            page.rows.append(row)
        return page

    def note_page_number(self, page: Page, row: Row, *, header: bool = False) -> bool:
        """Keep the page number this row prints, alone ("12.") or, when the row is a running `header`, at its
        right end ("SYN, NY - GOLDENROD REVISIONS   12A."); True when the row is nothing but the page number."""
        last = row.segments[-1]
        alone = len(row.segments) == 1
        found = _PAGE_LABEL_RE.match(last.text) if alone or last.x0 > self.width * 0.55 else None
        if found is None and header:
            found = _HEADER_PAGE_RE.search(row.text)
        if found is None:
            return False
        if page.printed is None:
            page.printed = found.group("number")
        return alone and bool(PAGE_NUMBER_RE.match(last.text))

    def settle(self, page: Page, action: float, right: float) -> None:
        """Second pass, once the text column is known: scene numbers glued to their line ("102  INT. SHACK",
        "4   CONTINUED:   4"), CONTINUED and (MORE) lines, OMITTED scenes and lone sub-scene markers
        ("(19A)", "27.", "SCENA 12"), whose number goes to the line it sits above."""
        kept: list[Row] = []
        pending: tuple[str, Row] | None = None
        previous: Row | None = None
        for row in page.rows:
            opens_paragraph = previous is None or row.y - previous.y > self.body_size * 1.6
            previous = row
            self.unglue(row, action, right, opens_paragraph)
            text = row.text
            if CONTINUED_RE.match(text):
                continue
            if MORE_RE.match(text):
                page.more = True
                continue
            if _OMITTED_RE.match(text) or _RANGE_RE.match(text):
                continue
            marker = _MARKER_RE.match(text) if len(row.segments) == 1 else None
            if marker is not None and (len(text) > 1 or row.x0 < action + self.char * 2):
                pending = (marker.group("number") or "", row) if marker.group("number") else None
                continue
            if pending is not None and row.label is None and row.y - pending[1].y <= self.body_size * 2.5:
                row.label = pending[0] or None
            pending = None
            kept.append(row)
        page.rows = kept

    def unglue(self, row: Row, action: float, right: float, opens_paragraph: bool) -> None:
        """Take a scene number printed in the same run of text as its line into the row's label.

        Three cases: the number sits left of the action margin and the text after it on the margin
        ("101A  BACK TO FRANK"); the text is a heading, CONTINUED or OMITTED line whatever the spacing
        ("19     CONTINUED:  (3)"); or a numbered shot written into an action paragraph at the margin
        ("5   MINUTES LATER: ...") whose number continues the script's sequence.
        """
        first = row.segments[0]
        leading = _GLUED_LEADING_RE.match(first.text) if first.x0 < action + self.char * 2 else None
        if leading:
            number, spaces, rest = leading.group(1).strip("*."), leading.group(2), leading.group(3)
            start = first.x0 + (len(leading.group(1)) + len(spaces)) * self.char
            trailing_number = _GLUED_TRAILING_RE.match(rest)
            bare = trailing_number.group(1) if trailing_number else rest
            known = parse_heading(bare) is not None or CONTINUED_RE.match(bare) or _OMITTED_RE.match(bare)
            left_of_margin = first.x0 < action - self.char * 1.5 and abs(start - action) <= self.char * 1.5
            in_sequence = (
                opens_paragraph
                and len(spaces) >= 2
                and abs(first.x0 - action) <= self.char
                and _follows(self.last_label, number)
            )
            if (known and len(spaces) >= 2) or left_of_margin or in_sequence:
                row.label = row.label or number
                first.text, first.x0 = rest, min(start, action) if known or in_sequence else start
        last = row.segments[-1]
        trailing = _GLUED_TRAILING_RE.match(last.text)
        if trailing:
            number = trailing.group(3).strip("*.")
            start = last.x1 - len(trailing.group(3)) * self.char
            if start > right + self.char * 0.5 or number == row.label:
                row.label = row.label or number
                last.text, last.x1 = trailing.group(1), start - len(trailing.group(2)) * self.char
        elif row.label and len(last.text) > len(row.label) + 1 and last.text.rstrip("*.").endswith(row.label):
            # The right-margin number touching a long heading: "... / PL. DOM 2 /74", "CD. SC.141".
            body = last.text.rstrip("*.")[: -len(row.label)]
            if body and not body[-1].isalnum():
                last.text = body.rstrip()
        if row.label:
            self.last_label = row.label

    def drop_repeated(self, pages: list[Page]) -> None:
        """Running headers, footers and watermarks: the same line on at least half of the pages."""
        if len(pages) < 3:
            return
        seen: Counter[str] = Counter()
        for page in pages:
            seen.update({_normal_key(row.text) for row in page.rows})
        threshold = max(3.0, len(pages) * 0.5)
        for page in pages:
            kept: list[Row] = []
            for position, row in enumerate(page.rows):
                count = seen[_normal_key(row.text)]
                if count < threshold:  # most rows: checked first, the costly tests below are skipped
                    kept.append(row)
                    continue
                edge = (position < 2 or position >= len(page.rows) - 2) and _stands_apart(page.rows, position)
                odd_size = abs(row.segments[0].size - self.body_size) > 1.5
                everywhere = len(pages) >= 8 and count >= len(pages) * 0.9  # a watermark in the body
                if id(row) in self.at_foot or ((edge or odd_size or everywhere) and not _protected(row.text)):
                    continue  # a footer that only looked like a cue repeats from page to page
                kept.append(row)
            page.rows = kept


def _mark_printed_pages(pages: list[Page]) -> None:
    """Where running headers break the printed pages in the middle of sheets (a re-typeset script), each
    row learns the printed page it sits on: the last page number printed above it, on its sheet or before."""
    if not any(page.breaks for page in pages):
        return
    sequence = [number for page in pages for number in [*([page.printed] if page.printed else []),
                                                           *(number for _, number in page.breaks)]]
    values = [int(match.group(0)) for match in (re.match(r"\d+", number) for number in sequence) if match]
    rising = sum(1 for before, after in zip(values, values[1:], strict=False) if 0 <= after - before <= 3)
    if rising < 0.85 * (len(values) - 1):
        return
    current: str | None = None
    for page in pages:
        current = page.printed or current
        breaks = sorted(page.breaks)
        for row in page.rows:
            while breaks and breaks[0][0] <= row.y:
                current = breaks.pop(0)[1]
            row.printed = current
        current = breaks[-1][1] if breaks else current


def _stands_apart(rows: list[Row], position: int) -> bool:
    """A running header or footer is set off from the text by a blank line; a line repeated by chance
    inside a paragraph or speech is not."""
    row = rows[position]
    size = row.segments[0].size
    before = rows[position - 1].y if position > 0 else None
    after = rows[position + 1].y if position + 1 < len(rows) else None
    return all(other is None or abs(row.y - other) >= size * 1.8 for other in (before, after))


def _follows(last: str | None, number: str) -> bool:
    """True when `number` can be the next scene number after `last`: a few numbers on ("12" → "13", "15"),
    or the same number with a letter added or advanced ("12" → "12A", "12A" → "12B")."""
    if last is None:
        return number in ("1", "A1")
    last_match, match = _NUMBER_PARTS_RE.match(last), _NUMBER_PARTS_RE.match(number)
    if last_match is None or match is None:
        return False
    last_value, value = int(last_match.group(1)), int(match.group(1))
    if value == last_value:
        return bool(match.group(2)) and match.group(2) > last_match.group(2)
    return last_value < value <= last_value + 4


def _protected(text: str) -> bool:
    """Lines that repeat on many pages yet belong to the script: cues, headings, dialogue-like text."""
    return (
        is_character_cue(text)
        or text.endswith(":")
        or text.startswith("(")
        or text.endswith(")")
        or (text.endswith((".", "!", "?", '"')) and any(c.islower() for c in text))
        or parse_heading(text) is not None
    )


def _is_title_page(rows: list[Row], width: float, char: float) -> bool:
    if not rows or len(rows) > 30:
        return False
    for current, following in zip(rows, rows[1:], strict=False):
        heading = parse_heading(current.text)
        if heading is not None and heading.setting is not None:
            return False
        if is_character_cue(current.text) and following.y - current.y < 16 and following.x0 < current.x0:
            return False
    centered = [row for row in rows if abs((row.x0 + row.x1) / 2 - width / 2) < char * 4]
    return bool(centered)


def _read_title_page(rows: list[Row], width: float, height: float, char: float) -> dict[str, str]:
    """Title, credit, author and source from the centered block; contact and date from the bottom."""
    fields: dict[str, str] = {}
    centered = [r for r in rows if abs((r.x0 + r.x1) / 2 - width / 2) < char * 4 and r.y < height * 0.75]
    others = [r for r in rows if r not in centered]
    title: list[str] = []
    index = 0
    while index < len(centered) and not _CREDIT_RE.match(centered[index].text):
        if title and centered[index].y - centered[index - 1].y > 40 and not _SOURCE_RE.search(
            centered[index].text
        ):
            break
        title.append(centered[index].text)
        index += 1
    rest = centered[index:]
    if rest and _CREDIT_RE.match(rest[0].text):
        fields["credit"] = rest[0].text
        if len(rest) > 1:
            fields["author"] = rest[1].text
        rest = rest[2:]
    if title and not fields.get("credit") and len(title) > 1 and _SOURCE_RE.search(title[-1]):
        fields["source"] = title.pop()
    if title:
        fields["title"] = "\n".join(title)
    if rest:
        earlier = [fields["source"]] if "source" in fields else []
        fields["source"] = "\n".join([*earlier, *(r.text for r in rest)])
    contact: list[str] = []
    for row in others:
        text = row.text
        dated = _DATE_RE.search(text) and len(text) < 30 and not text.startswith("(")
        if dated and "draft date" not in fields:
            fields["draft date"] = text
        elif text.lower().startswith(("(c)", "\u00a9", "copyright")):
            fields["copyright"] = text
        else:
            contact.append(text)
    if contact:
        fields["contact"] = "\n".join(contact)
    return fields


# Where Debian/Ubuntu, Fedora, Alpine, Homebrew and source builds put Tesseract's language data.
_TESSDATA_GLOBS = (
    "/usr/share/tesseract-ocr/*/tessdata",
    "/usr/share/tesseract-ocr/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
    "/opt/homebrew/share/tessdata",
)
_LIST_LANGS_RE = re.compile(r'List of available languages in "(.+?)"')


def find_tessdata(language: str = "eng") -> str | None:
    """The folder holding Tesseract's `<language>.traineddata`, or None when OCR cannot run here.

    PyMuPDF runs the Tesseract engine built into MuPDF; it needs only the language data that the
    tesseract-ocr-<lang> package installs. TESSDATA_PREFIX wins when it names a folder with the data;
    then the usual install folders; last, the folder the tesseract program itself reports.
    """
    wanted = f"{language}.traineddata"
    candidates: list[Path] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        candidates += [Path(prefix), Path(prefix) / "tessdata"]
    for pattern in _TESSDATA_GLOBS:
        candidates += sorted(Path("/").glob(pattern.lstrip("/")), reverse=True)  # newest version first
    for folder in candidates:
        if (folder / wanted).is_file():
            return str(folder)
    program = shutil.which("tesseract")
    if program is None:
        return None
    try:
        # The program found on PATH with a fixed argument; nothing from the upload reaches the command.
        listing = subprocess.run(  # noqa: S603
            [program, "--list-langs"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.SubprocessError):
        return None
    found = _LIST_LANGS_RE.search(listing.stdout + listing.stderr)
    if found and (Path(found.group(1)) / wanted).is_file():
        return found.group(1)
    return None


_DICT_FLAGS = _MUPDF.TEXTFLAGS_DICT & ~_MUPDF.TEXT_PRESERVE_IMAGES


def _page_spans(document: Any) -> list[list[_Span]]:
    """The text spans of every page. Each page's dict is reduced to spans at once and let go: keeping
    thousands of PyMuPDF dicts alive makes Python's garbage collector walk them again and again."""
    return [_spans(page.get_text("dict", flags=_DICT_FLAGS)) for page in document]


def _ocr_page_spans(document: Any, tessdata: str, dpi: int) -> list[list[_Span]]:
    """Recognise every page as a picture; the words come back positioned like real PDF text."""
    result: list[list[_Span]] = []
    for page in document:
        textpage = page.get_textpage_ocr(flags=_DICT_FLAGS, language="eng", dpi=dpi, full=True,
                                         tessdata=tessdata)
        result.append(_spans(page.get_text("dict", textpage=textpage, flags=_DICT_FLAGS)))
    return result


def _has_text(page_spans: list[list[_Span]]) -> bool:
    """A text layer worth reading: at least a quarter of the pages carry some text. A scan may carry a stamp,
    a page number or one typed page; that does not make it readable."""
    readable = sum(1 for spans in page_spans if sum(len(span.text) for span in spans) >= 10)
    return readable >= len(page_spans) * 0.25


def parse_pdf(
    data: bytes,
    *,
    max_pages: int = 600,
    allow_unstructured: bool = False,
    ocr_dpi: int = 150,
    tessdata_finder: Callable[[], str | None] = find_tessdata,
) -> Screenplay:
    """Read a screenplay PDF. Raises a user-facing error for scans without OCR and for non-scripts.

    A PDF without a text layer (a scan) is read by OCR at `ocr_dpi` (150: on the 300-dpi typewritten scans
    of the real set it finds more scenes and cues than 300, in half the time) when `tessdata_finder` finds
    Tesseract's English data; it is a parameter so that callers and tests can decide where OCR comes from.
    """
    document = _open(data, max_pages)
    try:
        width, height = document[0].rect.width, document[0].rect.height
        page_spans = _page_spans(document)
        if not _has_text(page_spans):
            tessdata = tessdata_finder()
            if tessdata is None:
                raise ScannedPdfError(
                    "This PDF is a scan: its pages are pictures with no text to read. Upload the PDF "
                    "exported from your writing program, or ask the administrator to enable OCR by "
                    "installing Tesseract (the tesseract-ocr and tesseract-ocr-eng packages).",
                )
            try:
                page_spans = _ocr_page_spans(document, tessdata, ocr_dpi)
            except Exception as exc:  # OCR engine problems are reported, never a traceback
                raise ScannedPdfError(
                    "This PDF is a scan and text recognition (OCR) failed on it. Upload a PDF with text.",
                    detail=repr(exc),
                ) from exc
    finally:
        document.close()
    return _read(page_spans, width, height, allow_unstructured=allow_unstructured)


def _read(
    page_spans: list[list[_Span]], width: float, height: float, *, allow_unstructured: bool
) -> Screenplay:
    all_spans = [span for spans in page_spans for span in spans]
    char = _char_width(all_spans)
    sizes = Counter(round(span.size) for span in all_spans)
    body_size = float(sizes.most_common(1)[0][0]) if sizes else 12.0

    raw_pages: list[list[Row]] = []
    tops: dict[int, float] = {}
    word_gap = _word_gap(page_spans, char)
    for index, spans in enumerate(page_spans):
        raw_pages.append(_rows(spans, index + 1, char, tops, word_gap))

    title_page: dict[str, str] = {}
    offset = 0
    if len(raw_pages) > 1 and _is_title_page(raw_pages[0], width, char):
        title_page = _read_title_page(raw_pages[0], width, height, char)
        offset = 1

    cleaner = _Cleaner(width, height, char, body_size)
    pages = [cleaner.clean_page(index + 1, rows, tops) for index, rows in enumerate(raw_pages)][offset:]
    action, right = text_column(pages, char)
    align_pages(pages, action, char)
    for page in pages:
        cleaner.settle(page, action, right)
    cleaner.drop_repeated(pages)
    printed = consistent_page_numbers({p.number: p.printed for p in pages if p.printed}, len(raw_pages))
    _mark_printed_pages(pages)

    line = _line_height(pages, body_size)
    builder = ScreenplayBuilder(
        "pdf",
        lines_per_page=max(40, min(70, round(height * 0.82 / line))),
        numbering=PageNumbering(printed, first_script_page=offset + 1),
    )
    pages = _without_cast_lists(pages, builder)
    columns = learn_columns(pages, char, line, width)
    reader = LayoutReader(pages, columns, builder)
    reader.read()
    title = " ".join(title_page["title"].split("\n")) if title_page.get("title") else None
    if reader.headings == 0:
        if not allow_unstructured:
            raise ParseError(
                "No scene headings (like \"INT. KITCHEN - DAY\") were found, so this PDF does not look "
                "like a screenplay. Upload a screenplay, or import it as unstructured text."
            )
        return _unstructured(pages, title, title_page)
    return builder.build(title=title, title_page=title_page, pages=len(raw_pages))


_CAST_TITLE_RE = re.compile(
    r"^(?:(?:THE\s+|MAIN\s+|G[ŁL][ÓO]WNE\s+)?(?:CAST(?:\s+(?:LIST|OF\s+CHARACTERS))?|CHARACTERS|DRAMATIS\s+PERSONAE|"
    r"OSOBY|OBSADA|POSTACIE|PERSONNAGES|DISTRIBUTION|ROLLEN|BESETZUNG|PERSONAJES|REPARTO))\s*:?$",
    re.IGNORECASE,
)


def _without_cast_lists(pages: list[Page], builder: ScreenplayBuilder) -> list[Page]:
    """A cast list before the script ("CAST OF CHARACTERS", "GŁÓWNE OSOBY:") prints names over descriptions
    exactly like cues over speeches; it is kept as a note in the text before the first scene instead."""
    kept: list[Page] = []
    for index, page in enumerate(pages):
        if any(_is_slugline(row.text) for row in page.rows):
            return kept + pages[index:]
        if page.rows and _CAST_TITLE_RE.match(page.rows[0].text):
            text = "\n".join(row.text for row in page.rows)
            builder.add(Element(type="note", text=text), page=page.number, lines=len(page.rows))
            continue
        kept.append(page)
    return kept


def _is_slugline(text: str) -> bool:
    parts = parse_heading(text)
    return parts is not None and parts.setting is not None


def _unstructured(pages: list[Page], title: str | None, title_page: dict[str, str]) -> Screenplay:
    """The whole text as one scene, for documents that are not laid out as a screenplay."""
    builder = ScreenplayBuilder("pdf")
    for page in pages:
        text = "\n".join(row.text for row in page.rows)
        if text.strip():
            builder.add(Element(type="action", text=text), page=page.number, lines=len(page.rows))
    return builder.build(title=title, title_page=title_page, pages=len(pages))


