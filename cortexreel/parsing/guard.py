"""Cheap checks that refuse a file built to overload the reader, before the reader touches it.

A PDF's cost hides behind compression: a few hundred kilobytes can hold a stream that inflates to gigabytes,
a page that shows millions of strings (PyMuPDF builds a dict of about 3 KB for each), or an image or page so
large that rendering it for OCR needs gigabytes. These checks read the document's structure and inflate its
streams through a capped `zlib` decompressor that counts and discards, so memory stays flat and a bomb is
refused in a fraction of a second. They are the first line; the child process's hard limits
(`cortexreel.parsing.sandbox`) are the wall behind them for whatever these do not measure.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pymupdf

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.domain.screenplay import Screenplay
from cortexreel.errors import FileTooLargeError, RefusedFileError
from cortexreel.parsing.headings import LINES_PER_PAGE

_MUPDF: Any = pymupdf  # PyMuPDF's type hints are incomplete
# What PyMuPDF raises on structures it cannot read: its own RuntimeErrors and MuPDF's error types.
MUPDF_ERRORS: tuple[type[Exception], ...] = (RuntimeError, _MUPDF.mupdf.FzErrorBase)
_MB = 1024 * 1024
_CHUNK = 256 * 1024
_CHARS_PER_PAGE = 8000  # twice a full page of 55 lines of 70 characters
_FILTER_RE = re.compile(r"/(\w+)")
_FILTERS_RE = re.compile(r"/Filter\s*(\[[^\]]*\]|/\w+)")
_IMAGE_RE = re.compile(r"/Subtype\s*/Image\b")
_WIDTH_RE = re.compile(r"/Width\s+(\d+)\b(?!\s+\d+\s+R)")
_HEIGHT_RE = re.compile(r"/Height\s+(\d+)\b(?!\s+\d+\s+R)")
_DRAW_RE = re.compile(rb"/([^\s/\[\]()<>{}%]{1,127})\s*Do\b")
_OVERLAP = 160  # longer than any "/Name Do" counted
_EXPORT_AGAIN = "Export the script again from your writing program and upload that file."


def refused(what: str, *, detail: str = "") -> RefusedFileError:
    """The one shape of a refusal: what was found, that it was refused unread, and what to do."""
    return RefusedFileError(
        f"This file was refused: {what}. A screenplay never needs that, so the file is damaged or built to "
        f"overload the server. {_EXPORT_AGAIN}",
        detail=detail,
    )


@dataclass(slots=True)
class _Stream:
    inflated: int = 0
    strings: int = 0  # string operands: every text-show operator needs at least one
    draws: Counter[bytes] = field(default_factory=Counter)  # "/Name Do" per form name


@dataclass(slots=True)
class _Tally:
    limits: ParseLimits
    form_names: set[bytes] = field(default_factory=set)  # only these are counted, so the counter stays small
    inflated: int = 0
    streams: dict[int, _Stream] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Page:
    contents: list[int]
    forms: list[tuple[int, bytes, int]]  # (xref, name, xref of the form drawing it or 0 for the page)
    size: tuple[float, float]


def check_pdf(data: bytes, limits: ParseLimits) -> list[str]:
    """Refuse a PDF whose streams, text, objects, images or pages exceed `limits`; return warnings (a repaired
    file, pages without content). A PDF that cannot be opened passes: the parser explains that."""
    try:
        document = _MUPDF.open(stream=data, filetype="pdf")
    except Exception:  # PyMuPDF raises several types for damaged files; the parser reports them
        return []
    try:
        if document.needs_pass or document.is_encrypted or document.page_count > limits.max_pages:
            return []  # the parser refuses these with their own messages
        objects = document.xref_length()
        if objects > limits.max_objects:
            raise refused(f"it holds {objects:,} objects (the limit is {limits.max_objects:,})",
                          detail=f"objects={objects}")
        pages = [_page_parts(page) for page in document]
        text_streams = {xref for page in pages for xref in (*page.contents, *(form[0] for form in page.forms))}
        tally = _Tally(limits, form_names={name for page in pages for _, name, _ in page.forms})
        for xref in range(1, objects):
            _check_stream(document, xref, xref in text_streams, tally)
        total = 0
        for number, page in enumerate(pages, start=1):
            _check_page_size(number, page.size, limits)
            strings = _page_strings(page, tally)
            if strings > limits.max_text_per_page:
                raise refused(
                    f"page {number} shows {strings:,} pieces of text (the limit is {limits.max_text_per_page:,})",
                    detail=f"page={number} strings={strings}",
                )
            total += strings
        if total > limits.max_text_total:
            raise refused(f"its pages show {total:,} pieces of text (the limit is {limits.max_text_total:,})",
                          detail=f"strings={total}")
        return _repair_warnings(document, pages)
    finally:
        document.close()


def check_text(text: str, limits: ParseLimits) -> None:
    """Refuse text far longer than the page limit, or with a line no screenplay has (a single 10 MB line costs
    gigabytes to lay out), before reading it: reading 10 MB of Fountain takes half a minute."""
    lines = text.splitlines()
    longest = max(map(len, lines), default=0)
    if longest > limits.max_line_chars:
        raise RefusedFileError(
            f"This file has a line of {longest:,} characters; a screenplay line is at most "
            f"{limits.max_line_chars:,}. Check that this is the script (not data saved as text), and that its "
            "lines end with line breaks.",
            detail=f"longest_line={longest}",
        )
    # Generous on purpose: a Fountain paragraph may be one long line, laid-out text pads lines with spaces.
    pages = max(len(lines) / LINES_PER_PAGE, len(text) / _CHARS_PER_PAGE)
    if pages > limits.max_pages * 2:
        raise FileTooLargeError(
            f"This text is about {pages:,.0f} pages long; the limit is {limits.max_pages} pages. Split it or upload "
            "a shorter script.",
            detail=f"chars={len(text)} lines={len(lines)}",
        )


def check_scenes(screenplay: Screenplay, limits: ParseLimits) -> None:
    """Refuse a parse with a scene far longer than any screenplay scene: everything downstream (analysis,
    search, the pages) handles text one scene at a time."""
    for scene in screenplay.scenes:
        size = len(scene.heading) + sum(len(element.text) for element in scene.elements)
        if size > limits.max_scene_chars:
            name = f"Scene {scene.label or scene.number}" if scene.number else "The text before the first scene"
            raise RefusedFileError(
                f"{name} is {size:,} characters long; a scene is at most {limits.max_scene_chars:,} characters "
                "(about 100 pages). Check that the file is a screenplay with scene headings.",
                detail=f"scene={scene.number} chars={size}",
            )


def _page_parts(page: Any) -> _Page:
    """A page's content streams, the forms it draws (at any depth) and its size in points."""
    forms = [(int(xref), str(name).encode(), int(invoker)) for xref, name, invoker, _ in page.get_xobjects()]
    return _Page([int(xref) for xref in page.get_contents()], forms, (page.rect.width, page.rect.height))


