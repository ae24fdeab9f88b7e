"""Small shared pieces of display: status badges, progress lines, risk colours."""

from __future__ import annotations

from cortexreel.domain.scripts import Script, ScriptStatus

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
    if script.status is ScriptStatus.COMPLETED:
        return f"done · {scenes_text(script.scene_count)}"
    if script.status is ScriptStatus.FAILED:
        return f"failed while {script.error.stage}" if script.error else "failed"
    if progress.total:
        return f"{progress.stage} · {progress.done} / {scenes_text(progress.total)}"
    return progress.stage
