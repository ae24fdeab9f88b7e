"""Screenplay parsers: PDF, Final Draft, Fountain and plain text, chosen by what the bytes really are."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any, Literal

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.domain.screenplay import Screenplay, ScriptFormat
from cortexreel.errors import FileTooLargeError, InvalidInputError, ParseError, UnsupportedFileError
from cortexreel.parsing.fdx import parse_fdx
from cortexreel.parsing.fountain import parse_fountain
from cortexreel.parsing.guard import MUPDF_ERRORS, check_pdf, check_scenes, check_text
from cortexreel.parsing.pdf import parse_pdf
from cortexreel.parsing.text import looks_like_layout_text, parse_text

__all__ = ["check_upload", "detect_format", "parse_screenplay", "screenplay_to_json"]

DetectedFormat = Literal["pdf", "fdx", "fountain", "text"]

_BINARY_SIGNATURES: dict[bytes, str] = {
    b"PK\x03\x04": "a ZIP archive or Word/Pages document",
    b"\xd0\xcf\x11\xe0": "an old Word document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
}
_FDX_ROOT_RE = re.compile(rb"<FinalDraft[\s>]")
_NAMED = {".pdf": "PDF", ".fdx": "Final Draft (.fdx)"}


def _utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-be" or "utf-16-le" when the start looks like UTF-16 text without a byte-order mark: Latin text
    in UTF-16 has a zero in every other byte, always on the same side."""
    head = data[:4096]
    half = len(head) // 2
    if half < 4:
        return None
    even, odd = head[0 : half * 2 : 2].count(0), head[1 : half * 2 : 2].count(0)
    if even >= half * 0.4 and odd == 0:
        return "utf-16-be"
    if odd >= half * 0.4 and even == 0:
        return "utf-16-le"
    return None


