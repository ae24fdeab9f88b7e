"""Layout-based screenplay reading, shared by the PDF and plain-text parsers.

Both produce `Row`s (a printed line: page, vertical position, horizontal pieces). This module learns the
document's indent columns from the rows, classifies them into headings, action, cues, dialogue,
parentheticals, transitions and centered text, and rebuilds the speeches and scenes.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace

from cortexreel.domain.screenplay import Element, ElementType
from cortexreel.parsing.builder import ScreenplayBuilder
from cortexreel.parsing.headings import HeadingParts, is_character_cue, is_upper, parse_heading, split_cue


@dataclass
class Segment:
    """A run of text on one printed line, separated from its neighbours by a wide gap."""

    x0: float
    x1: float
    text: str
    size: float = 12.0
    bold: bool = False


@dataclass
class Row:
    """One printed line. `label` is a scene number found in a margin of this line."""

    page: int
    y: float
    segments: list[Segment]
    label: str | None = None
    printed: str | None = None  # the printed page the row sits on, where pages break mid-sheet

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1

    @property
    def text(self) -> str:
        if len(self.segments) == 1:  # nearly every row; asked for again and again while reading
            return self.segments[0].text
        return " ".join(segment.text for segment in self.segments).strip()


@dataclass
class Page:
    """The rows of one page after clean-up; `more` is set when the page ended inside a speech, `printed` is
    the page number the page prints, if any."""

    number: int
    rows: list[Row] = field(default_factory=list)
    more: bool = False
    printed: str | None = None
    # Running headers printed mid-sheet (y, page number): a re-typeset script whose pages break there.
    breaks: list[tuple[float, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    """The indents learned for one document, in the same unit as the rows (points or characters)."""

    char: float
    line: float
    action: float
    dialogue: float
    parenthetical: float
    cue: float
    right: float
    page_center: float | None = None
    # Cues printed with a period or colon after the name ("HOLDEN.", "ROCKY:").
    punctuated_cues: bool = False
    # Cues printed at the dialogue indent, directly above their speech (some European layouts).
    stacked_cues: bool = False
    # Cues and dialogue centred line by line on this x instead of starting at an indent.
    speech_center: float | None = None
    # The usual distance from a cue down to its first speech line (one line, or two with a blank between).
    cue_gap: float = 0.0

    @property
    def center(self) -> float:
        return (self.action + self.right) / 2

    def centers(self) -> tuple[float, ...]:
        """Where centered text can sit: the middle of the text column (Final Draft, Fountain renderers
        that centre between the margins) or the middle of the paper (afterwriting centres on the page)."""
        return (self.center,) if self.page_center is None else (self.center, self.page_center)


def _clusters(values: list[float], tolerance: float) -> list[tuple[float, int]]:
    """Group nearby values: returns (median, count) per group, most frequent first."""
    if not values:
        return []
    ordered = sorted(values)
    groups: list[list[float]] = [[ordered[0]]]
    for value in ordered[1:]:
        if value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    result = [(group[len(group) // 2], len(group)) for group in groups]
    return sorted(result, key=lambda item: -item[1])


def _is_setting_heading(text: str) -> bool:
    parts = parse_heading(text)
    return parts is not None and parts.setting is not None


def _mode(values: list[float], tolerance: float, default: float) -> float:
    clusters = _clusters(values, tolerance)
    return clusters[0][0] if clusters else default


def text_column(pages: list[Page], char: float) -> tuple[float, float]:
    """The action indent and the right edge of action text.

    Sluglines start at the action margin: where most of them start (after a scene number printed on the same
    run of text) is the margin, whatever front matter, margin numbers or stray lines sit further left. With
    fewer than three sluglines, action runs widest: the indent where most of the widest lines start. Short
    documents without either fall back to the leftmost indent in common use.
    """
    rows = [row for page in pages for row in page.rows]
    single = [row for row in rows if len(row.segments) == 1]
    headings = [start for start in (_heading_start(row, char) for row in single) if start is not None]
    least = wide_line(pages, char)
    wide = [row.x0 for row in single if row.x1 - row.x0 >= least]
    if len(headings) >= 3:
        action = _mode(headings, char * 0.6, 0.0)
    elif len(wide) >= 5:
        action = _mode(wide, char * 0.6, 0.0)
    else:
        clusters = _clusters([row.x0 for row in single], char * 0.6)
        floor = max(2, len(single) * 0.03)
        significant = [center for center, count in clusters if count >= floor] or [c for c, _ in clusters]
        heading_starts = [row.x0 for row in single if is_upper(row.text) and _is_setting_heading(row.text)]
        action = min(significant + heading_starts) if significant or heading_starts else 0.0
    ends = sorted(row.x1 for row in rows if abs(row.x0 - action) <= char)
    right = ends[int(len(ends) * 0.95)] if ends else action + char * 61
    return action, right


_GLUED_NUMBER_RE = re.compile(r"^\*?[A-Z]?\d{1,4}(?:[A-Z]{1,3}\d{0,3})?\.?\*?\s+(?=\S)")


def _heading_start(row: Row, char: float) -> float | None:
    """Where the slugline on this row starts, past a scene number printed in the same run ("102  INT. ...")."""
    text = row.text
    if not (is_upper(text) or _is_mixed_case_heading(text)) or not _is_setting_heading(text):
        return None
    glued = _GLUED_NUMBER_RE.match(text)
    return row.x0 + (glued.end() * char if glued else 0.0)


def wide_line(pages: list[Page], char: float) -> float:
    """How wide a line must be to be a full line of action: three quarters of the widest lines (wrapped action
    runs about 60 characters, dialogue about 35), and never under 30 characters. Measured on the page, not in
    characters alone, because an OCR layer's letters are narrower than the typewriter's."""
    widths = sorted(row.x1 - row.x0 for page in pages for row in page.rows)
    if not widths:
        return char * 40
    return max(char * 30, widths[int(len(widths) * 0.98)] * 0.75)


def align_pages(pages: list[Page], action: float, char: float) -> None:
    """Move each page sideways so that its action margin sits on the document's.

    Re-typeset scripts indent some pages a few characters further than others, and skewed scans drift: a
    page whose own wide lines start up to six characters off is shifted as a whole.
    """
    least = wide_line(pages, char)
    for page in pages:
        wide = [row.x0 for row in page.rows if row.x1 - row.x0 >= least and len(row.segments) == 1]
        if len(wide) < 3:
            continue
        local, count = _peak(sorted(wide), char * 0.6)
        shift = action - local
        if count < len(wide) * 0.5 or not char * 0.5 < abs(shift) <= char * 6:
            continue
        for row in page.rows:
            for segment in row.segments:
                segment.x0 += shift
                segment.x1 += shift


def learn_columns(pages: list[Page], char: float, line: float, page_width: float | None = None) -> Columns:
    """Learn action, cue, dialogue and parenthetical indents from where the text actually starts.

    Cues are found as short upper-case names with speech directly under them; how they are printed (with a
    period, stacked at the dialogue indent, centred) is learned from the same pairs.
    `page_width` (PDFs only) lets centered text be recognised when a renderer centres it on the paper.
    """
    action, right = text_column(pages, char)
    pairs: list[tuple[Row, Row]] = []
    for page in pages:
        for current, following in zip(page.rows, page.rows[1:], strict=False):
            if len(current.segments) != 1 or len(following.segments) != 1:
                continue
            if following.y - current.y > line * 2.6 or current.x0 < action + char * 3:
                continue
            if following.x0 < action + char * 0.5:
                continue
            pairs.append((current, following))
    plain = [(cue, speech) for cue, speech in pairs if is_character_cue(cue.text)]
    punctuated = [
        (cue, speech) for cue, speech in pairs
        if not is_character_cue(cue.text) and is_character_cue(cue.text, punctuated=True)
    ]
    punctuated_cues = len(punctuated) >= 3 and len(punctuated) >= 0.2 * (len(plain) + len(punctuated))
    candidates = plain + punctuated if punctuated_cues else plain
    gaps = [speech.y - cue.y for cue, speech in candidates if speech.x0 < cue.x0 - char * 0.5]
    cue_gap = _mode(gaps, line * 0.3, line) if len(gaps) >= 3 else line
    candidates = [(cue, speech) for cue, speech in candidates if speech.y - cue.y <= max(cue_gap, line) * 1.3]
    indented = [(cue, speech) for cue, speech in candidates if speech.x0 < cue.x0 - char * 0.5]
    stacked = [
        (cue, speech) for cue, speech in candidates
        if abs(speech.x0 - cue.x0) <= char * 0.5 and not speech.text.startswith("(") and not is_upper(speech.text)
    ]
    speech_center = _speech_center(indented, char)
    stacked_cues = len(stacked) >= 5 and len(stacked) > len(indented) and speech_center is None
    if stacked_cues:
        dialogue = cue = _mode([c.x0 for c, _ in stacked], char * 0.6, action + char * 10)
        paren_starts = [s.x0 for _, s in candidates if s.text.startswith("(")]
    else:
        dialogue = _mode([s.x0 for _, s in indented if not s.text.startswith("(")], char * 0.6, action + char * 10)
        cue = _mode([c.x0 for c, _ in indented], char * 0.6, action + char * 22)
        paren_starts = [s.x0 for _, s in indented if s.text.startswith("(")]
    parenthetical = _mode(paren_starts, char * 0.6, dialogue + char * 6)
    page_center = page_width / 2 if page_width is not None else None
    return Columns(
        char, line, action, dialogue, parenthetical, cue, right, page_center,
        punctuated_cues=punctuated_cues, stacked_cues=stacked_cues, speech_center=speech_center,
        cue_gap=max(cue_gap, line),
    )


def _speech_center(pairs: list[tuple[Row, Row]], char: float) -> float | None:
    """The middle line of a layout that centres cues and speeches line by line (their starts scatter, their
    middles agree), or None for the usual indented layout."""
    if len(pairs) < 5:
        return None
    starts = sorted(speech.x0 for _, speech in pairs)
    if _peak(starts, char * 0.6)[1] >= len(starts) * 0.5:
        return None
    middles = sorted((row.x0 + row.x1) / 2 for pair in pairs for row in pair)
    middle, count = _peak(middles, char * 1.5)
    return middle if count >= len(middles) * 0.6 else None


def _peak(ordered: list[float], tolerance: float) -> tuple[float, int]:
    """The densest window of ±`tolerance` in sorted values: its median and how many values it holds.
    Unlike `_clusters`, values spread evenly over a wide range do not chain into one group."""
    best = (0.0, 0)
    start = 0
    for end, value in enumerate(ordered):
        while value - ordered[start] > tolerance * 2:
            start += 1
        if end - start + 1 > best[1]:
            best = (ordered[(start + end) // 2], end - start + 1)
    return best


# Page furniture shared by the PDF and text readers.
PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s+)?[-\u2013(]?\s*\d{1,4}[A-Z]{0,2}\s*[-\u2013)]?\.?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
CONTINUED_RE = re.compile(
    r"^\(?\s*(?:CONTINUED|CONT['\u2019]?D|SUITE|CI\u0104G DALSZY|FORTSETZUNG)\s*\)?\s*:?"
    r"\s*(?:\(\s*[A-Z]?\d+[A-Z]?\s*\))?$",
    re.IGNORECASE,
)
MORE_RE = re.compile(r"^\(\s*(?:MORE|PLUS|WI\u0118CEJ|MEHR|M\u00c1S)\s*\)$", re.IGNORECASE)


def _join(texts: list[str]) -> str:
    """Join wrapped lines with spaces, without a space after a word broken at a hyphen."""
    result = ""
    for text in texts:
        text = text.strip()
        if not text:
            continue
        if not result:
            result = text
        elif re.search(r"[^\W\d_]-$", result) and not result.endswith("--"):
            result += text
        else:
            result += " " + text
    return result


_SENTENCE_RE = re.compile(r"[.!?:;]\s+\S")  # sentences run on: an action paragraph, not a wrapped heading


def _is_mixed_case_heading(text: str) -> bool:
    """A heading not printed in capitals still names a setting and a time ("Bois (près du chalet) –
    EXT/JOUR", "Int. kitchen - day"); without both it is ordinary action."""
    parts = parse_heading(text)
    return parts is not None and parts.setting is not None and parts.time_of_day is not None


class LayoutReader:
    """Turns classified rows into scenes and elements on a ScreenplayBuilder."""

    def __init__(self, pages: list[Page], columns: Columns, builder: ScreenplayBuilder) -> None:
        self.pages = pages
        self.col = columns
        self.builder = builder
        self.headings = 0

    # -- row predicates -------------------------------------------------------------------------------

    def near(self, x: float, column: float, chars: float = 1.0) -> bool:
        return abs(x - column) <= self.col.char * chars

    def in_speech_band(self, row: Row) -> bool:
        """Where dialogue and parentheticals start (or, in a centred layout, where they are centred)."""
        col, char = self.col, self.col.char
        if col.speech_center is not None:
            middle = (row.x0 + row.x1) / 2
            return row.x0 > col.action + char * 2 and abs(middle - col.speech_center) <= char * 2
        upper = col.cue - char * 0.5 if col.cue > col.dialogue + char * 2 else col.dialogue + char * 6
        if row.text.startswith("("):  # parentheticals are sometimes printed at the cue's own indent
            upper = max(upper, col.cue + char * 2)
        # Re-typeset scripts indent speeches unevenly: anything well clear of the action margin counts.
        lower = min(col.dialogue - char * 1.5, (col.action + col.dialogue) / 2)
        return lower <= row.x0 < upper

    def at_cue_position(self, row: Row) -> bool:
        col, char = self.col, self.col.char
        if col.speech_center is not None:
            return row.x0 > col.action + char * 3 and abs((row.x0 + row.x1) / 2 - col.speech_center) <= char * 2
        if col.stacked_cues:
            return row.x0 >= col.dialogue - char * 1.5
        return row.x0 >= col.dialogue + char * 1.5

    def is_cue_row(self, row: Row, following: Row | None) -> bool:
        if len(row.segments) != 1 or not self.at_cue_position(row):
            return False
        if not is_character_cue(row.text, punctuated=self.col.punctuated_cues):
            return False
        if following is None:
            return False
        if following.page != row.page:
            return True
        close = following.y - row.y <= max(self.col.line * 1.6, self.col.cue_gap * 1.3)
        if close and self.col.speech_center is None and self.is_centered_pair(row, following):
            return False  # two lines centred on the same middle: a centered title, not a speech
        if close and self.col.stacked_cues and is_upper(following.text) and not following.text.startswith("("):
            return False  # stacked layout: an upper-case line over another is action or a shout, not a cue
        return close and self.in_speech_band(following)

    def is_transition_row(self, row: Row) -> bool:
        if not is_upper(row.text) or row.x0 < self.col.dialogue + self.col.char * 2:
            return False
        return row.x1 >= self.col.right - self.col.char * 2 or row.text.endswith("TO:")

    def on_center(self, row: Row) -> bool:
        middle = (row.x0 + row.x1) / 2
        return any(abs(middle - center) <= self.col.char * 1.5 for center in self.col.centers())

    def is_centered_row(self, row: Row) -> bool:
        """A line centred on the page whose start is not one of the indents (else it may be a cue)."""
        if not self.on_center(row):
            return False
        columns = (self.col.action, self.col.dialogue, self.col.parenthetical, self.col.cue)
        return all(not self.near(row.x0, column, 0.6) for column in columns)

    def is_centered_pair(self, row: Row, following: Row | None) -> bool:
        """Two adjacent lines of different length sharing a middle on the centre line: centered text, even
        when one of them happens to start at an indent."""
        if following is None or following.page != row.page or following.y - row.y > self.col.line * 1.6:
            return False
        if len(row.segments) != 1 or len(following.segments) != 1:
            return False
        if abs(row.x0 - following.x0) < self.col.char * 0.4:
            return False
        indents = (self.col.action, self.col.dialogue, self.col.parenthetical)
        if any(self.near(line.x0, column, 0.6) for line in (row, following) for column in indents):
            return False  # a cue over its speech, or wrapped action, can share a middle by chance
        same_middle = abs((row.x0 + row.x1) - (following.x0 + following.x1)) / 2 <= self.col.char * 0.6
        return same_middle and self.on_center(row) and self.on_center(following)

    def is_dual_row(self, row: Row) -> bool:
        if len(row.segments) < 2 or row.x0 < self.col.action + self.col.char:
            return False
        left, right = row.segments[0], row.segments[-1]
        return (
            right.x0 >= self.col.center - self.col.char * 2
            and is_character_cue(left.text)
            and is_character_cue(right.text)
        )

    # -- reading -------------------------------------------------------------------------------------

    def read(self) -> None:
        rows: list[tuple[Row, bool]] = []  # (row, starts a new paragraph)
        for page in self.pages:
            previous: Row | None = None
            for row in page.rows:
                gap = previous is None or row.y - previous.y > self.col.line * 1.5
                rows.append((row, gap))
                previous = row
            if page.more and page.rows:
                rows.append((Row(page.rows[-1].page, page.rows[-1].y, [Segment(0, 0, "\x00MORE")]), False))
        self.read_rows(rows)

    def lines_between(self, before: Row | None, row: Row) -> int:
        """Printed line slots from the previous row to this one (for eighths)."""
        if before is None or before.page != row.page:
            return 1
        return max(1, round((row.y - before.y) / self.col.line))

    def read_rows(self, rows: list[tuple[Row, bool]]) -> None:
        index = 0
        previous: Row | None = None
        speaker: str | None = None
        extension: str | None = None
        last_kind: str = ""
        more = False
        while index < len(rows):
            row, gap = rows[index]
            if row.text == "\x00MORE":
                more = True
                index += 1
                continue
            following = rows[index + 1][0] if index + 1 < len(rows) else None
            new_page = previous is not None and previous.page != row.page
            if last_kind == "character" and previous is not None and not new_page:
                gap = row.y - previous.y > max(self.col.line * 1.5, self.col.cue_gap * 1.3)
            slots = self.lines_between(previous, row)

            # A speech continued on the next page after "(MORE)": skip the repeated "NAME (CONT'D)" cue. Without
            # "(MORE)" a printed cue starts a new speech; unmarked speech lines continue the old one.
            if new_page and speaker and (more or last_kind in ("dialogue", "parenthetical")):
                if more and self.is_cue_row(row, following) and split_cue(row.text)[0] == speaker:
                    previous, index = row, index + 1
                    self.builder.note_lines(row.page, slots, printed=row.printed)
                    more = False
                    last_kind = "continued-cue"
                    continue
                if self.in_speech_band(row):
                    gap = False
            more = False if new_page else more

            if self.is_dual_row(row):
                index = self.read_dual(rows, index)
                previous = rows[index - 1][0]
                speaker, last_kind = None, "dual"
                continue

            in_speech = speaker is not None and not gap and last_kind != ""
            if in_speech and self.in_speech_band(row) and not self.is_cue_row(row, following):
                last_kind = self.add_speech_line(row, speaker or "", extension, last_kind, slots, False)
                previous, index = row, index + 1
                continue

            speaker, extension = None, None
            if self.is_cue_row(row, following):
                speaker, extension = split_cue(row.text)
                self.add(Element(type="character", text=row.text, character=speaker, extension=extension),
                         row, slots)
                last_kind = "character"
                previous, index = row, index + 1
                continue
            if self.is_transition_row(row):
                self.add(Element(type="transition", text=row.text), row, slots)
                last_kind = "transition"
                previous, index = row, index + 1
                continue
            if self.is_centered_row(row) or self.is_centered_pair(row, following):
                index, previous = self.read_paragraph(rows, index, "centered", slots)
                last_kind = "centered"
                continue
            index, previous = self.read_paragraph(rows, index, "action", slots)
            last_kind = "action"

    def add(self, element: Element, row: Row, slots: int) -> None:
        self.builder.add(element, page=row.page, lines=slots, printed=row.printed)

    def add_speech_line(
        self, row: Row, speaker: str, extension: str | None, last_kind: str, slots: int, dual: bool
    ) -> str:
        """Add a dialogue or parenthetical line, extending the element it continues."""
        text = row.text
        last = self.builder.last_element()
        open_paren = (
            last is not None and last.type == "parenthetical" and not last.text.rstrip().endswith(")")
        )
        kind: ElementType = "dialogue"
        if text.startswith("(") or (open_paren and last_kind == "parenthetical"):
            kind = "parenthetical"
        continuing = (
            last is not None
            and last.type == kind
            and last.character == speaker
            and last_kind in (kind, "continued-cue")
            and not text.startswith("(")
        )
        if continuing:
            separator = self.separator(last)
            self.builder.extend_last(_join([text]), page=row.page, lines=slots, separator=separator,
                                     printed=row.printed)
        else:
            element = Element(type=kind, text=text, character=speaker, extension=extension, dual=dual)
            self.add(element, row, slots)
        return kind

    @staticmethod
    def separator(last: Element | None) -> str:
        if last is not None and re.search(r"[^\W\d_]-$", last.text) and not last.text.endswith("--"):
            return ""
        return " "

    def read_paragraph(self, rows: list[tuple[Row, bool]], index: int, kind: ElementType,
                       slots: int) -> tuple[int, Row]:
        """Read rows of one action (or centered) paragraph; a leading heading becomes a new scene."""
        first = rows[index][0]
        block = [first]
        index += 1
        while index < len(rows):
            row, gap = rows[index]
            if gap or row.page != first.page or row.text == "\x00MORE" or len(row.segments) != 1:
                break
            heading_like = row.label is not None or (is_upper(row.text) and _is_setting_heading(row.text))
            if kind == "action" and heading_like and not self.wrapped_heading(block[-1]):
                break  # a numbered line or a slugline starts a scene even without a blank line before it
            if kind == "action" and not self.near(row.x0, self.col.action, 3) and (
                self.in_speech_band(row) or row.x0 > self.col.dialogue
            ):
                break
            if kind == "centered" and not (self.is_centered_row(row) or self.is_centered_pair(block[-1], row)):
                break
            block.append(row)
            index += 1
        last = block[-1]
        if kind == "action" and self.near(first.x0, self.col.action, 2):
            block = self.take_heading(block, slots)
            if not block:
                return index, last
            slots = 1
        lines = slots + len(block) - 1
        text = _join([row.text for row in block]) if kind == "action" else "\n".join(r.text for r in block)
        self.add(Element(type=kind, text=text), block[0], lines)
        return index, last

    def take_heading(self, block: list[Row], slots: int) -> list[Row]:
        """If the paragraph opens with a heading (possibly wrapped over lines), start a scene with it.

        A scene starts at a slugline or at a printed scene number. A shot line ("ANGLE ON DAVID", "INSERT")
        without a number stays in the current scene as a `shot` element.
        """
        first = block[0]
        if first.label is not None and parse_heading(first.text) is None and (
            not is_upper(first.text) or (len(block) > 1 and self.wrapped(first) and _SENTENCE_RE.search(first.text))
        ):
            # A number printed on the first line of an action paragraph: the shot is a scene of its own, named
            # by a shot line standing just above it ("BLACKNESS"), else by that printed line; the paragraph
            # stays action.
            above = self.builder.last_element()
            named = (
                above is not None and above.type == "action" and "\n" not in above.text
                and len(above.text) <= 40 and is_upper(above.text) and parse_heading(above.text) is None
            )
            parts = parse_heading(self.builder.take_last().text if named else first.text, forced=True)
            if parts is not None:
                self.builder.heading(parts.text, replace(parts, label=first.label), page=first.page,
                                     lines=max(0, slots - 1), printed=first.printed)
                self.headings += 1
            return block
        upper_count = 0
        for row in block[:3]:
            if upper_count == 0 and not is_upper(row.text):
                if _is_mixed_case_heading(row.text):  # "3- CHALET, Extérieur (Entrée) – EXT/JOUR"
                    upper_count = 1
                break
            if any(char.islower() for char in row.text):
                break
            upper_count += 1
        if (
            upper_count >= 2
            and block[0].label is None
            and not self.wrapped(block[0])
            and parse_heading(block[0].text) is None
            and _is_setting_heading(block[1].text)
        ):
            # A marker line over the heading ("PROLOG", "ACT ONE"): it stays with the scene before.
            self.add(Element(type="action", text=block[0].text), block[0], slots)
            return self.take_heading(block[1:], 1)
        found: tuple[int, HeadingParts] | None = None
        for count in range(1, upper_count + 1):
            rows = block[:count]
            label = next((row.label for row in rows if row.label), None)
            text = _join([row.text for row in rows])
            parts = parse_heading(text)
            if parts is None and label is not None:  # a numbered line is a heading whatever it says
                parts = parse_heading(text, forced=True)
            if parts is not None:
                found = (count, replace(parts, label=parts.label or label))
            if not self.wrapped(rows[-1]):
                break
        if found is None:
            return block
        count, parts = found
        if parts.kind == "shot" and parts.label is None:
            self.add(Element(type="shot", text=parts.text), block[0], slots + count - 1)
        else:
            self.builder.heading(parts.text, parts, page=block[0].page, lines=slots + count - 1,
                                 printed=block[0].printed)
            self.headings += 1
        return block[count:]

    def wrapped_heading(self, row: Row) -> bool:
        """A heading line that goes on to the next line (which may carry the scene number)."""
        if row.text.endswith(("/", "-", "\u2013", ",")):
            return True
        return self.wrapped(row) and is_upper(row.text) and _is_setting_heading(row.text)

    def wrapped(self, row: Row) -> bool:
        """A heading line that was long enough, or ends in a separator, to continue on the next line."""
        return row.text.endswith(("-", "\u2013", "/", ",")) or row.x1 >= self.col.right - 15 * self.col.char

    def read_dual(self, rows: list[tuple[Row, bool]], index: int) -> int:
        """Two speeches printed side by side: read the left one, then the right one, both marked dual."""
        first = rows[index][0]
        split = (first.segments[0].x0 + first.segments[-1].x0) / 2
        left: list[Row] = []
        right: list[Row] = []
        previous = first
        while index < len(rows):
            row, _ = rows[index]
            if row is not first and (row.page != first.page or row.y - previous.y > self.col.line * 1.6):
                break
            if row.x0 < self.col.action + self.col.char * 0.5:
                break
            if len(row.segments) >= 2:
                left.append(Row(row.page, row.y, row.segments[:1]))
                right.append(Row(row.page, row.y, row.segments[1:]))
            else:
                (right if row.x0 >= split else left).append(row)
            previous = row
            index += 1
        for side in (left, right):
            if not side:
                continue
            name, extension = split_cue(side[0].text)
            self.add(Element(type="character", text=side[0].text, character=name, extension=extension,
                             dual=True), side[0], 1)
            kind = "character"
            for row in side[1:]:
                kind = self.add_speech_line(row, name, extension, kind, 1, True)
        return index


def count_kinds(elements: list[Element]) -> Counter[str]:
    return Counter(element.type for element in elements)
