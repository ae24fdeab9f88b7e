"""Assembles elements into scenes, and estimates page numbers for formats that carry no layout."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cortexreel.domain.screenplay import Element, ElementType, ParsedScene, Screenplay, ScriptFormat
from cortexreel.parsing.headings import LINES_PER_PAGE, HeadingParts, eighths_for_lines

# Printed width in characters of each element type on a US-format page (Courier 12, 6" action width).
_WRAP_WIDTH: dict[str, int] = {
    "action": 61, "shot": 61, "centered": 61, "note": 61, "transition": 61,
    "dialogue": 35, "lyrics": 35, "parenthetical": 26, "character": 38,
}
_NO_BLANK_BEFORE: frozenset[str] = frozenset({"dialogue", "parenthetical", "lyrics"})


def wrapped_lines(text: str, width: int) -> int:
    """How many printed lines `text` takes when word-wrapped at `width` characters."""
    total = 0
    for raw in text.split("\n"):
        line_len = 0
        lines = 1
        for word in raw.split():
            needed = len(word) if line_len == 0 else line_len + 1 + len(word)
            if needed > width and line_len > 0:
                lines += 1
                line_len = len(word)
            else:
                line_len = needed
        total += lines
    return max(total, 1)


def element_lines(element_type: ElementType | str, text: str) -> int:
    """Printed lines of an element including the blank line before it, for page estimates."""
    lines = wrapped_lines(text, _WRAP_WIDTH.get(element_type, 61))
    return lines if element_type in _NO_BLANK_BEFORE else lines + 1


class PageEstimator:
    """Counts printed lines to guess page numbers for Fountain, FDX and plain text."""

    def __init__(self, lines_per_page: int = LINES_PER_PAGE) -> None:
        self.lines_per_page = lines_per_page
        self.page = 1
        self.used = 0

    def place(self, lines: int) -> int:
        """Put a block of `lines` on the page and return the page it starts on."""
        if self.used and self.used + lines > self.lines_per_page:
            self.page += 1
            self.used = 0
        start = self.page
        self.used += lines
        while self.used > self.lines_per_page:  # a block longer than a page
            self.used -= self.lines_per_page
            self.page += 1
        return start

    def break_page(self) -> None:
        if self.used:
            self.page += 1
            self.used = 0


_PRINTED_NUMBER_RE = re.compile(r"\d{1,4}")


@dataclass(frozen=True)
class PageNumbering:
    """How the physical pages of a PDF map to the script's own page numbers.

    `printed` holds the page number each PDF page prints ("12A"), where it prints one; pages without one
    (often page 1) are numbered from their neighbours; without printed numbers at all, the first page after
    the title page(s) is page 1.
    """

    printed: dict[int, str]
    first_script_page: int = 1

    def script_page(self, pdf_page: int) -> int:
        if not self.printed:
            return max(1, pdf_page - self.first_script_page + 1)
        if pdf_page in self.printed:
            return _numeric(self.printed[pdf_page])
        following = [page for page in self.printed if page > pdf_page]
        anchor = min(following) if following else max(self.printed)
        return max(1, _numeric(self.printed[anchor]) - (anchor - pdf_page))


def _numeric(printed: str) -> int:
    found = _PRINTED_NUMBER_RE.search(printed)
    return max(1, int(found.group(0))) if found else 1


def consistent_page_numbers(printed: dict[int, str], pdf_pages: int) -> dict[int, str]:
    """Keep printed page numbers only when they read as a page sequence: found on at least a third of the
    pages and rising from page to page (A-pages repeat a number); anything else was not a page number."""
    if len(printed) < max(2, pdf_pages / 3):
        return {}
    ordered = [_numeric(printed[page]) for page in sorted(printed)]
    rising = sum(1 for before, after in zip(ordered, ordered[1:], strict=False) if 0 <= after - before <= 3)
    return printed if rising >= 0.85 * (len(ordered) - 1) else {}


@dataclass
class _SceneDraft:
    heading: str
    parts: HeadingParts | None
    page_start: int
    page_end: int
    lines: int = 0
    elements: list[Element] = field(default_factory=list)
    printed_start: str | None = None
    printed_end: str | None = None

    def note_printed(self, printed: str | None) -> None:
        if printed is not None:
            self.printed_start = self.printed_start or printed
            self.printed_end = printed


_RETURN_RE = re.compile(
    r"\b(?:BACK\s+TO|RETURN\s+TO|INTERCUT|INTER-CUT|POWR[OÓ]T\s+DO|RETOUR|ZUR[UÜ]CK|VOLVEMOS)\b", re.IGNORECASE
)


def _place_key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", text.upper()).strip()


def _within(draft: _SceneDraft, current: _SceneDraft) -> bool:
    """An unnumbered slugline in a numbered script belongs to the numbered scene it sits in when it cuts
    back to a place ("BACK TO:", "INTERCUT"), names a place the scene's heading lists (an intercut heading),
    or stays at the scene's own place; a new place with its own action is a scene of its own."""
    before = current.elements[-1] if current.elements else None
    cut = before is not None and (
        before.type in ("transition", "shot") or (before.type == "action" and len(before.text) <= 30)
    )
    if cut and before is not None and before.text.upper() == before.text and _RETURN_RE.search(before.text):
        return True
    if draft.parts is None or not draft.parts.location:
        return True
    place = _place_key(draft.parts.location.split(" - ")[0])
    heading = _place_key(current.parts.text if current.parts else current.heading)
    return bool(place) and place in heading