def _decode(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        utf16 = _utf16_without_bom(data)
        encodings = (utf16,) if utf16 else ("utf-8-sig",)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def detect_format(data: bytes) -> DetectedFormat:
    """Decide the format from content: PDF magic, a FinalDraft XML root, else Fountain or laid-out text."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    for signature, description in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise UnsupportedFileError(
                f"This file is {description}, not a screenplay. Upload a PDF, Final Draft (.fdx), Fountain "
                "or plain-text script."
            )
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        if _FDX_ROOT_RE.search(data[:4096]):
            return "fdx"
        raise UnsupportedFileError(
            "This XML or HTML file is not a Final Draft screenplay. Upload a PDF, Final Draft (.fdx), "
            "Fountain or plain-text script."
        )
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data) is not None
    if b"\x00" in data[:4096] and not utf16:
        raise UnsupportedFileError(
            "This file is not text and not a PDF, so it cannot be read as a screenplay."
        )
    return "text" if looks_like_layout_text(_decode(data[:200_000])) else "fountain"


# Text up to this size is parsed during the upload (a 600-page script is about 0.7 MB and parses in a quarter of a
# second); a larger file is left to the background parse, so an upload never waits long.
CHECKED_TEXT_BYTES = 2 * 1024 * 1024


def check_upload(
    data: bytes, filename: str, *, max_pages: int = 600, max_bytes: int = 50 * 1024 * 1024
) -> ScriptFormat:
    """What an upload is, refusing at once what cannot be a screenplay: a name that contradicts the content, and
    text (it parses in milliseconds) with no scene heading — PDFs and huge text files are left to the background
    parse.

    A `.txt` file is "text" whether its lines are laid out like a printed page or written in Fountain's plain
    form: that is the file's kind as its owner knows it."""
    detected = detect_format(data)
    _check_suffix(detected, filename)
    if detected in ("fountain", "text") and len(data) <= CHECKED_TEXT_BYTES:
        parse_screenplay(data, filename, max_pages=max_pages, max_bytes=max_bytes)
    if detected in ("fountain", "text") and PurePath(filename).suffix.lower() == ".txt":
        return "text"
    return detected


def _check_suffix(detected: DetectedFormat, filename: str) -> None:
    suffix = PurePath(filename).suffix.lower()
    expected = {".pdf": "pdf", ".fdx": "fdx"}.get(suffix)
    if expected is not None and expected != detected:
        raise UnsupportedFileError(
            f"The file is named {suffix} but its content is not a {_NAMED[suffix]} file. Check that you "
            "picked the right file, or export it again from your writing program."
        )


def parse_screenplay(
    data: bytes,
    filename: str,
    *,
    max_pages: int = 600,
    max_bytes: int = 50 * 1024 * 1024,
    allow_unstructured: bool = False,
    limits: ParseLimits | None = None,
) -> Screenplay:
    """Parse an uploaded screenplay. Every failure is a CortexReelError with a message for the user.

    The pre-checks of `cortexreel.parsing.guard` run first with `limits` (which, when given, also set the page
    and size limits). This reads in the
    calling process: for files from users, go through `cortexreel.parsing.sandbox`, which runs it in a child
    process with hard limits."""
    limits = limits or ParseLimits(max_pages=max_pages, max_bytes=max_bytes)
    max_pages, max_bytes = limits.max_pages, limits.max_bytes
    if not data or not data.strip():
        raise InvalidInputError("The file is empty.")
    if len(data) > max_bytes:
        raise FileTooLargeError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB.",
            detail=f"bytes={len(data)}",
        )
    detected = detect_format(data)
    _check_suffix(detected, filename)
    warnings: list[str] = []
    if detected == "pdf":
        try:
            warnings = check_pdf(data, limits)
            screenplay = parse_pdf(
                data, max_pages=max_pages, allow_unstructured=allow_unstructured, ocr_dpi=limits.ocr_dpi
            )
        except MUPDF_ERRORS as exc:  # on structures MuPDF cannot read (a fuzz run finds them)
            raise ParseError(
                "This PDF is damaged and cannot be read. Try exporting it again from your writing program.",
                detail=repr(exc),
            ) from exc
    elif detected == "fdx":
        screenplay = parse_fdx(data)
    else:
        text = _decode(data)
        check_text(text, limits)
        if detected == "text":
            screenplay = parse_text(text, allow_unstructured=allow_unstructured)
        else:
            screenplay = parse_fountain(text)
    check_scenes(screenplay, limits)
    if not allow_unstructured and not any(scene.number > 0 for scene in screenplay.scenes):
        raise ParseError(
            "No scene headings (like \"INT. KITCHEN - DAY\") were found, so this file does not look like a "
            "screenplay."
        )
    if screenplay.pages > max_pages:
        raise FileTooLargeError(
            f"This script is about {screenplay.pages} pages; the limit is {max_pages}.",
            detail=f"pages={screenplay.pages}",
        )
    return screenplay.model_copy(update={"warnings": [*screenplay.warnings, *warnings]}) if warnings else screenplay


def screenplay_to_json(sp: Screenplay) -> dict[str, Any]:
    """The stable JSON shape of a parse: title, pages and scenes with their elements.

    Pages: `page_start`/`page_end` are the script's own page numbers (the printed number where the page prints
    one, "12A" counting as 12; estimated elsewhere); `printed_page_*` are the numbers exactly as printed, or
    null; `pdf_page_*` are physical pages of the PDF file (1 = its first page), null for other formats.
    """
    return {
        "title": sp.title,
        "pages": sp.pages,
        "scenes": [
            {
                "number": scene.number,
                "heading": scene.heading,
                "setting": scene.setting,
                "location": scene.location,
                "time_of_day": scene.time_of_day,
                "page_start": scene.page_start,
                "page_end": scene.page_end,
                "printed_page_start": scene.printed_page_start,
                "printed_page_end": scene.printed_page_end,
                "pdf_page_start": scene.pdf_page_start,
                "pdf_page_end": scene.pdf_page_end,
                "characters": scene.characters,
                "elements": [
                    {"type": e.type, "text": e.text, "character": e.character, "dual": e.dual}
                    for e in scene.elements
                ],
            }
            for scene in sp.scenes
        ],
    }