def _check_page_size(number: int, size: tuple[float, float], limits: ParseLimits) -> None:
    width, height = (abs(side) / 72 for side in size)
    megapixels = width * height * limits.ocr_dpi**2 / 1e6
    if megapixels > limits.max_image_megapixels:
        raise refused(
            f"page {number} is {width:,.0f} by {height:,.0f} inches, too large to read as a picture",
            detail=f"page={number} megapixels={megapixels:.0f}",
        )


def _page_strings(page: _Page, tally: _Tally) -> int:
    """Strings a page shows: its own, plus each form's strings times the times it is drawn, at every depth (a
    form drawn a thousand times shows its text a thousand times)."""
    streams = tally.streams
    known: dict[int, int] = {}

    def drawn(drawer: list[int], children: list[tuple[int, bytes, int]]) -> int:
        draws: Counter[bytes] = Counter()
        for xref in drawer:
            draws.update(streams.get(xref, _Stream()).draws)
        return sum(form_strings(xref) * max(1, draws[name]) for xref, name, _ in children)

    def form_strings(xref: int) -> int:
        if xref not in known:
            known[xref] = streams.get(xref, _Stream()).strings  # also what a form drawing itself counts
            known[xref] += drawn([xref], [form for form in page.forms if form[2] == xref])
        return known[xref]

    own = sum(streams.get(xref, _Stream()).strings for xref in page.contents)
    return own + drawn(page.contents, [form for form in page.forms if form[2] == 0])