class ScreenplayBuilder:
    """Collects headings and elements in reading order; text before the first heading becomes scene 0."""

    def __init__(
        self,
        script_format: ScriptFormat,
        lines_per_page: int = LINES_PER_PAGE,
        numbering: PageNumbering | None = None,
    ) -> None:
        """Pages given to `heading`, `add` and friends are PDF pages when `numbering` is set (mapped to script
        pages when the screenplay is built), else script pages."""
        self.format: ScriptFormat = script_format
        self.lines_per_page = lines_per_page
        self.numbering = numbering
        self._prelude = _SceneDraft("", None, 1, 1)
        self._scenes: list[_SceneDraft] = []
        self._prelude_started = False

    @property
    def heading_count(self) -> int:
        return len(self._scenes)

    @property
    def current(self) -> _SceneDraft:
        return self._scenes[-1] if self._scenes else self._prelude

    def heading(
        self, text: str, parts: HeadingParts | None, *, page: int, lines: int = 2, printed: str | None = None
    ) -> None:
        """`printed` (like in `add`) is the printed page the line sits on, when pages break mid-sheet."""
        draft = _SceneDraft(text, parts, page, page, lines=lines)
        draft.note_printed(printed)
        self._scenes.append(draft)

    def add(self, element: Element, *, page: int, lines: int, printed: str | None = None) -> None:
        scene = self.current
        if scene is self._prelude and not self._prelude_started:
            scene.page_start = scene.page_end = page
            self._prelude_started = True
        scene.elements.append(element)
        scene.page_end = max(scene.page_end, page)
        scene.lines += lines
        scene.note_printed(printed)

    def last_element(self) -> Element | None:
        elements = self.current.elements
        return elements[-1] if elements else None

    def take_last(self) -> Element:
        """Remove and return the last element of the current scene (a line that turns out to name the next)."""
        return self.current.elements.pop()

    def extend_last(
        self, text: str, *, page: int, lines: int, separator: str = " ", printed: str | None = None
    ) -> None:
        """Append text to the last element (a speech or paragraph continued over a page break)."""
        scene = self.current
        last = scene.elements[-1]
        last.text = f"{last.text}{separator}{text}" if last.text else text
        scene.page_end = max(scene.page_end, page)
        scene.lines += lines
        scene.note_printed(printed)

    def note_lines(self, page: int, lines: int, printed: str | None = None) -> None:
        """Count lines that belong to the scene but produce no element (used for eighths)."""
        scene = self.current
        scene.page_end = max(scene.page_end, page)
        scene.lines += lines
        scene.note_printed(printed)

    def build(self, *, title: str | None, title_page: dict[str, str], pages: int) -> Screenplay:
        """`pages` counts the script's pages (PDF: all pages of the file)."""
        scenes: list[ParsedScene] = []
        if self._prelude.elements:
            scenes.append(self._scene(0, self._prelude, None))
        for number, (draft, master) in enumerate(self._placed_scenes(), start=1):
            scenes.append(self._scene(number, draft, master))
        if self.numbering is not None:
            pages = self.numbering.script_page(pages)
        last_page = max([pages, *(scene.page_end for scene in scenes)]) if scenes else pages
        return Screenplay(
            format=self.format, title=title, title_page=title_page, pages=max(last_page, 0), scenes=scenes
        )

    def _placed_scenes(self) -> list[tuple[_SceneDraft, HeadingParts | None]]:
        """The scenes, each with the slugline in force before it (where a numbered shot is shot).

        In a printed script that numbers its scenes, the numbers are the scenes, as a script supervisor reads
        them: an unnumbered slugline is a place within the numbered scene (an intercut, a sub-location), and a
        number printed again (an insert of an earlier scene, a page printed twice) is no new scene; both stay
        in the scene as a `shot` element. An unnumbered slugline directly over a numbered shot sets where that
        shot is. (Fountain and Final Draft files are the writer's own: every heading there is a scene.)
        """
        drafts = self._scenes
        numbered = sum(1 for draft in drafts if draft.parts is not None and draft.parts.label is not None)
        follow_numbers = self.format in ("pdf", "text") and numbered >= 0.6 * len(drafts)
        placed: list[tuple[_SceneDraft, HeadingParts | None]] = []
        place: HeadingParts | None = None
        carried: list[Element] = []
        seen: set[str] = set()
        for index, draft in enumerate(drafts):
            parts = draft.parts
            label = parts.label if parts is not None else None
            unnumbered = parts is not None and (label is None or label in seen)
            if label is not None:
                seen.add(label)
            if follow_numbers and unnumbered and placed and (label is not None or _within(draft, placed[-1][0])):
                heading = Element(type="shot", text=draft.heading)
                following = drafts[index + 1] if index + 1 < len(drafts) else None
                numbered_shot = (
                    following is not None and following.parts is not None
                    and following.parts.label is not None and following.parts.setting is None
                )
                if not draft.elements and numbered_shot:
                    carried = [heading]
                else:
                    previous = placed[-1][0]
                    previous.elements.extend([heading, *draft.elements])
                    previous.lines += draft.lines
                    previous.page_end = max(previous.page_end, draft.page_end)
                if parts is not None and parts.setting is not None:
                    place = parts
                continue
            if carried:
                draft.elements[:0] = carried
                carried = []
            placed.append((draft, place))
            if parts is not None and parts.setting is not None:
                place = parts
        return placed

    def _scene(self, number: int, draft: _SceneDraft, master: HeadingParts | None) -> ParsedScene:
        """A numbered shot ("2  A MAN'S EYE  2") has no setting of its own: it is shot where the scene
        heading before it says, so it takes that heading's setting, location and time of day."""
        parts = draft.parts
        shot = parts is not None and parts.setting is None and (parts.kind == "shot" or parts.label is not None)
        place = master if shot else parts
        first, last = max(draft.page_start, 1), max(draft.page_end, draft.page_start, 1)
        numbering = self.numbering
        printed_start = draft.printed_start or (numbering.printed.get(first) if numbering else None)
        printed_end = draft.printed_end or (numbering.printed.get(last) if numbering else None)
        return ParsedScene(
            number=number,
            label=parts.label if parts else None,
            heading=parts.text if parts else draft.heading,
            setting=place.setting if place else None,
            location=place.location if place else "",
            time_of_day=(parts.time_of_day if parts and parts.time_of_day else None)
            or (place.time_of_day if place and parts else None),
            page_start=_numeric(printed_start) if printed_start else numbering.script_page(first) if numbering
            else first,
            page_end=_numeric(printed_end) if printed_end else numbering.script_page(last) if numbering else last,
            printed_page_start=printed_start,
            printed_page_end=printed_end,
            pdf_page_start=first if numbering else None,
            pdf_page_end=last if numbering else None,
            eighths=eighths_for_lines(draft.lines, self.lines_per_page),
            elements=draft.elements,
        )
