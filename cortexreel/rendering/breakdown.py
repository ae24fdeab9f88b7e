"""The breakdown as the renderers receive it: every fact of every scene already worked out by the export use case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cortexreel.domain.rollups import RiskEntry
from cortexreel.domain.vocabulary import Category


@dataclass(frozen=True)
class SceneSheet:
    """One scene as its breakdown sheet shows it."""

    label: str  # the scene number as printed ("12", "12A")
    heading: str
    int_ext: str
    day_night: str
    pages: str  # length in eighths ("1 2/8")
    page: str  # the script page it starts on
    synopsis: str
    strip_colour: str  # hex RGB
    elements: dict[str, list[str]]  # category key -> the scene's elements in that category


@dataclass(frozen=True)
class BreakdownReport:
    """A script's breakdown, scenes in order: one summary row per scene and one sheet per scene."""

    title: str
    filename: str
    analyser: str
    generated_at: datetime
    categories: Sequence[Category]  # in the order of a printed breakdown sheet
    rows: list[dict[str, str]]  # the summary table, a row per scene (same order as `scenes`)
    scenes: list[SceneSheet]


@dataclass(frozen=True)
class ScriptTotals:
    """The whole script's figures on the PDF report's title page, and its risk register (worked out from the
    rollups, which only the PDF needs)."""

    pages: str  # the script's length in eighths
    cast_count: int
    location_count: int
    risks: Sequence[RiskEntry]


def fit(text: str, limit: int) -> str:
    """`text` on one line, cut with "…" to at most `limit` characters."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
