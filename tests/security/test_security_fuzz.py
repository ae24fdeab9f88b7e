"""A bounded fuzz run of the three readers (PDF, Final Draft, Fountain / laid-out text): mutations of small
generated files may be refused, but never crash the reader (only CortexReelErrors), never hang, and never
take the child process over its hard limits.

Deterministic: Hypothesis is derandomized (the same examples on every run) and keeps no database. The run is
about a minute here; set CORTEXREEL_TEST_FUZZ_EXAMPLES (default 60 per format) for a longer one, e.g. 5000.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import Any

import pymupdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.errors import CortexReelError, ParseError
from cortexreel.parsing import parse_screenplay
from cortexreel.parsing.fountain import parse_fountain
from cortexreel.parsing.sandbox import parse_untrusted
from tests.parsing_helpers import RenderOptions, generated_script, render_pdf

FITZ: Any = pymupdf  # PyMuPDF's type hints are incomplete
EXAMPLES = int(os.environ.get("CORTEXREEL_TEST_FUZZ_EXAMPLES", "60"))
HANG_SECONDS = 60.0  # a small file is read in milliseconds; only a real hang takes this long
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ_LIMITS = ParseLimits(memory_mb=768, wall_seconds=60, cpu_seconds=60)


def _pdf_seed() -> bytes:
    """A two-page screenplay PDF with its streams stored uncompressed, so mutations hit text operators."""
    rendered = render_pdf(parse_fountain(generated_script(2)), RenderOptions(scene_numbers="both", header="REV"))
    document = FITZ.open(stream=rendered, filetype="pdf")
    return bytes(document.tobytes(expand=255))


def _fdx_seed() -> bytes:
    paragraphs = "".join(
        f'<Paragraph Type="{kind}"><Text>{text}</Text></Paragraph>'
        for kind, text in [
            ("Scene Heading", "INT. KITCHEN - DAY"),
            ("Action", "Anna drops her keys."),
            ("Character", "ANNA"),
            ("Parenthetical", "(quietly)"),
            ("Dialogue", "Anybody home?"),
            ("Scene Heading", "EXT. GARDEN - NIGHT"),
            ("Transition", "CUT TO:"),
        ]
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><FinalDraft DocumentType="Script" Version="5"><Content>'
        f"{paragraphs}</Content><TitlePage><Content><Paragraph><Text>THE KEYS</Text></Paragraph>"
        "</Content></TitlePage></FinalDraft>"
    ).encode()


def _text_seed() -> bytes:
    return (
        b"          INT. KITCHEN - DAY\n\n"
        b"          Anna drops her keys on the counter.\n\n"
        b"                                   ANNA\n"
        b"                         Anybody home?\n\n"
        b"          EXT. GARDEN - NIGHT\n\n"
        b"          Rain on the roses.\n\n"
    ) * 3


SEEDS: dict[str, tuple[str, Callable[[], bytes]]] = {
    "pdf": ("script.pdf", _pdf_seed),
    "fdx": ("script.fdx", _fdx_seed),
    "fountain": ("script.fountain", lambda: generated_script(2).encode()),
    "text": ("script.txt", _text_seed),
}

# A step: (what, where as a fraction of the current length, an amount or the bytes to insert, a count).
Step = tuple[str, float, int | bytes, int]
position = st.floats(min_value=0, max_value=1)
mutation: st.SearchStrategy[Step] = st.one_of(
    st.tuples(st.just("flip"), position, st.integers(1, 255), st.just(0)),
    st.tuples(st.just("insert"), position, st.binary(min_size=1, max_size=64), st.just(0)),
    st.tuples(st.just("delete"), position, st.integers(1, 512), st.just(0)),
    st.tuples(st.just("repeat"), position, st.integers(1, 256), st.integers(2, 64)),
    st.tuples(st.just("truncate"), position, st.just(0), st.just(0)),
)


def mutate(data: bytes, steps: list[Step]) -> bytes:
    """Apply the steps in order; positions are fractions of the current length, so every step applies."""
    out = bytearray(data)
    for name, where, value, count in steps:
        at = min(int(where * len(out)), max(0, len(out) - 1))
        if isinstance(value, bytes):
            out[at:at] = value
        elif name == "flip" and out:
            out[at] ^= value
        elif name == "delete":
            del out[at : at + value]
        elif name == "repeat":
            out[at:at] = out[at : at + value] * count
        elif name == "truncate":
            del out[at:]
    return bytes(out)


@pytest.fixture(scope="module")
def seeds() -> dict[str, bytes]:
    return {kind: build() for kind, (_, build) in SEEDS.items()}


@pytest.mark.parametrize("kind", list(SEEDS))
def test_mutated_files_are_read_or_refused_never_crash_or_hang(kind: str, seeds: dict[str, bytes]) -> None:
    filename = SEEDS[kind][0]
    seed = seeds[kind]
    assert parse_screenplay(seed, filename).scenes  # the seed itself is a readable script

    @FUZZ
    @given(steps=st.lists(mutation, min_size=1, max_size=6))
    def read(steps: list[Step]) -> None:
        data = mutate(seed, steps)
        started = time.monotonic()
        try:
            parse_screenplay(data, filename)
        except CortexReelError as error:
            assert error.message  # a refusal says why
        assert time.monotonic() - started < HANG_SECONDS

    read()


@pytest.mark.parametrize("kind", list(SEEDS))
def test_mutated_files_stay_within_the_childs_hard_limits(kind: str, seeds: dict[str, bytes]) -> None:
    """A few mutants per format through the child process: it answers (a script or a refusal) and is never
    stopped by a hard limit or found dead."""
    filename = SEEDS[kind][0]
    rng = random.Random(f"{kind}-16")
    for _ in range(max(3, EXAMPLES // 20)):
        steps: list[Step] = [
            ("repeat", rng.random(), rng.randint(1, 256), rng.randint(2, 64)),
            ("flip", rng.random(), rng.randint(1, 255), 0),
            ("delete", rng.random(), rng.randint(1, 512), 0),
        ]
        try:
            parse_untrusted(mutate(seeds[kind], steps), filename, FUZZ_LIMITS)
        except CortexReelError as error:
            assert "stopped" not in error.message, error.detail


def test_what_the_fuzz_found_is_refused_not_crashed(seeds: dict[str, bytes]) -> None:
    """PyMuPDF raised a bare RuntimeError ("Invalid number of pages") or FzErrorFormat ("malformed page tree")
    on a PDF cut inside its page tree, and ElementTree a LookupError on an XML declaration naming an unknown
    encoding."""
    cut = mutate(seeds["pdf"], [("repeat", 0.5, 91, 64), ("truncate", 0.006793674208224633, 0, 0)])
    with pytest.raises(ParseError, match="This PDF is damaged"):
        parse_screenplay(cut, "script.pdf")
    # And MuPDF's own FzErrorFormat ("malformed page tree"), which is not a RuntimeError.
    tree = mutate(seeds["pdf"], [("truncate", 0.05078125, 0, 0), ("repeat", 0.5, 2, 31), ("flip", 0.13671875, 1, 0)])
    with pytest.raises(ParseError, match="This PDF is damaged"):
        parse_screenplay(tree, "script.pdf")
    with pytest.raises(ParseError, match="damaged or not valid XML"):
        parse_screenplay(seeds["fdx"].replace(b'encoding="UTF-8"', b'encoding="UUF-8"'), "script.fdx")
