"""The child process of `cortexreel.parsing.sandbox`: read one request on stdin, parse, answer on stdout.

Request: a 4-byte big-endian length, a JSON header (filename, allow_unstructured, limits), then the file's
bytes. Answer: JSON, either {"screenplay": ...} or {"error": {"type", "message", "detail"}}. The hard limits
are set before the file is read; the imports before them are our own code and libraries.
"""

from __future__ import annotations

import json
import os
import resource
import struct
import sys
from typing import Any, BinaryIO

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.errors import CortexReelError, RefusedFileError
from cortexreel.parsing import parse_screenplay

_MB = 1024 * 1024
EXIT_OUT_OF_MEMORY = 3  # the same number as in cortexreel.parsing.sandbox


def set_limits(limits: ParseLimits) -> None:
    """Address space, CPU time, no core files: the kernel enforces them whatever the parser does."""
    for kind, value in (
        (resource.RLIMIT_AS, limits.memory_mb * _MB),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_CORE, 0),
    ):
        _, hard = resource.getrlimit(kind)
        wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
        # CPU: the soft limit sends SIGXCPU (which ends the process); the hard one a second later is SIGKILL.
        resource.setrlimit(kind, (wanted, wanted + 1 if kind == resource.RLIMIT_CPU else wanted))


def _answer(stdin: BinaryIO) -> dict[str, Any]:
    (size,) = struct.unpack(">I", stdin.read(4))
    header = json.loads(stdin.read(size))
    limits = ParseLimits.model_validate(header["limits"])
    set_limits(limits)
    data = stdin.read()
    try:
        screenplay = parse_screenplay(
            data, str(header["filename"]), allow_unstructured=bool(header["allow_unstructured"]), limits=limits
        )
    except CortexReelError as error:
        return {"error": {"type": type(error).__name__, "message": error.message, "detail": error.detail}}
    except MemoryError:
        return _out_of_memory(limits)
    except Exception as error:  # MuPDF reports a failed allocation as its own error type
        if "memory" in type(error).__name__.lower() or "malloc" in str(error).lower():
            return _out_of_memory(limits)
        raise
    return {"screenplay": screenplay.model_dump(mode="json")}


def _out_of_memory(limits: ParseLimits) -> dict[str, Any]:
    error = RefusedFileError(
        f"Reading this file needed more than {limits.memory_mb} MB of memory, so it was stopped. A screenplay "
        "never needs that; the file is damaged or built to overload the server. Export the script again from "
        "your writing program."
    )
    return {"error": {"type": type(error).__name__, "message": error.message, "detail": "MemoryError"}}


def main() -> int:
    # The answer gets the real stdout to itself: whatever else writes to stdout (MuPDF prints its warnings
    # there, from C and from Python) goes to stderr instead.
    sys.stdout.flush()
    answer_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        answer = _answer(sys.stdin.buffer)
        answer_out.write(json.dumps(answer, ensure_ascii=False).encode())
        answer_out.close()
    except MemoryError:
        return EXIT_OUT_OF_MEMORY
    return 0


if __name__ == "__main__":
    sys.exit(main())
