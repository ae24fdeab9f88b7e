"""Optional: the real screenplays in ../shared/fixtures (beside the repo). PDF and FDX parses must agree
with the Fountain parse of the same script; skipped when the folder is not there."""

from __future__ import annotations

from pathlib import Path

import pytest

from cortexreel.parsing import parse_screenplay
from cortexreel.parsing.compare import compare

REPO_ROOT = Path(__file__).resolve().parents[3]
CORPUS = (REPO_ROOT / ".." / "shared" / "fixtures" / "screenplays").resolve()
NAMES = sorted(path.stem for path in CORPUS.glob("*.fountain")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(
    not NAMES, reason=f"screenplay corpus not found at {CORPUS} (the shared/ folder beside the repository)"
)


@pytest.mark.parametrize("name", NAMES or ["none"])
@pytest.mark.parametrize("suffix", [".pdf", ".fdx"])
def test_corpus_agrees_with_fountain(name: str, suffix: str) -> None:
    path = CORPUS / f"{name}{suffix}"
    if not path.exists():
        pytest.skip(f"{path.name} not in the corpus")
    reference = parse_screenplay((CORPUS / f"{name}.fountain").read_bytes(), f"{name}.fountain")
    parsed = parse_screenplay(path.read_bytes(), path.name)
    # Forced Fountain headings (".SCOTT") print exactly like action, so they are compared as action:
    # font, size, bold flag, indent and blank lines before and after are the same as for all-caps action
    # such as "ON WILL AND SANDRA" in Big-Fish; nothing in the PDF tells them apart.
    agreement = compare(reference, parsed, printable=True)
    summary = f"{path.name}: {agreement.format()}"
    assert agreement.heading_f1 >= 0.99, summary
    assert agreement.speaker_f1 >= 0.99, summary
    assert agreement.word_recall >= 0.99 and agreement.word_precision >= 0.99, summary
    assert agreement.junk == 0, summary
