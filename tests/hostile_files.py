"""Hostile files, generated: small files with the amplification of the ones a probe used against the app.

Each builder returns bytes; none is stored in the repository. Used by tests/security/ and bench/hostile_inputs.py.
"""

from __future__ import annotations

import random
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pymupdf

from cortexreel.parsing.fountain import parse_fountain
from tests.parsing_helpers import RenderOptions, generated_script, render_pdf

_FITZ: Any = pymupdf
_MB = 1024 * 1024


def screenplay_pdf(pages: int = 3) -> bytes:
    """A normal screenplay PDF of about `pages` pages."""
    return render_pdf(parse_fountain(generated_script(pages)), RenderOptions())


def _one_page(content: bytes, *, width: float = 612, height: float = 792) -> tuple[Any, Any]:
    """A document with one page that shows a heading, its content stream replaced by `content`."""
    document = _FITZ.open()
    page = document.new_page(width=width, height=height)
    page.insert_text((72, 72), "INT. HOUSE - DAY", fontname="cour")
    xref = page.get_contents()[0]
    document.update_stream(xref, content)
    return document, page


def text_show_bomb(operations: int = 400_000) -> bytes:
    """One page showing `operations` one-letter strings, each at its own place so none merge: PyMuPDF builds
    ~3 KB per string (400,000 in a ~2 MB file asks for more than a gigabyte)."""
    places = random.Random(7)
    ops = b"".join(
        b"1 0 0 1 %d %d Tm (x) Tj " % (places.randrange(600), places.randrange(780)) for _ in range(operations)
    )
    document, page = _one_page(b"")
    _set_flate(document, page.get_contents()[0], b"BT /F1 12 Tf " + ops + b"ET")
    return bytes(document.tobytes())


def form_bomb(strings: int = 1000, draws: int = 1000, *, image_draws: int = 0) -> bytes:
    """A small form of `strings` strings, drawn `draws` times on one page: the text multiplies. With
    `image_draws`, a small image is drawn that many times too (which multiplies nothing)."""
    document, page = _one_page(b"")
    form = _FITZ.open()
    form_page = form.new_page()
    form_page.insert_text((72, 72), "\n".join("x" for _ in range(strings)), fontname="cour", fontsize=1)
    page.show_pdf_page(page.rect, form, 0)
    name = page.get_xobjects()[0][1]
    content = b"".join(b"q 1 0 0 1 %d 0 cm /%s Do Q " % (i % 50, name.encode()) for i in range(draws))
    if image_draws:
        page.insert_image(_FITZ.Rect(0, 0, 8, 8), pixmap=_FITZ.Pixmap(_FITZ.csGRAY, _FITZ.IRect(0, 0, 8, 8), False))
        image = page.get_images()[0][7].encode()
        content += b"".join(b"q 8 0 0 8 %d 0 cm /%s Do Q " % (i * 8, image) for i in range(image_draws))
    document.update_stream(page.get_contents()[0], content)
    return bytes(document.tobytes(deflate=True))


def _flate_of_zeros(megabytes: int) -> bytes:
    """A zlib stream of `megabytes` MB of zeros, built in milliseconds: after a full flush a deflate block does
    not refer back, so one compressed megabyte can be repeated; the checksum is computed for the whole."""
    packer = zlib.compressobj(9)
    block = bytes(_MB)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(megabytes):
        checksum = zlib.adler32(block, checksum)
    final_empty_block = b"\x03\x00"
    return first + repeat * (megabytes - 1) + final_empty_block + struct.pack(">I", checksum)


def _set_flate(document: Any, xref: int, data: bytes) -> None:
    document.update_stream(xref, zlib.compress(data, 9), compress=False)
    document.xref_set_key(xref, "Filter", "/FlateDecode")


def deflate_bomb(inflated_mb: int = 1024, *, declared: tuple[int, int] = (2550, 3300)) -> bytes:
    """A page with no text whose one image is a Flate stream inflating to `inflated_mb` (the probe's 1.9 MB file
    inflated to ~1 GiB); the image claims a scanned page's size, so only inflating tells."""
    document, page = _one_page(b"")
    page.insert_image(page.rect, pixmap=_FITZ.Pixmap(_FITZ.csGRAY, _FITZ.IRect(0, 0, 8, 8), False))
    xref = page.get_images()[0][0]
    document.update_stream(xref, _flate_of_zeros(inflated_mb), compress=False)
    document.xref_set_key(xref, "Filter", "/FlateDecode")
    document.xref_set_key(xref, "DecodeParms", "null")
    document.xref_set_key(xref, "Width", str(declared[0]))
    document.xref_set_key(xref, "Height", str(declared[1]))
    document.update_stream(page.get_contents()[0], b"q 612 0 0 792 0 0 cm /%s Do Q" % page.get_images()[0][7].encode())
    return bytes(document.tobytes())


