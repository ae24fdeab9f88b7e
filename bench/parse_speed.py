"""Parsing speed and memory on generated production-style PDFs.

Targets: a 120-page PDF parsed in under 1 s (2 cores); a 300-page PDF in under 300 MB.
If screenplay-pdf-to-json is importable here, or a Python that has it is named in
SCREENPLAY_PDF_TO_JSON_PYTHON, its time on the same PDF is printed with the ratio.
Usage: python bench/parse_speed.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.parsing.fountain import parse_fountain  # noqa: E402
from cortexreel.parsing.pdf import parse_pdf  # noqa: E402
from tests.parsing_helpers import RenderOptions, generated_script, render_pdf  # noqa: E402

OPTIONS = RenderOptions(
    scene_numbers="both", revision_marks=True, header="BLUE REV. 12/03/21", continued=True
)


def render(pages: int) -> bytes:
    text = generated_script(pages)
    data = render_pdf(parse_fountain(text), OPTIONS)
    return data


def page_count(data: bytes) -> int:
    fitz: Any = pymupdf  # PyMuPDF has incomplete type hints
    document = fitz.open(stream=data, filetype="pdf")
    return int(document.page_count)


def timed(data: bytes, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        parse_pdf(data)
        best = min(best, time.perf_counter() - started)
    return best


def rss_of_parse(path: str) -> float:
    """Peak resident memory (MB) of a fresh process that parses the PDF, minus the same process idle."""
    code = (
        "import sys; from cortexreel.parsing.pdf import parse_pdf\n"
        "def hwm():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1])\n"
        "    return 0\n"
        "base = hwm(); parse_pdf(open(sys.argv[1], 'rb').read()); print(base, hwm())\n"
    )
    output = subprocess.run([sys.executable, "-c", code, path], capture_output=True, text=True, check=True,
                            cwd=REPO).stdout.split()
    return (int(output[1]) - int(output[0])) / 1024


def competitor(path: str) -> tuple[str, float] | None:
    """Time screenplay-pdf-to-json on the file, in this Python or the one named in the environment."""
    python = os.environ.get("SCREENPLAY_PDF_TO_JSON_PYTHON", sys.executable)
    code = (
        "import sys, time; from screenplay_pdf_to_json import convert; t = time.perf_counter(); "
        "convert(open(sys.argv[1], 'rb'), None); print(time.perf_counter() - t)"
    )
    try:
        result = subprocess.run([python, "-c", code, path], capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return ("error: " + type(exc).__name__, 0.0)
    if result.returncode != 0:
        return None
    return (python, float(result.stdout.strip().splitlines()[-1]))


def main() -> None:
    print(f"CPU cores available: {os.cpu_count()}")
    data120 = render(120)
    pages120 = page_count(data120)
    seconds = timed(data120)
    verdict = "OK" if seconds < 1.0 else "OVER TARGET"
    size = len(data120) / 1024
    print(f"{pages120}-page PDF ({size:.0f} KB): best of 3 = {seconds:.3f} s  [target < 1 s: {verdict}]")

    data300 = render(300)
    pages300 = page_count(data300)
    untraced = timed(data300, repeat=1)
    tracemalloc.start()
    started = time.perf_counter()
    parse_pdf(data300)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(data300)
        path300 = handle.name
    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(data120)
        path120 = handle.name
    try:
        rss = rss_of_parse(path300)
        verdict = "OK" if rss < 300 else "OVER TARGET"
        print(f"{pages300}-page PDF: {untraced:.3f} s ({elapsed:.3f} s under tracemalloc); "
              f"Python heap peak (tracemalloc) {peak / 1048576:.1f} MB; "
              f"peak RSS growth of a fresh process (VmHWM) {rss:.1f} MB  [target < 300 MB: {verdict}]")
        other = competitor(path120)
        if other is None:
            print("screenplay-pdf-to-json: unavailable (not importable; set "
                  "SCREENPLAY_PDF_TO_JSON_PYTHON to a Python that has it)")
        else:
            where, their_seconds = other
            print(f"screenplay-pdf-to-json on the {pages120}-page PDF: {their_seconds:.3f} s ({where}); "
                  f"CortexReel is {their_seconds / seconds:.1f}x faster")
    finally:
        os.unlink(path300)
        os.unlink(path120)


if __name__ == "__main__":
    main()
