"""Real studio and spec screenplay PDFs (../shared/fixtures/real) against hand-made labels: scene count within
±2 %, ≥ 95 % of cues, first and last headings, no furniture, sampled speakers and spot-checked scenes.
Skipped, with the reason, when the PDFs are not beside the repository."""

from __future__ import annotations

import os

import pytest

from cortexreel.parsing import parse_screenplay
from tests.real_corpus import REAL_PDFS, labels, score

# Known shortfalls, each a strict xfail: when the parser gets one right, the test says so and the entry goes.
KNOWN = {
    "Harry_Potter_And_The_Chamber_Of_Secrets.pdf": "re-typeset: its printed pages break mid-sheet, sometimes "
    "at a bare page number rather than a running header, so two spot checks are a printed page off",
    "Unpromised_Land.pdf": "SCENA numbers are followed, so the two sub-headings of SCENA 42 and the alternative "
    "SCENA 66 stay in their scenes (67 scenes; the labels count 69 sluglines), and one cue is printed in mixed "
    "case (Radio)",
    "When_Harry_Met_Sally.pdf": "the scan's own OCR layer splits and garbles lines (COlffINOEO:); it is read as "
    "text, not re-recognised, so most headings and cues are lost",
}
# Minutes of Tesseract OCR (77 scanned pages): run with CORTEXREEL_TEST_OCR_CORPUS=1 or bench/parse_accuracy.py.
SLOW_OCR = {"Toy_Story_2.pdf"}
LABELS = labels()
pytestmark = pytest.mark.skipif(
    not REAL_PDFS.is_dir(), reason=f"real screenplay PDFs not found at {REAL_PDFS} (the shared/ folder beside the repo)"
)


def _marks(name: str) -> list[pytest.MarkDecorator]:
    marks = [pytest.mark.xfail(reason=KNOWN[name], strict=True)] if name in KNOWN else []
    if name in SLOW_OCR:
        marks.append(pytest.mark.skipif(
            os.environ.get("CORTEXREEL_TEST_OCR_CORPUS") != "1",
            reason="a 77-page scan takes minutes of OCR: set CORTEXREEL_TEST_OCR_CORPUS=1 to run it",
        ))
    return marks


@pytest.mark.parametrize(
    "label", [pytest.param(label, id=label["file"], marks=_marks(label["file"])) for label in LABELS]
)
def test_real_pdf_parses_as_a_script_supervisor_reads_it(label: dict[str, object]) -> None:
    path = REAL_PDFS / str(label["file"])
    if not path.exists():
        pytest.skip(f"{path.name} is not in {REAL_PDFS}")
    screenplay = parse_screenplay(path.read_bytes(), path.name)
    result = score(screenplay, label)
    assert not result.problems(), f"{result.row()}\n" + "\n".join(result.problems())
