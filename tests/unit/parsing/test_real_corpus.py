"""Real studio and spec screenplay PDFs (../shared/fixtures/real) against hand-made labels: scene count within
±2 %, ≥ 95 % of cues, first and last headings, no furniture, sampled speakers and spot-checked scenes.
Skipped, with the reason, when the PDFs are not beside the repository."""

from __future__ import annotations

import pytest

from cortexreel.parsing import parse_screenplay
from tests.real_corpus import REAL_PDFS, labels, score

LABELS = labels()
pytestmark = pytest.mark.skipif(
    not REAL_PDFS.is_dir(), reason=f"real screenplay PDFs not found at {REAL_PDFS} (the shared/ folder beside the repo)"
)


@pytest.mark.parametrize("label", LABELS, ids=[label["file"] for label in LABELS])
def test_real_pdf_parses_as_a_script_supervisor_reads_it(label: dict[str, object]) -> None:
    path = REAL_PDFS / str(label["file"])
    if not path.exists():
        pytest.skip(f"{path.name} is not in {REAL_PDFS}")
    screenplay = parse_screenplay(path.read_bytes(), path.name)
    result = score(screenplay, label)  # type: ignore[arg-type]
    assert not result.problems(), f"{result.row()}\n" + "\n".join(result.problems())
