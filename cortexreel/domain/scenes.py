"""Scenes, their version history and the pure logic of versioned edits."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.base import Model, Setting, utcnow
from cortexreel.domain.screenplay import Element, ParsedScene, speakers


class PageSpan(Model):
    """Where a scene sits: script page numbers (`start`, `end`), the same pages as printed ("12A"), the
    physical pages of the PDF file, and its length in eighths of a page."""

    start: int = Field(default=1, ge=1)
    end: int = Field(default=1, ge=1)
    eighths: int = Field(default=1, ge=1)
    printed_start: str | None = None
    printed_end: str | None = None
    pdf_start: int | None = Field(default=None, ge=1)
    pdf_end: int | None = Field(default=None, ge=1)

    @property
    def label(self) -> str:
        """The pages as a crew names them: printed numbers where the script prints them."""
        first = self.printed_start or str(self.start)
        last = self.printed_end or str(self.end)
        return first if first == last else f"{first}\u2013{last}"


class VersionSource(StrEnum):
    ANALYSIS = "analysis"
    FORM = "form"
    CHAT = "chat"
    REVERT = "revert"
    IMPORT = "import"


class FieldChange(Model):
    path: str
    old: Any = None
    new: Any = None


class SceneVersion(Model):
    """One entry of a scene's history: the full analysis as it was after this version was written."""

    scene_id: str
    script_id: str
    version: int = Field(ge=1)
    analysis: SceneAnalysis
    changes: list[FieldChange] = Field(default_factory=list)
    author: str
    source: VersionSource
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)


class Scene(Model):
    id: str
    script_id: str
    number: int = Field(ge=0)
    label: str | None = None
    heading: str
    setting: Setting | None = None
    location: str = ""
    time_of_day: str | None = None
    pages: PageSpan = Field(default_factory=PageSpan)
    elements: list[Element] = Field(default_factory=list)
    text: str = ""
    analysis: SceneAnalysis | None = None
    version: int = Field(default=0, ge=0)
    updated_by: str | None = None
    updated_at: datetime | None = None
    # The version record of the last write, kept on the scene itself so a history entry lost to a crash
    # between the scene write and the history insert can be restored.
    last_change: SceneVersion | None = None

    @property
    def characters(self) -> list[str]:
        return speakers(self.elements)


def scene_id(script_id: str, number: int) -> str:
    """Scene ids are derived from (script, number) so re-running a parse upserts the same scenes."""
    return f"{script_id}-{number:04d}"


def scene_from_parse(script_id: str, parsed: ParsedScene) -> Scene:
    return Scene(
        id=scene_id(script_id, parsed.number),
        script_id=script_id,
        number=parsed.number,
        label=parsed.label,
        heading=parsed.heading,
        setting=parsed.setting,
        location=parsed.location,
        time_of_day=parsed.time_of_day,
        pages=PageSpan(
            start=parsed.page_start,
            end=parsed.page_end,
            eighths=parsed.eighths,
            printed_start=parsed.printed_page_start,
            printed_end=parsed.printed_page_end,
            pdf_start=parsed.pdf_page_start,
            pdf_end=parsed.pdf_page_end,
        ),
        elements=parsed.elements,
        text=scene_text(parsed.heading, parsed.elements),
    )


def scene_text(heading: str, elements: list[Element]) -> str:
    """The scene as plain screenplay text, one block per element, for search and display."""
    lines = [heading] if heading else []
    for element in elements:
        if element.type == "character":
            lines.append(element.text.upper())
        else:
            lines.append(element.text)
    return "\n".join(lines)


def next_version(
    scene: Scene,
    analysis: SceneAnalysis,
    *,
    author: str,
    source: VersionSource,
    note: str = "",
    changes: list[FieldChange] | None = None,
) -> SceneVersion:
    """The history record for writing `analysis` over the scene's current one."""
    if changes is None:
        changes = diff_analyses(scene.analysis, analysis)
    return SceneVersion(
        scene_id=scene.id,
        script_id=scene.script_id,
        version=scene.version + 1,
        analysis=analysis,
        changes=changes,
        author=author,
        source=source,
        note=note,
    )


def diff_analyses(old: SceneAnalysis | None, new: SceneAnalysis) -> list[FieldChange]:
    """Leaf-level differences between two analyses, as dotted paths. Lists are compared whole."""
    before = old.model_dump(mode="json") if old is not None else {}
    after = new.model_dump(mode="json")
    changes: list[FieldChange] = []
    _diff_into(changes, "", before, after)
    return changes


def _diff_into(changes: list[FieldChange], prefix: str, old: Any, new: Any) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            path = f"{prefix}.{key}" if prefix else key
            _diff_into(changes, path, old.get(key), new.get(key))
        return
    if isinstance(new, dict) and old is None:
        _diff_into(changes, prefix, {}, new)
        return
    if old != new:
        changes.append(FieldChange(path=prefix, old=old, new=new))
