"""Parsing accuracy: PDF and FDX parses compared with the Fountain parse of the same script.

Runs over ../shared/fixtures/screenplays when present, over PDFs rendered here from each Fountain
file with production furniture (scene numbers, MORE/CONT'D, headers, revision marks, A4), and over PDFs
rendered by third-party Fountain renderers, so the parser is not only checked against our own layout:
  - screenplain (PyPI, reportlab): found next to this Python or on PATH;
  - afterwriting (npm): found via $AFTERWRITING or on PATH (e.g. after `npm install afterwriting` in
    /tmp/aw: AFTERWRITING=/tmp/aw/node_modules/.bin/afterwriting).
Each renderer is skipped with a message when it is not installed. Renders with scene numbers in both
margins make forced Fountain headings visible, so those compare raw; the others compare printable.
Then the real PDFs of ../shared/fixtures/real against their hand-made labels (tests/corpus/real).
Usage: python bench/parse_accuracy.py [--ocr]   (--ocr also reads the scanned scripts, which takes minutes)
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.parsing.compare import compare  # noqa: E402
from cortexreel.parsing.fountain import parse_fountain  # noqa: E402
from cortexreel.parsing.pdf import find_tessdata, parse_pdf  # noqa: E402
from tests.parsing_helpers import RenderOptions, generated_script, render_pdf, scan_pdf  # noqa: E402
from tests.real_corpus import REAL_PDFS, labels, score  # noqa: E402

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

_FOUNTAIN_HEADING_RE = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|EXT\.?/INT|I/E)[. ]", re.IGNORECASE)

RENDERS = {
    "letter-clean": RenderOptions(),
    "a4-production": RenderOptions(paper="a4", scene_numbers="both", revision_marks=True,
                                   header="BLUE REV. 12/03/21", continued=True),
    "letter-no-more": RenderOptions(scene_numbers="left", more_contd=False, watermark="PROPERTY OF ACME"),
}


def number_headings(text: str) -> str:
    """Append Fountain scene numbers ("#3#") to every heading, so renderers print them in the margins."""
    lines = text.splitlines()
    number = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        blank_before = index == 0 or not lines[index - 1].strip()
        forced = stripped.startswith(".") and not stripped.startswith("..") and len(stripped) > 1
        if blank_before and (forced or _FOUNTAIN_HEADING_RE.match(stripped)) and not stripped.endswith("#"):
            number += 1
            lines[index] = f"{stripped} #{number}#"
    return "\n".join(lines) + "\n"


def find_screenplain() -> str | None:
    beside = Path(sys.executable).parent / "screenplain"
    return str(beside) if beside.exists() else shutil.which("screenplain")


def find_afterwriting() -> str | None:
    named = os.environ.get("AFTERWRITING")
    if named and Path(named).exists():
        return named
    return shutil.which("afterwriting")


def screenplain_render(program: str, numbered: bool) -> Callable[[str], bytes]:
    """screenplain prints Fountain "#n#" scene numbers in both margins; it has no other numbering switch."""

    def render(text: str) -> bytes:
        return _run_renderer([program, "--format", "pdf", "{src}", "{out}"],
                             number_headings(text) if numbered else text)

    return render


def afterwriting_render(program: str, numbered: bool) -> Callable[[str], bytes]:
    """afterwriting defaults to A4 without numbers; the numbered variant is US Letter, numbers in both
    margins, CONTINUED at the page breaks of a scene and bold headings."""
    settings = ["scenes_numbers=both", "print_profile=usletter", "scene_continuation_bottom=true",
                "scene_continuation_top=true", "embolden_scene_headers=true"] if numbered else []
    command = [program, "--source", "{src}", "--pdf", "{out}", "--overwrite"]
    for setting in settings:
        command += ["--setting", setting]

    def render(text: str) -> bytes:
        return _run_renderer(command, text)

    return render


def _run_renderer(command: list[str], text: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        source, output = Path(folder) / "script.fountain", Path(folder) / "script.pdf"
        source.write_text(text, encoding="utf-8")
        argv = [part.replace("{src}", str(source)).replace("{out}", str(output)) for part in command]
        subprocess.run(argv, check=True, capture_output=True, timeout=300, cwd=folder)
        return output.read_bytes()


def third_party(sources: dict[str, bytes]) -> None:
    """Agreement per file on PDFs made by other programs than ours."""
    renderers: list[tuple[str, Callable[[str], bytes], bool]] = []
    screenplain = find_screenplain()
    if screenplain is None:
        print("screenplain: not installed (pip install screenplain reportlab); its renders are skipped.")
    else:
        renderers += [("screenplain", screenplain_render(screenplain, False), False),
                      ("screenplain-num", screenplain_render(screenplain, True), True)]
    afterwriting = find_afterwriting()
    if afterwriting is None:
        print("afterwriting: not installed (npm install afterwriting; or set AFTERWRITING); skipped.")
    else:
        renderers += [("afterwriting-a4", afterwriting_render(afterwriting, False), False),
                      ("afterwriting-num", afterwriting_render(afterwriting, True), True)]
    if not renderers:
        return
    print("Third-party renders (numbered renders compare raw, the others printable):")
    for name, data in sources.items():
        text = data.decode("utf-8")
        reference = parse_fountain(text)
        for label, render, numbered in renderers:
            try:
                pdf = render(text)
            except (OSError, subprocess.SubprocessError) as exc:
                print(f"  {name[:20]:20} {label:16} render failed: {exc}")
                continue
            started = time.perf_counter()
            parsed = parse_pdf(pdf)
            elapsed = time.perf_counter() - started
            agreement = compare(reference, parsed, printable=not numbered)
            print(f"  {name[:20]:20} {label:16} {elapsed:6.2f}s  {agreement.format()}")


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
        print("  (raw also counts forced Fountain headings such as \".INSIDE\"; in these PDFs they print exactly "
              "like all-caps action, same font, indent and spacing, so printable compares them as action.)")
    else:
        print(f"Corpus not found at {CORPUS}: only self-rendered PDFs are measured.")
    sources.setdefault("sample", SAMPLE.encode())
    sources.setdefault("generated-30p", generated_script(30, seed=11).encode())
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
    third_party(sources)
    scanned(SAMPLE)
    real_set(ocr="--ocr" in sys.argv)


def real_set(*, ocr: bool) -> None:
    """The real studio and spec PDFs against their hand-made labels (tests/corpus/real)."""
    if not REAL_PDFS.is_dir():
        print(f"Real PDFs not found at {REAL_PDFS}: the real set is skipped.")
        return
    print("Real PDFs against hand-made labels (scenes ±2 %, cues ≥ 95 %, first/last heading, furniture, spot checks):")
    passed = 0
    for label in labels():
        path = REAL_PDFS / label["file"]
        if not path.exists():
            continue
        if label["text_layer"] == "none" and not ocr:
            print(f"  {label['file']:45} a scan: minutes of OCR, run with --ocr")
            continue
        started = time.perf_counter()
        try:
            result = score(parse_screenplay(path.read_bytes(), path.name), label)
        except Exception as exc:  # the bench reports a refusal like any other result
            print(f"  {label['file']:45} refused: {exc}")
            continue
        passed += not result.problems()
        print(f"  {result.row()}  {time.perf_counter() - started:5.2f}s")
        for problem in result.problems():
            print(f"      {problem[:150]}")
    print(f"  {passed} of {len(labels())} real PDFs meet every bar")


def scanned(text: str) -> None:
    """OCR: the sample rendered, rasterised at 150 dpi into an image-only PDF, and read back."""
    if find_tessdata() is None:
        print("OCR: Tesseract data not found (apt-get install tesseract-ocr tesseract-ocr-eng); skipped.")
        return
    reference = parse_fountain(text)
    data = scan_pdf(render_pdf(reference, RenderOptions(scene_numbers="left")), dpi=150)
    for dpi in (150, 300):
        started = time.perf_counter()
        parsed = parse_pdf(data, ocr_dpi=dpi)
        elapsed = time.perf_counter() - started
        agreement = compare(reference, parsed, printable=False)
        print(f"  {'sample (scanned)':20} {f'ocr {dpi} dpi':16} {elapsed:6.2f}s  {agreement.format()}")


if __name__ == "__main__":
    main()
