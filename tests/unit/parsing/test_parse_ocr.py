"""Scanned PDFs (pages that are pictures, no text layer): read through PyMuPDF's OCR with Tesseract's data,
or refused with a clear message when Tesseract is not installed.

The scans are made here: a screenplay rendered by the test helper, each page rasterised at 150 dpi and
placed as an image on a new page. OCR output is noisier than a text layer, so the tests check headings and
speakers, not every word. They need Debian's tesseract-ocr and tesseract-ocr-eng (CI installs both).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pymupdf
import pytest

from cortexreel.errors import ScannedPdfError
from cortexreel.parsing.fountain import parse_fountain
from cortexreel.parsing.pdf import find_tessdata, parse_pdf
from tests.parsing_helpers import RenderOptions, render_pdf, scan_pdf

FITZ: Any = pymupdf
TESSDATA = find_tessdata()
needs_tesseract = pytest.mark.skipif(
    TESSDATA is None, reason="Tesseract language data not found: apt-get install tesseract-ocr tesseract-ocr-eng"
)

SCRIPT = """Title: SCAN TEST

INT. KITCHEN - DAY

Anna drops her keys on the counter and looks around the empty room.

ANNA
Anybody home?

BOB (O.S.)
(from upstairs)
Up here, in the attic!

EXT. GARDEN - NIGHT

Rain on the roses.

CAROL
Who left the gate open?

ANNA
Not me.
"""


@pytest.fixture(scope="module")
def scanned() -> bytes:
    reference = parse_fountain(SCRIPT)
    data = scan_pdf(render_pdf(reference, RenderOptions(lines_per_page=14, scene_numbers="left")))
    assert FITZ.open(stream=data, filetype="pdf")[0].get_text().strip() == ""  # really a scan
    return data


@needs_tesseract
def test_scan_is_read_by_ocr(scanned: bytes) -> None:
    parsed = parse_pdf(scanned, ocr_dpi=150)
    scenes = [scene for scene in parsed.scenes if scene.number > 0]
    assert [(scene.setting, scene.location, scene.time_of_day) for scene in scenes] == [
        ("INT", "KITCHEN", "DAY"), ("EXT", "GARDEN", "NIGHT"),
    ]
    assert [scene.label for scene in scenes] == ["1", "2"]
    assert [scene.characters for scene in scenes] == [["ANNA", "BOB"], ["CAROL", "ANNA"]]
    cue = next(e for e in scenes[0].elements if e.type == "character" and e.character == "BOB")
    assert "O.S." in (cue.extension or "")  # OCR may misread the parenthesis as "0" or "C"
    words = " ".join(e.text for e in scenes[1].elements if e.type == "dialogue")
    assert "gate" in words and "Not me" in words
    assert parsed.pages >= 2


def test_scan_without_tesseract_says_what_to_install(scanned: bytes) -> None:
    with pytest.raises(ScannedPdfError, match="tesseract-ocr"):
        parse_pdf(scanned, tessdata_finder=lambda: None)


def test_broken_ocr_data_is_a_clear_error(scanned: bytes, tmp_path: Path) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"not a model")
    with pytest.raises(ScannedPdfError, match="OCR"):
        parse_pdf(scanned, tessdata_finder=lambda: str(tmp_path))


def test_tessdata_prefix_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "eng.traineddata").write_bytes(b"")
    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))
    assert find_tessdata() == str(tmp_path)
    assert find_tessdata("xyz") != str(tmp_path)  # a folder without the language is not taken
