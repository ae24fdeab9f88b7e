"""Small shared pieces of display: status badges, progress lines, risk colours."""

from __future__ import annotations

from collections.abc import Sequence

from cortexreel.domain.scripts import Script, ScriptStatus
from cortexreel.markup import escape_markdown

STATUS_COLOURS = {
    ScriptStatus.QUEUED: "gray",
    ScriptStatus.PARSING: "blue",
    ScriptStatus.ANALYZING: "blue",
    ScriptStatus.INDEXING: "violet",
    ScriptStatus.COMPLETED: "green",
    ScriptStatus.FAILED: "red",
}
RISK_COLOURS = {"LOW": "green", "MEDIUM": "orange", "HIGH": "red", "EXTREME": "violet"}
RISK_ICONS = {"LOW": "🟢", "MEDIUM": "🟡", "HIGH": "🟠", "EXTREME": "🔴", "": "⚪"}


def scenes_text(count: int) -> str:
    """ "1 scene", "12 scenes"."""
    return f"{count} scene" if count == 1 else f"{count} scenes"


def status_badge(script: Script) -> str:
    """Markdown for a coloured status badge."""
    return f":{STATUS_COLOURS[script.status]}-badge[{script.status.value}]"


def progress_line(script: Script) -> str:
    """ "analysing · 12 / 40 scenes" while running, a short summary when finished."""
    progress = script.progress
    if script.indexing and script.search_index is not None:
        index = script.search_index
        return f"ready · indexing for search {index.done} / {scenes_text(index.total)}"
    if script.status is ScriptStatus.COMPLETED:
        return f"done · {scenes_text(script.scene_count)}"
    if script.status is ScriptStatus.FAILED:
        return f"failed while {script.error.stage}" if script.error else "failed"
    if progress.total:
        return f"{progress.stage} · {progress.done} / {scenes_text(progress.total)}"
    return progress.stage


def search_catching_up(scripts: Sequence[Script]) -> str:
    """What the search page says while scripts are still being indexed: how far each is, and what that means."""
    parts = [
        f"“{escape_markdown(script.title)}” {script.search_index.done} of {scenes_text(script.search_index.total)}"
        for script in scripts
        if script.search_index is not None
    ]
    return (
        "Search is still catching up: "
        + "; ".join(parts)
        + " indexed so far. Scenes not indexed yet appear in results as indexing goes on."
    )
