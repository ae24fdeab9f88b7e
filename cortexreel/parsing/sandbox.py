"""Parse an untrusted file in a child process with hard limits, so a hostile file cannot stall or kill the app.

The child (`python -m cortexreel.parsing.child`) runs the pre-checks and the parser under an address-space
limit (RLIMIT_AS), a CPU-time limit (RLIMIT_CPU) and no core dumps; this side kills it at the wall-time limit
and reads at most `output_mb` of its answer. The answer is the Screenplay as JSON, or the user-facing error
the child raised, re-raised here as the same CortexReelError subclass with the same message.

Why a fresh interpreter and not `multiprocessing`: the app runs this from threads of the Streamlit process
and from RQ work-horses, which are forks. `fork` from a threaded process can deadlock the child; a
forkserver started in a process that is later forked (an RQ worker, a test run) fails in the fork
(`os.waitpid` on a process that is not its child). `subprocess` starts the child with fork+exec in C, which is
safe from any thread, and the child inherits nothing but what is passed: no secrets in its environment, no
open connections. The price is the child's start-up (importing PyMuPDF and the parsers, ~0.3 s of CPU);
`bench/hostile_inputs.py` measures it. While the child works, this side waits in `select`, holding no lock,
so the app's other threads keep answering.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.domain.screenplay import Screenplay
from cortexreel.errors import (
    CortexReelError,
    FileTooLargeError,
    InvalidInputError,
    ParseError,
    RefusedFileError,
    ScannedPdfError,
    UnsupportedFileError,
)

_MB = 1024 * 1024
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
# Only what the child needs to find Python, its packages and Tesseract's data; never the app's secrets.
_PASSED_ENV = ("PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "TESSDATA_PREFIX")
_ERRORS: dict[str, type[CortexReelError]] = {
    cls.__name__: cls
    for cls in (
        ParseError,
        RefusedFileError,
        ScannedPdfError,
        InvalidInputError,
        UnsupportedFileError,
        FileTooLargeError,
    )
}
_STDERR_KEPT = 16 * 1024
EXIT_OUT_OF_MEMORY = 3  # the child's exit status when even its error report did not fit in memory


def parse_untrusted(
    data: bytes, filename: str, limits: ParseLimits, *, allow_unstructured: bool = False
) -> Screenplay:
    """Parse `data` in a child process under `limits`. Raises the user-facing error the parse raised, or a
    RefusedFileError when the child went over a hard limit (memory, CPU, wall time, answer size) or crashed."""
    header = json.dumps(
        {"filename": filename, "allow_unstructured": allow_unstructured, "limits": limits.model_dump(mode="json")}
    ).encode()
    started = time.monotonic()
    # A fixed command, our own module: nothing from the upload reaches the command line.
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cortexreel.parsing.child"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_child_env(),
        cwd=str(_PACKAGE_ROOT),
        close_fds=True,
        start_new_session=True,  # its own process group, so a kill reaches anything it started
    )
    try:
        output, errors, stopped = _exchange(child, struct.pack(">I", len(header)) + header + data, limits)
    finally:
        _kill(child)
    seconds = time.monotonic() - started
    detail = f"exit={child.returncode} seconds={seconds:.1f} stderr={errors[-2000:].decode(errors='replace')}"
    if stopped == "output":
        raise RefusedFileError(
            f"Reading this file produced more than {limits.output_mb} MB of results, so it was stopped. A "
            "screenplay never needs that; the file is damaged or built to overload the server.",
            detail=detail,
        )
    if stopped == "time":
        raise _limit_error(f"took longer than {limits.wall_seconds:.0f} seconds", detail)
    return _answer(output, child.returncode, limits, detail)


def _answer(output: bytes, returncode: int, limits: ParseLimits, detail: str) -> Screenplay:
    if returncode == 0:
        try:
            answer: dict[str, Any] = json.loads(output)
        except ValueError:
            answer = {}
        if "screenplay" in answer:
            return Screenplay.model_validate(answer["screenplay"])
        if "error" in answer:
            error = answer["error"]
            kind = _ERRORS.get(str(error.get("type")), ParseError)
            raise kind(str(error.get("message", "")), detail=str(error.get("detail", "")))
    if returncode == -signal.SIGXCPU:
        raise _limit_error(f"used more than {limits.cpu_seconds} seconds of processor time", detail)
    if returncode in (EXIT_OUT_OF_MEMORY, -signal.SIGKILL):  # SIGKILL not sent by us: the kernel's OOM killer
        raise _limit_error(f"needed more than {limits.memory_mb} MB of memory", detail)
    raise RefusedFileError(
        "The file reader stopped unexpectedly on this file, so it cannot be read. The file is probably damaged; "
        "export the script again from your writing program.",
        detail=detail,
    )


def _limit_error(what: str, detail: str) -> RefusedFileError:
    return RefusedFileError(
        f"Reading this file {what}, so it was stopped. A screenplay never needs that; the file is damaged or "
        "built to overload the server. Export the script again from your writing program.",
        detail=detail,
    )


def _exchange(child: subprocess.Popen[bytes], request: bytes, limits: ParseLimits) -> tuple[bytes, bytes, str]:
    """Write the request and read the answer without threads, up to the wall-time and output limits.
    Returns (stdout, the end of stderr, "" or what stopped the child: "time" or "output")."""
    if child.stdin is None or child.stdout is None or child.stderr is None:
        raise RuntimeError("the child was started without pipes")
    deadline = time.monotonic() + limits.wall_seconds
    cap = limits.output_mb * _MB + 1024  # room for the JSON around the largest accepted result
    output: list[bytes] = []
    received = 0
    errors = b""
    pending = memoryview(request)
    os.set_blocking(child.stdin.fileno(), False)
    with selectors.DefaultSelector() as selector:
        selector.register(child.stdin, selectors.EVENT_WRITE)
        selector.register(child.stdout, selectors.EVENT_READ)
        selector.register(child.stderr, selectors.EVENT_READ)
        open_outputs = 2
        while open_outputs:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b"".join(output), errors, "time"
            for key, _ in selector.select(min(remaining, 1.0)):
                if key.fileobj is child.stdin:
                    try:
                        pending = pending[os.write(child.stdin.fileno(), pending[:_MB]) :]
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # the child refused early and stopped reading
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(child.stdin)
                        child.stdin.close()
                    continue
                chunk = os.read(key.fd, _MB)
                if not chunk:
                    selector.unregister(key.fileobj)
                    open_outputs -= 1
                elif key.fileobj is child.stdout:
                    output.append(chunk)
                    received += len(chunk)
                    if received > cap:
                        return b"".join(output), errors, "output"
                else:
                    errors = (errors + chunk)[-_STDERR_KEPT:]
    try:
        child.wait(max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        return b"".join(output), errors, "time"
    return b"".join(output), errors, ""


def _kill(child: subprocess.Popen[bytes]) -> None:
    """End the child and anything it started, and reap it; harmless when it has already exited."""
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream is not None and not stream.closed:
            stream.close()


def _child_env() -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSED_ENV if name in os.environ}
    env["PYTHONPATH"] = str(_PACKAGE_ROOT)
    env["OMP_THREAD_LIMIT"] = "1"  # Tesseract's OpenMP threads would each reserve address space
    return env