def pixel_bomb(side: int = 32_768) -> bytes:
    """A page with one gray image of side x side pixels (1 GiB at the default), all zero, in about 1 MB."""
    return deflate_bomb(max(1, side * side // _MB), declared=(side, side))


def giant_page(inches: int = 200) -> bytes:
    """A blank page `inches` on a side: no text, so OCR would render it (60,000 pixels a side at 300 dpi)."""
    document = _FITZ.open()
    document.new_page(width=inches * 72, height=inches * 72)
    return bytes(document.tobytes())


def truncated_pdf(pages: int = 40, keep: float = 0.3) -> bytes:
    """A screenplay PDF cut short: MuPDF repairs it silently and reads the pages that survived."""
    data = screenplay_pdf(pages)
    return data[: int(len(data) * keep)]


def broken_xref_pdf(pages: int = 3) -> bytes:
    """A complete screenplay PDF whose cross-reference offset points nowhere: MuPDF rebuilds the table."""
    data = screenplay_pdf(pages)
    at = data.rindex(b"startxref") + len(b"startxref")
    return data[:at] + b"\n1\n%%EOF\n"


def long_line_text(size: int = 10 * _MB) -> bytes:
    """A heading and then one line of `size` characters: one scene, one element, gigabytes to lay out."""
    return b"INT. HOUSE - DAY\n\n" + b"word " * (size // 5)


def huge_scene_text(size: int = 10 * _MB) -> bytes:
    """A heading and then `size` bytes of ordinary lines: every line is short, the scene is not."""
    line = b"He walks across the room and looks out of the window.\n\n"
    return b"INT. HOUSE - DAY\n\n" + line * (size // len(line))


_FDX_BODY = (
    b'<Content><Paragraph Type="Scene Heading"><Text>INT. HOUSE - DAY</Text></Paragraph>'
    b'<Paragraph Type="Action"><Text>&e;</Text></Paragraph></Content></FinalDraft>'
)


def billion_laughs_fdx(levels: int = 10) -> bytes:
    """Nested internal entities: each level references the one below ten times (10^levels expansions)."""
    entities = [b'<!ENTITY e0 "lol">']
    for level in range(1, levels):
        entities.append(b'<!ENTITY e%d "%s">' % (level, b"&e%d;" % (level - 1) * 10))
    entities.append(b'<!ENTITY e "&e%d;">' % (levels - 1))
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE FinalDraft [' + b"".join(entities) + b']>\n'
        b'<FinalDraft DocumentType="Script" Version="5">' + _FDX_BODY
    )


def xxe_fdx(target: str = "file:///etc/passwd") -> bytes:
    """An external entity that asks the reader to include a file from the server."""
    return (
        b'<?xml version="1.0"?>\n<!DOCTYPE FinalDraft [<!ENTITY e SYSTEM "%s">]>\n'
        b'<FinalDraft DocumentType="Script" Version="5">' % target.encode() + _FDX_BODY
    )


def utf16be_without_bom() -> bytes:
    """A Fountain script saved as UTF-16 big-endian with no byte-order mark."""
    return generated_script(2).encode("utf-16-be")


@dataclass(frozen=True)
class Hostile:
    name: str
    filename: str
    build: Callable[[], bytes]


HOSTILE_FILES: tuple[Hostile, ...] = (
    Hostile("text-show bomb (400k strings on a page)", "bomb.pdf", text_show_bomb),
    Hostile("form drawn 1000 times", "forms.pdf", form_bomb),
    Hostile("deflate bomb (1 GiB image stream)", "deflate.pdf", deflate_bomb),
    Hostile("pixel bomb (32,768 x 32,768 image)", "pixels.pdf", pixel_bomb),
    Hostile("giant page (200 x 200 in)", "giant.pdf", giant_page),
    Hostile("PDF cut to 30%", "cut.pdf", truncated_pdf),
    Hostile("10 MB single line", "line.fountain", long_line_text),
    Hostile("10 MB scene", "scene.fountain", huge_scene_text),
    Hostile("billion laughs FDX", "laughs.fdx", billion_laughs_fdx),
    Hostile("XXE FDX", "xxe.fdx", xxe_fdx),
    Hostile("UTF-16BE without BOM", "utf16.fountain", utf16be_without_bom),
)


@contextmanager
def ticking_thread(interval: float = 0.01) -> Iterator[list[float]]:
    """A thread that ticks every `interval` seconds while the block runs. Afterwards the list holds the gaps
    between its ticks: the longest is what a user of another session of the app would have waited."""
    ticks: list[float] = []
    done = threading.Event()

    def tick() -> None:
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(interval)

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    gaps: list[float] = []
    try:
        yield gaps
    finally:
        done.set()
        ticker.join()
        gaps.extend(after - before for before, after in zip(ticks, ticks[1:], strict=False))