def _check_stream(document: Any, xref: int, has_text: bool, tally: _Tally) -> None:
    if not document.xref_is_stream(xref):
        return
    limits = tally.limits
    # The stream's dictionary in one call: PyMuPDF's per-key lookups cost ~70 µs each, on thousands of streams.
    dictionary: str = document.xref_object(xref, compressed=True)
    if _IMAGE_RE.search(dictionary):
        width, height = (_dimension(pattern, dictionary) for pattern in (_WIDTH_RE, _HEIGHT_RE))
        megapixels = width * height / 1e6
        if megapixels > limits.max_image_megapixels:
            raise refused(
                f"it holds a {width:,} by {height:,} pixel image (the limit is {limits.max_image_megapixels} "
                "megapixels)",
                detail=f"xref={xref} megapixels={megapixels:.0f}",
            )
    try:
        raw: bytes = document.xref_stream_raw(xref)
    except Exception:  # a broken stream: the parser skips or reports it
        return
    stream = _Stream()
    found = _FILTERS_RE.search(dictionary)
    _inflate(raw, _FILTER_RE.findall(found.group(1)) if found else [], stream, has_text, tally, xref)
    tally.streams[xref] = stream


def _inflate(raw: bytes, filters: list[str], stream: _Stream, has_text: bool, tally: _Tally, xref: int) -> None:
    """Decode `raw` through its filters as far as can be done cheaply, counting what comes out.

    ASCII filters only shrink data and are decoded; Flate is inflated through a capped decompressor; other
    filters (images, LZW) are counted by their raw size, and the child's memory limit covers them.
    """
    data = raw
    for name in filters:
        try:
            if name in ("ASCIIHexDecode", "AHx"):
                data = binascii.unhexlify(re.sub(rb"\s|>.*", b"", data, flags=re.DOTALL) + b"0" * (len(data) % 2))
            elif name in ("ASCII85Decode", "A85"):
                data = base64.a85decode(data.strip().removesuffix(b"~>"), adobe=False, ignorechars=b" \t\n\r\x0c")
            elif name in ("FlateDecode", "Fl"):
                _count_inflated(data, stream, has_text, tally, xref)
                return
            else:
                break
        except (ValueError, binascii.Error):
            return
    _count(data, stream, has_text, tally, xref)


def _count_inflated(data: bytes, stream: _Stream, has_text: bool, tally: _Tally, xref: int) -> None:
    inflater = zlib.decompressobj()
    pending = data
    tail = b""  # the end of the last chunk, so that a token split between two chunks is still counted
    while pending:
        try:
            chunk = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            return  # damaged data: MuPDF reads what it can, and so much is bounded by what came out so far
        pending = inflater.unconsumed_tail
        if not chunk:
            break
        _count(tail + chunk, stream, has_text, tally, xref, overlap=len(tail))
        tail = chunk[-_OVERLAP:]


def _count(data: bytes, stream: _Stream, has_text: bool, tally: _Tally, xref: int, *, overlap: int = 0) -> None:
    limits = tally.limits
    size = len(data) - overlap
    stream.inflated += size
    tally.inflated += size
    if stream.inflated > limits.max_stream_mb * _MB:
        raise refused(
            f"a compressed part of it inflates to more than {limits.max_stream_mb} MB",
            detail=f"xref={xref} inflated>{stream.inflated}",
        )
    if tally.inflated > limits.max_inflated_mb * _MB:
        raise refused(
            f"its compressed parts inflate to more than {limits.max_inflated_mb} MB in all",
            detail=f"inflated>{tally.inflated}",
        )
    if has_text:
        stream.strings += _strings(data) - _strings(data[:overlap])
        if b"Do" in data:
            for match in _DRAW_RE.finditer(data):
                if match.end() > overlap and match.group(1) in tally.form_names:
                    stream.draws[match.group(1)] += 1


def _strings(data: bytes) -> int:
    """Literal "(...)" and hex "<...>" strings, roughly: "<<" opens a dictionary, not a string."""
    return data.count(b"(") + data.count(b"<") - 2 * data.count(b"<<")


def _dimension(pattern: re.Pattern[str], dictionary: str) -> int:
    found = pattern.search(dictionary)
    return int(found.group(1)) if found else 0  # an indirect size is rare; the inflate cap still applies


def _repair_warnings(document: Any, pages: list[_Page]) -> list[str]:
    """A PDF that is cut short or damaged is repaired by MuPDF without a word; say so, and how much is lost."""
    if not document.is_repaired:
        return []
    empty = sum(1 for page in pages if not any(document.xref_is_stream(xref) for xref in page.contents))
    if empty:
        return [
            f"This PDF is damaged (it may have been cut short) and had to be repaired to be read: {empty} of its "
            f"{len(pages)} pages have no readable content, so scenes are missing. Upload the complete file."
        ]
    return [
        f"This PDF's structure is damaged and had to be repaired to be read; all {len(pages)} pages were read. "
        "If scenes seem to be missing, export the script again from your writing program."
    ]
