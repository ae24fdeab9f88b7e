"""Hostile text and XML (issue 16, Low items): over-long lines and scenes are refused with a clear error,
hostile Final Draft XML is named for what it is, and UTF-16 without a byte-order mark is read as text."""

from __future__ import annotations

import pytest

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.errors import FileTooLargeError, RefusedFileError, UnsupportedFileError
from cortexreel.parsing import detect_format, parse_screenplay
from cortexreel.parsing.sandbox import parse_untrusted
from tests import hostile_files
from tests.parsing_helpers import generated_script

LIMITS = ParseLimits()


def test_a_10_mb_single_line_is_refused_before_it_is_read() -> None:
    with pytest.raises(RefusedFileError, match="a line of 10,485,7\\d\\d characters") as refusal:
        parse_screenplay(hostile_files.long_line_text(), "line.fountain", limits=LIMITS)
    assert "at most 20,000" in refusal.value.message


def test_10_mb_of_short_lines_is_refused_as_far_over_the_page_limit() -> None:
    with pytest.raises(FileTooLargeError, match="about [0-9,]+ pages long; the limit is 600 pages"):
        parse_screenplay(hostile_files.huge_scene_text(), "scene.fountain", limits=LIMITS)


def test_a_scene_over_the_scene_limit_is_refused_after_reading() -> None:
    # Within the page estimate (about 30 pages of text), but all of it one scene.
    text = hostile_files.huge_scene_text(240_000)
    with pytest.raises(RefusedFileError, match="Scene 1 is 2\\d\\d,\\d\\d\\d characters long"):
        parse_screenplay(text, "scene.fountain", limits=LIMITS.model_copy(update={"max_scene_chars": 200_000}))
    assert parse_screenplay(text, "scene.fountain", limits=LIMITS).scenes[0].number == 1


def test_unstructured_text_is_one_scene_and_has_the_same_limit() -> None:
    prose = b"It was a dark night and nothing happened at all.\n" * 6000  # ~300 KB, no headings
    with pytest.raises(RefusedFileError, match="The text before the first scene is"):
        parse_screenplay(
            prose, "notes.txt", allow_unstructured=True, limits=LIMITS.model_copy(update={"max_scene_chars": 100_000})
        )


def test_a_script_at_the_page_limit_is_not_refused() -> None:
    screenplay = parse_screenplay(generated_script(500).encode(), "long.fountain", limits=LIMITS)
    assert screenplay.pages > 450 and screenplay.warnings == []


def test_billion_laughs_is_refused_as_entity_expansion() -> None:
    with pytest.raises(RefusedFileError, match="refused: it uses entity expansion") as refusal:
        parse_untrusted(hostile_files.billion_laughs_fdx(), "laughs.fdx", LIMITS)
    assert "damaged" not in refusal.value.message


def test_an_external_entity_is_refused_as_such() -> None:
    with pytest.raises(RefusedFileError, match="refused: it uses external entities") as refusal:
        parse_untrusted(hostile_files.xxe_fdx(), "xxe.fdx", LIMITS)
    assert "root:" not in refusal.value.message + refusal.value.detail.split("system_id")[0]


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-16-le", "utf-16"])
def test_utf16_is_read_as_text_with_or_without_a_byte_order_mark(encoding: str) -> None:
    text = generated_script(2)
    data = text.encode(encoding)
    assert detect_format(data) == "fountain"
    assert parse_screenplay(data, "script.fountain") == parse_screenplay(text.encode(), "script.fountain")


def test_binary_with_zero_bytes_is_still_not_text() -> None:
    with pytest.raises(UnsupportedFileError, match="not text"):
        detect_format(bytes(range(256)) * 20)
