"""Hostile PDFs (issue 16, item 1): refused by the pre-checks with a clear message, or stopped by the child
process's hard limits; never read inside the app's process, never stalling its other threads.

The bombs are generated (tests/hostile_files.py) with the probe's amplification: a ~2 MB page of 400,000
strings that asks PyMuPDF for over a gigabyte, a 1 MB stream that inflates to 1 GiB.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cortexreel.cli import main
from cortexreel.container import Services
from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.domain.scripts import ScriptStatus
from cortexreel.errors import (
    FileTooLargeError,
    InvalidInputError,
    RefusedFileError,
    ScannedPdfError,
    UnsupportedFileError,
)
from cortexreel.parsing import parse_screenplay
from cortexreel.parsing.guard import check_pdf
from cortexreel.parsing.pdf import find_tessdata
from cortexreel.parsing.sandbox import parse_untrusted
from cortexreel.services import scripts
from tests import hostile_files
from tests.parsing_helpers import generated_script, scan_pdf

LIMITS = ParseLimits()
# The pre-checks switched off, to reach the hard limits behind them.
NO_PRECHECKS = ParseLimits(max_text_per_page=10**9, max_text_total=10**9)


@pytest.fixture(scope="module")
def text_bomb() -> bytes:
    return hostile_files.text_show_bomb(400_000)


@pytest.fixture(scope="module")
def small_text_bomb() -> bytes:
    """150,000 strings: ~450 MB in PyMuPDF and ~15 s, enough to cross small hard limits."""
    return hostile_files.text_show_bomb(150_000)


@pytest.fixture(scope="module")
def screenplay() -> bytes:
    return hostile_files.screenplay_pdf(3)


def test_a_normal_screenplay_passes_the_prechecks_without_warnings(screenplay: bytes) -> None:
    assert check_pdf(screenplay, LIMITS) == []


def test_a_page_of_400000_strings_is_refused_before_it_is_read(text_bomb: bytes) -> None:
    with pytest.raises(RefusedFileError, match="page 1 shows 400,000 pieces of text") as refusal:
        parse_screenplay(text_bomb, "bomb.pdf", limits=LIMITS)
    assert "the limit is 20,000" in refusal.value.message
    assert "Export the script again" in refusal.value.message


def test_a_form_drawn_a_thousand_times_counts_its_text_a_thousand_times() -> None:
    with pytest.raises(RefusedFileError, match="page 1 shows"):
        parse_screenplay(hostile_files.form_bomb(strings=100, draws=1000), "forms.pdf", limits=LIMITS)
    # The same form drawn once is fine: the count follows the drawing, not the file size.
    assert check_pdf(hostile_files.form_bomb(strings=100, draws=1), LIMITS) == []


def test_drawing_an_image_many_times_does_not_multiply_a_forms_text() -> None:
    """A page-sized form of 5,000 strings drawn once, and a logo drawn 20 times: 5,000 strings, not 105,000."""
    assert check_pdf(hostile_files.form_bomb(strings=5000, draws=1, image_draws=20), LIMITS) == []


def test_a_form_inside_a_form_multiplies_too() -> None:
    """form_bomb puts the text in a form ("fullpage") that PyMuPDF wraps in a second form, the one the page
    draws: the outer form's draws multiply the inner form's text."""
    with pytest.raises(RefusedFileError, match="page 1 shows 50,0\\d\\d pieces of text"):
        check_pdf(hostile_files.form_bomb(strings=50, draws=1000), LIMITS)


def test_a_deflate_bomb_is_refused_as_a_bomb_not_called_a_scan() -> None:
    bomb = hostile_files.deflate_bomb(1024)
    assert len(bomb) < 2 * 1024 * 1024
    with pytest.raises(RefusedFileError, match="inflates to more than 64 MB") as refusal:
        parse_screenplay(bomb, "deflate.pdf", limits=LIMITS)
    assert not isinstance(refusal.value, ScannedPdfError)
    assert "scan" not in refusal.value.message


def test_all_streams_together_have_a_limit_too() -> None:
    limits = ParseLimits(max_stream_mb=64, max_inflated_mb=32)
    with pytest.raises(RefusedFileError, match="inflate to more than 32 MB in all"):
        check_pdf(hostile_files.deflate_bomb(48), limits)


def test_an_image_of_a_gigapixel_is_refused() -> None:
    with pytest.raises(RefusedFileError, match="32,768 by 32,768 pixel image"):
        check_pdf(hostile_files.pixel_bomb(32_768), LIMITS)


def test_a_page_too_large_to_render_for_ocr_is_refused() -> None:
    with pytest.raises(RefusedFileError, match="page 1 is 200 by 200 inches"):
        check_pdf(hostile_files.giant_page(200), LIMITS)


def test_too_many_objects_are_refused(screenplay: bytes) -> None:
    with pytest.raises(RefusedFileError, match="objects"):
        check_pdf(screenplay, ParseLimits(max_objects=10))


def test_a_pdf_cut_short_is_read_with_a_warning_that_scenes_are_missing() -> None:
    whole = parse_screenplay(hostile_files.screenplay_pdf(40), "whole.pdf")
    cut = parse_screenplay(hostile_files.truncated_pdf(40, keep=0.3), "cut.pdf")
    assert whole.warnings == []
    assert len(cut.scenes) < len(whole.scenes)
    (warning,) = cut.warnings
    assert "damaged (it may have been cut short)" in warning
    assert "of its 41 pages have no readable content, so scenes are missing" in warning


def test_a_repaired_pdf_with_every_page_is_read_with_a_milder_warning() -> None:
    whole = parse_screenplay(hostile_files.screenplay_pdf(3), "whole.pdf")
    repaired = parse_screenplay(hostile_files.broken_xref_pdf(3), "repaired.pdf")
    assert repaired.scenes == whole.scenes
    (warning,) = repaired.warnings
    assert "had to be repaired to be read; all 4 pages were read" in warning


# -- the child process ------------------------------------------------------------------------------------


def test_the_child_returns_the_same_screenplay_as_parsing_in_process(screenplay: bytes) -> None:
    assert parse_untrusted(screenplay, "script.pdf", LIMITS) == parse_screenplay(screenplay, "script.pdf")


def test_a_refusal_in_the_child_arrives_as_the_same_error_and_message(text_bomb: bytes) -> None:
    with pytest.raises(RefusedFileError) as in_process:
        parse_screenplay(text_bomb, "bomb.pdf", limits=LIMITS)
    with pytest.raises(RefusedFileError) as in_child:
        parse_untrusted(text_bomb, "bomb.pdf", LIMITS)
    assert in_child.value.message == in_process.value.message
    assert in_child.value.detail == in_process.value.detail


@pytest.mark.parametrize(
    ("data", "limits", "error"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), LIMITS, UnsupportedFileError),
        (b"   \n", LIMITS, InvalidInputError),
        (hostile_files.screenplay_pdf(3), ParseLimits(max_pages=1), FileTooLargeError),
    ],
    ids=["not-a-script", "empty", "too-many-pages"],
)
def test_other_errors_keep_their_class_across_the_process_boundary(
    data: bytes, limits: ParseLimits, error: type[Exception]
) -> None:
    with pytest.raises(error) as in_process:
        parse_screenplay(data, "upload", limits=limits)
    with pytest.raises(error) as in_child:
        parse_untrusted(data, "upload", limits)
    assert type(in_child.value) is type(in_process.value)
    assert str(in_child.value) == str(in_process.value)


@pytest.mark.skipif(find_tessdata() is None, reason="no Tesseract language data: apt-get install tesseract-ocr-eng")
def test_a_scan_is_read_by_ocr_inside_the_child_within_its_limits() -> None:
    """OCR runs in the child too, under the default address-space limit (Tesseract's OpenMP is held to one
    thread there, each thread would reserve address space)."""
    scanned = scan_pdf(hostile_files.screenplay_pdf(1))
    parsed = parse_untrusted(scanned, "scan.pdf", LIMITS.model_copy(update={"ocr_dpi": 150}))
    assert [scene.location for scene in parsed.scenes if scene.number > 0][:2] == ["PLACE 0", "PLACE 1"]


def test_memory_is_capped_by_the_address_space_limit(small_text_bomb: bytes) -> None:
    limits = NO_PRECHECKS.model_copy(update={"memory_mb": 256})
    with pytest.raises(RefusedFileError, match="needed more than 256 MB of memory"):
        parse_untrusted(small_text_bomb, "bomb.pdf", limits)


def test_cpu_time_is_capped(small_text_bomb: bytes) -> None:
    limits = NO_PRECHECKS.model_copy(update={"cpu_seconds": 1})
    with pytest.raises(RefusedFileError, match="more than 1 seconds of processor time"):
        parse_untrusted(small_text_bomb, "bomb.pdf", limits)


def test_wall_time_is_capped_and_the_child_is_killed(small_text_bomb: bytes) -> None:
    limits = NO_PRECHECKS.model_copy(update={"wall_seconds": 2.0})
    started = time.monotonic()
    with pytest.raises(RefusedFileError, match="took longer than 2 seconds"):
        parse_untrusted(small_text_bomb, "bomb.pdf", limits)
    assert time.monotonic() - started < 60  # killed, not waited for (the parse alone takes ~15 s)


def test_the_answer_size_is_capped() -> None:
    big = generated_script(400).encode()  # ~1.2 MB of JSON once parsed
    with pytest.raises(RefusedFileError, match="more than 1 MB of results"):
        parse_untrusted(big, "big.fountain", ParseLimits(output_mb=1))


def test_other_threads_keep_running_while_a_bomb_is_refused(text_bomb: bytes) -> None:
    """The embedded default runs parses on threads of the Streamlit process. In-process, PyMuPDF holds the
    GIL for the whole page of 400,000 strings (tens of seconds); through the child the app's threads never
    wait. A thread ticks every 10 ms; its longest gap is what a user of another session would feel."""
    with hostile_files.ticking_thread() as gaps:
        for bomb, name in ((text_bomb, "bomb.pdf"), (hostile_files.deflate_bomb(1024), "deflate.pdf")):
            with pytest.raises(RefusedFileError):
                parse_untrusted(bomb, name, LIMITS)
    assert len(gaps) > 10
    assert max(gaps) < 1.0


# -- where uploads are parsed ----------------------------------------------------------------------------


def test_an_uploaded_bomb_fails_its_script_with_the_refusal(services: Services, text_bomb: bytes) -> None:
    script = scripts.ingest(services, text_bomb, "bomb.pdf")
    failed = scripts.get_script(services, script.id)
    assert failed.status is ScriptStatus.FAILED
    assert failed.error is not None and failed.error.stage == "parsing"
    assert "page 1 shows 400,000 pieces of text" in failed.error.message


def test_an_uploaded_pdf_cut_short_completes_with_its_warning(services: Services) -> None:
    script = scripts.ingest(services, hostile_files.truncated_pdf(40, keep=0.3), "cut.pdf")
    done = scripts.get_script(services, script.id)
    assert done.status is ScriptStatus.COMPLETED
    assert len(done.warnings) == 1 and "scenes are missing" in done.warnings[0]


def test_the_parse_command_refuses_a_bomb_with_its_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text_bomb: bytes
) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(text_bomb)
    assert main(["parse", str(path)]) != 0
    assert "page 1 shows 400,000 pieces of text" in capsys.readouterr().err
