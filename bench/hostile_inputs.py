"""Hostile inputs against the reader: every kind → exit code, message, time and peak memory, as a table.

Each generated hostile file (tests/hostile_files.py) goes through `python -m cortexreel parse FILE`, the path a
user's file takes (pre-checks and the parse in a child process with hard limits); the peak memory is that of
the command and its child together (wait4). A normal 120-page screenplay PDF is the baseline in the same run.

Then, for the targets of issue 16:
- the child process's overhead on the normal 120-page PDF (in-process parse vs through the child);
- how long the app's other threads wait while bombs are refused (a thread ticking every 10 ms);
- with --before: the same bombs read the old way (in-process, no pre-checks, parse_pdf directly, in a throwaway
  process capped at 4 GB and 120 s) for comparison. Slow: minutes.

Usage: python bench/hostile_inputs.py [--before]
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.domain.parse_limits import ParseLimits  # noqa: E402
from cortexreel.errors import CortexReelError  # noqa: E402
from cortexreel.parsing import parse_screenplay  # noqa: E402
from cortexreel.parsing.sandbox import parse_untrusted  # noqa: E402
from tests.hostile_files import (  # noqa: E402
    HOSTILE_FILES,
    Hostile,
    deflate_bomb,
    screenplay_pdf,
    text_show_bomb,
    ticking_thread,
)

BEFORE_CODE = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
from cortexreel.parsing.pdf import parse_pdf
data = open(sys.argv[1], 'rb').read()
started = time.perf_counter()
try:
    parse_pdf(data)
    outcome = 'accepted'
except MemoryError:
    outcome = 'MemoryError at 4 GB'
except Exception as error:
    outcome = type(error).__name__ + ': ' + str(error)[:60]
print(f'{time.perf_counter() - started:.1f}|{outcome}')
"""


def run_cli(path: Path, workdir: Path) -> tuple[int, float, float, str]:
    """(exit code, seconds, peak MB of the command and its child, first line of stderr)."""
    env = {**os.environ, "CORTEXREEL_DATA_DIR": str(workdir / "data"), "PYTHONPATH": str(REPO)}
    err_path = workdir / "stderr.txt"
    with open(os.devnull, "wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "cortexreel", "parse", str(path)],
                                 stdout=out, stderr=err, env=env, cwd=workdir)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = [line for line in err_path.read_text(errors="replace").splitlines() if line.strip()]
    message = next((line for line in lines if line.startswith(("error:", "warning:"))), lines[-1] if lines else "")
    return child.returncode, seconds, usage.ru_maxrss / 1024, message


def table(rows: Sequence[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1])


def hostile_table(workdir: Path) -> None:
    kinds = [Hostile("baseline: normal 120-page screenplay", "script.pdf", lambda: screenplay_pdf(120)),
             *HOSTILE_FILES]
    limits = ParseLimits()
    rows = [("kind", "size", "exit", "command s", "child s", "peak MB", "message")]
    for kind in kinds:
        data = kind.build()
        path = workdir / kind.filename
        path.write_bytes(data)
        code, seconds, peak, message = run_cli(path, workdir)
        started = time.perf_counter()
        with contextlib.suppress(CortexReelError):
            parse_untrusted(data, kind.filename, limits)
        in_child = time.perf_counter() - started
        size = f"{len(data) / 1024:,.0f} KB"
        rows.append((kind.name, size, str(code), f"{seconds:.2f}", f"{in_child:.2f}", f"{peak:.0f}", message[:150]))
    table(rows)
    print("command s: the whole `cortexreel parse` command (most of it is the command's own start-up); child s: "
          "parse_untrusted alone, child start-up included; peak MB: the command or its child, whichever is larger")


def overhead() -> None:
    data = screenplay_pdf(120)
    limits = ParseLimits()
    in_process, in_child = [], []
    for _ in range(3):
        started = time.perf_counter()
        parse_screenplay(data, "script.pdf", limits=limits)
        in_process.append(time.perf_counter() - started)
        started = time.perf_counter()
        parse_untrusted(data, "script.pdf", limits)
        in_child.append(time.perf_counter() - started)
    best_in, best_child = min(in_process), min(in_child)
    print(f"\nNormal 120-page PDF ({len(data) / 1024:,.0f} KB), best of 3: in-process {best_in:.3f} s, "
          f"through the child {best_child:.3f} s: overhead {best_child - best_in:.3f} s "
          f"({(best_child / best_in - 1) * 100:.0f}%)")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import cortexreel.parsing"], check=True, cwd=REPO)
    print(f"  start-up of a bare child (interpreter + imports of the parsers): {time.perf_counter() - started:.3f} s")


def ticking(label: str, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    with ticking_thread() as gaps:
        try:
            work()
        except CortexReelError as error:
            outcome = f"refused: {error.message[:70]}"
        else:
            outcome = "accepted"
    print(f"  {label}: {time.perf_counter() - started:.2f} s, other thread's longest wait {max(gaps) * 1000:.0f} ms"
          f" ({outcome})")


def threads() -> None:
    print("\nThe app's other threads while a bomb is refused (a thread ticking every 10 ms):")
    limits = ParseLimits()
    bomb, deflate = text_show_bomb(400_000), deflate_bomb(1024)
    ticking("400k-string page through the child", lambda: parse_untrusted(bomb, "bomb.pdf", limits))
    ticking("1 GiB deflate bomb through the child", lambda: parse_untrusted(deflate, "deflate.pdf", limits))
    ticking("400k-string page, pre-checks in-process", lambda: parse_screenplay(bomb, "bomb.pdf", limits=limits))
    small = text_show_bomb(150_000)
    unchecked = ParseLimits(max_text_per_page=10**9, max_text_total=10**9)
    ticking("150k-string page read in-process, no pre-checks (before)",
            lambda: parse_screenplay(small, "bomb.pdf", limits=unchecked))


def before(workdir: Path) -> None:
    print("\nBefore: parse_pdf in-process without pre-checks (a throwaway process capped at 4 GB, 120 s):")
    rows = [("kind", "time s", "peak MB", "outcome")]
    for kind in HOSTILE_FILES:
        if not kind.filename.endswith(".pdf"):
            continue
        path = workdir / kind.filename
        path.write_bytes(kind.build())
        result = workdir / "before.txt"
        with result.open("wb") as out:
            started = time.perf_counter()
            child = subprocess.Popen([sys.executable, "-c", BEFORE_CODE, str(path)], cwd=REPO,
                                     stdout=out, stderr=subprocess.DEVNULL)
            timer = threading.Timer(120, child.kill)
            timer.start()
            _, status, usage = os.wait4(child.pid, 0)
            timer.cancel()
            seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        printed = result.read_text().strip()
        outcome = printed.split("|")[-1] if printed else f"killed after 120 s or died (exit {child.returncode})"
        rows.append((kind.name, f"{seconds:.1f}", f"{usage.ru_maxrss / 1024:.0f}", outcome[:90]))
    table(rows)


def main() -> None:
    print(f"CPU cores available: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        hostile_table(workdir)
        overhead()
        threads()
        if "--before" in sys.argv[1:]:
            before(workdir)


if __name__ == "__main__":
    main()
