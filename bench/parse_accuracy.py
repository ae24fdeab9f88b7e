"""Parsing accuracy: PDF and FDX parses compared with the Fountain parse of the same script.

Runs over ../shared/fixtures/screenplays when present, and over PDFs rendered here from each Fountain
file with production furniture (scene numbers, MORE/CONT'D, headers, revision marks, A4).
Usage: python bench/parse_accuracy.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.parsing.compare import compare  # noqa: E402
from cortexreel.parsing.fountain import parse_fountain  # noqa: E402
from cortexreel.parsing.pdf import parse_pdf  # noqa: E402
from tests.parsing_helpers import RenderOptions, render_pdf  # noqa: E402

CORPUS = (REPO / ".." / "shared" / "fixtures" / "screenplays").resolve()

SAMPLE = """Title: Sample

INT. KITCHEN - DAY

Anna enters and looks around the room for a long, long time before she speaks.

ANNA
Anybody home? I have been calling for an hour and nobody answers the phone in this house.

BOB (O.S.)
(from upstairs)
Up here!

EXT. GARDEN - NIGHT

BOB
Left.

ANNA ^
Right.

CUT TO:
"""

RENDERS = {
    "letter-clean": RenderOptions(),
    "a4-production": RenderOptions(paper="a4", scene_numbers="both", revision_marks=True,
                                   header="BLUE REV. 12/03/21", continued=True),
    "letter-no-more": RenderOptions(scene_numbers="left", more_contd=False, watermark="PROPERTY OF ACME"),
}


def main() -> None:
    sources: dict[str, bytes] = {}
    if CORPUS.is_dir():
        print(f"Corpus: {CORPUS}")
        for fountain in sorted(CORPUS.glob("*.fountain")):
            reference = parse_screenplay(fountain.read_bytes(), fountain.name)
            sources[fountain.stem] = fountain.read_bytes()
            for suffix in (".pdf", ".fdx"):
                other = fountain.with_suffix(suffix)
                if not other.exists():
                    continue
                started = time.perf_counter()
                parsed = parse_screenplay(other.read_bytes(), other.name)
                elapsed = time.perf_counter() - started
                print(f"  {other.name:32} {elapsed:6.2f}s  printable: {compare(reference, parsed).format()}")
                raw = compare(reference, parsed, printable=False)
                print(f"  {'':32} {'':7}  raw:       {raw.format()}")
    else:
        print(f"Corpus not found at {CORPUS}: only self-rendered PDFs are measured.")
    sources.setdefault("sample", SAMPLE.encode())
    print("Rendered PDFs (scene numbers make every Fountain heading visible; those compare raw):")
    for name, text in sources.items():
        reference = parse_fountain(text)
        for label, options in RENDERS.items():
            data = render_pdf(reference, options)
            started = time.perf_counter()
            parsed = parse_pdf(data)
            elapsed = time.perf_counter() - started
            printable = options.scene_numbers == "none"
            agreement = compare(reference, parsed, printable=printable)
            print(f"  {name[:20]:20} {label:15} {elapsed:6.2f}s  {agreement.format()}")
    print("screenplain-rendered PDFs: not measured (screenplain is not installed).")


if __name__ == "__main__":
    main()
