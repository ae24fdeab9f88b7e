"""Parsing speed and memory on generated production-style PDFs, and the command line's cold start.

Targets: a 120-page PDF parsed in under 1 s (2 cores); a 300-page PDF in under 300 MB; the CLI
(`python -m cortexreel parse FILE --json`, a fresh process) done with the corpus PDF
(../shared/fixtures/screenplays/Big-Fish.pdf) in under 0.4 s wall, next to a bare interpreter start
(`python -c pass`, the baseline), the parse alone in-process, and the anchor's own command line.
If screenplay-pdf-to-json is importable here, or a Python that has it is named in
SCREENPLAY_PDF_TO_JSON_PYTHON, its times are printed with the ratio (install it with
`pip install screenplay-pdf-to-json`, best in a separate virtualenv: it pins a 2020 pdfminer.six).
Usage: python bench/parse_speed.py [--cold-start-only] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pymupdf

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.parsing import parse_screenplay, screenplay_to_json  # noqa: E402
from cortexreel.parsing.fountain import parse_fountain  # noqa: E402
from cortexreel.parsing.pdf import parse_pdf  # noqa: E402
from tests.parsing_helpers import RenderOptions, generated_script, render_pdf  # noqa: E402

CORPUS_PDF = (REPO / ".." / "shared" / "fixtures" / "screenplays" / "Big-Fish.pdf").resolve()
CLI_TARGET_SECONDS = 0.4
ANCHOR_PYTHON = os.environ.get("SCREENPLAY_PDF_TO_JSON_PYTHON", sys.executable)
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
    python = ANCHOR_PYTHON
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


@dataclass(frozen=True)
class Runs:
    """Wall and CPU (user + system) seconds of each run of one command, each in a fresh process."""

    wall: list[float]
    cpu: list[float]

    def line(self) -> str:
        return (f"median {statistics.median(self.wall):.3f} s wall (min {min(self.wall):.3f}), "
                f"{statistics.median(self.cpu):.3f} s CPU")


def child_env() -> dict[str, str]:
    """This environment, but writing bytecode as a user's shell does: without the .pyc cache every start
    would recompile the modules edited since the last install, which no installed copy ever does."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run_fresh(command: Sequence[str], runs: int, cwd: Path) -> Runs:
    """Run `command` once to warm the disk and bytecode caches, then `runs` times, timing each process."""
    wall: list[float] = []
    cpu: list[float] = []
    for attempt in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, env=child_env(), stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, timeout=600)
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr[-1000:]}")
        if attempt:
            wall.append(elapsed)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Runs(wall, cpu)


def in_process(data: bytes, name: str, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of what the `parse --json` command does once its modules are loaded."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        json.dumps(screenplay_to_json(parse_screenplay(data, name)), ensure_ascii=False)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def anchor_available() -> bool:
    probe = [ANCHOR_PYTHON, "-c", "import screenplay_pdf_to_json"]
    return subprocess.run(probe, capture_output=True, timeout=120).returncode == 0


def cold_start(runs: int) -> None:
    """The command line on the corpus PDF, each run a fresh process, against `python -c pass` and the anchor."""
    if not CORPUS_PDF.is_file():
        print(f"Cold-start CLI: skipped, the corpus PDF {CORPUS_PDF} is not here (it ships in ../shared).")
        return
    data = CORPUS_PDF.read_bytes()
    load = os.getloadavg()[0]
    print(f"Cold-start CLI on {CORPUS_PDF.name} ({page_count(data)} pages), {runs} fresh processes each "
          f"(load average {load:.1f} on {os.cpu_count()} cores; wall times grow with it, CPU times much less):")
    with tempfile.TemporaryDirectory() as folder:
        cwd = Path(folder)  # no .env and no ./data of this checkout; the anchor writes its result.json here
        bare = run_fresh([sys.executable, "-c", "pass"], runs, cwd)
        print(f"  python -c pass (interpreter start, baseline):   {bare.line()}")
        command = [sys.executable, "-m", "cortexreel", "parse", str(CORPUS_PDF), "--json"]
        sandboxed = run_fresh(command, runs, cwd)
        print(f"  python -m cortexreel parse FILE --json (child):  {sandboxed.line()}")
        ours = run_fresh([*command, "--trusted"], runs, cwd)
        median = statistics.median(ours.wall)
        verdict = "OK" if median < CLI_TARGET_SECONDS else "OVER TARGET"
        print(f"  the same with --trusted (in-process):           {ours.line()}  "
              f"[target < {CLI_TARGET_SECONDS} s: {verdict}]")
        parse_wall, parse_cpu = in_process(data, CORPUS_PDF.name, repeat=3)
        start_cpu = statistics.median(ours.cpu) - parse_cpu
        print(f"  the same parse + JSON in-process (median of 3): {parse_wall:.3f} s wall, {parse_cpu:.3f} s CPU; "
              f"so start-up and imports take about {start_cpu:.3f} s CPU of the command's")
        if not anchor_available():
            print("  screenplay-pdf-to-json: not installed; `pip install screenplay-pdf-to-json` here, or in "
                  "another virtualenv named by SCREENPLAY_PDF_TO_JSON_PYTHON")
            return
        anchor_runs = max(1, min(runs, 3))  # seconds per run: a few runs are enough
        theirs = run_fresh([ANCHOR_PYTHON, "-m", "screenplay_pdf_to_json.convert", "-s", str(CORPUS_PDF)],
                           anchor_runs, cwd)
        start = run_fresh([ANCHOR_PYTHON, "-c", "import screenplay_pdf_to_json.convert"], runs, cwd)
        ratio = statistics.median(theirs.wall) / median
        print(f"  screenplay-pdf-to-json CLI (-m screenplay_pdf_to_json.convert -s FILE, {anchor_runs} runs): "
              f"{theirs.line()}; CortexReel is {ratio:.1f}x faster")
        print(f"  screenplay-pdf-to-json start (its imports, no parse):  {start.line()}")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    options.add_argument("--cold-start-only", action="store_true", help="only the command line's cold start")
    options.add_argument("--runs", type=int, default=7, help="fresh processes per cold-start command (default 7)")
    args = options.parse_args()
    print(f"CPU cores available: {os.cpu_count()}")
    if not args.cold_start_only:
        generated()
    cold_start(args.runs)


def generated() -> None:
    """The parser in-process on rendered 120- and 300-page PDFs, its memory, and the anchor on the 120 pages."""
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
            print("screenplay-pdf-to-json: unavailable (not importable; `pip install screenplay-pdf-to-json`, "
                  "or set SCREENPLAY_PDF_TO_JSON_PYTHON to a Python that has it)")
        else:
            where, their_seconds = other
            print(f"screenplay-pdf-to-json on the {pages120}-page PDF: {their_seconds:.3f} s ({where}); "
                  f"CortexReel is {their_seconds / seconds:.1f}x faster")
    finally:
        os.unlink(path300)
        os.unlink(path120)


if __name__ == "__main__":
    main()
