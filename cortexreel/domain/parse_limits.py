"""The limits an uploaded file is parsed under: cheap pre-checks that refuse a file built to overload the
reader, and the hard limits of the child process that reads it. One record, filled from Settings and sent to
the child, so the parent and the child never disagree about a limit."""

from __future__ import annotations

from pydantic import Field

from cortexreel.domain.base import Model


class ParseLimits(Model):
    """Defaults fit a 600-page screenplay with room to spare; a file over any of them is not a screenplay."""

    max_bytes: int = Field(default=50 * 1024 * 1024, ge=1)
    max_pages: int = Field(default=600, ge=1)

    # Hard limits of the child process (address space, CPU, wall clock, size of its answer).
    memory_mb: int = Field(default=1024, ge=256)  # a 600-page PDF parses in 512
    # Time is generous because OCR of a long scan is slow (1-2 s a page); the pre-checks refuse bombs fast.
    cpu_seconds: int = Field(default=600, ge=1)
    wall_seconds: float = Field(default=900.0, gt=0)
    output_mb: int = Field(default=64, ge=1)

    # Pre-checks on PDFs, before any page is read.
    max_stream_mb: int = Field(default=64, ge=1, description="one stream, once inflated")
    max_inflated_mb: int = Field(default=1024, ge=1, description="all streams together, once inflated")
    max_text_per_page: int = Field(default=20_000, ge=1, description="strings shown on one page")
    max_text_total: int = Field(default=3_000_000, ge=1, description="strings shown on all pages")
    max_image_megapixels: int = Field(default=100, ge=1, description="one image, or one page rendered for OCR")
    max_objects: int = Field(default=500_000, ge=1)
    ocr_dpi: int = Field(default=150, ge=72)  # more scenes and cues than 300 on real typewritten scans, twice as fast

    # Pre-checks on text (Fountain, plain text) and a check on every parse.
    max_line_chars: int = Field(default=20_000, ge=80)
    max_scene_chars: int = Field(default=400_000, ge=1000)
