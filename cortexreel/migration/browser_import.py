"""Import of the browser app's saved work into the stores: the plan read from the export (`browser_export`) is
written entry by entry, and entries imported before are left untouched."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from cortexreel.container import Services
from cortexreel.domain.users import normalise_login
from cortexreel.errors import ConflictError, InvalidInputError
from cortexreel.migration.browser_export import PlannedScript, plan_import, read_export

EntryStatus = Literal["imported", "already imported", "would import"]


@dataclass(frozen=True)
class ImportedEntry:
    old_id: str
    script_id: str
    title: str
    scenes: int
    chat_messages: int
    status: EntryStatus


@dataclass
class ImportReport:
    entries: list[ImportedEntry]
    warnings: list[str]
    dry_run: bool

    @property
    def imported(self) -> int:
        return sum(1 for entry in self.entries if entry.status == "imported")

    @property
    def already_imported(self) -> int:
        return sum(1 for entry in self.entries if entry.status == "already imported")


def import_browser_export(services: Services, data: bytes, *, owner: str, dry_run: bool = False) -> ImportReport:
    """Import an export file's analyses for `owner`; entries imported before are left untouched. With `dry_run`,
    report what would be imported and write nothing."""
    plan = plan_import(read_export(data), normalise_login(owner))
    entries: list[ImportedEntry] = []
    warnings = list(plan.warnings)
    for planned in plan.scripts:
        warnings.extend(planned.warnings)
        status: EntryStatus
        if services.documents.get_script(planned.script.id) is not None:
            status = "already imported"
        elif dry_run:
            status = "would import"
        else:
            status = "imported" if _write(services, planned) else "already imported"
        entries.append(
            ImportedEntry(
                old_id=planned.old_id,
                script_id=planned.script.id,
                title=planned.script.title,
                scenes=len(planned.scenes),
                chat_messages=len(planned.chat.messages) if planned.chat else 0,
                status=status,
            )
        )
    return ImportReport(entries, warnings, dry_run)


def _write(services: Services, planned: PlannedScript) -> bool:
    """Store one entry. The script record goes last, so an interrupted import leaves no visible script and the
    next import writes the same documents again. False if another import stored it first."""
    from cortexreel.services.pipeline import index_scenes

    stored = services.blobs.put(io.BytesIO(planned.source))
    if stored.key != planned.script.blob_key:  # pragma: no cover - a blob store that changed the bytes
        raise InvalidInputError("The file store did not keep the imported data intact; nothing was imported.")
    services.documents.import_scenes(planned.scenes)
    services.documents.import_versions(planned.versions)
    if planned.chat is not None:
        services.documents.save_chat(planned.chat)
    index_scenes(services, planned.script, planned.scenes)
    try:
        services.documents.add_script(planned.script)
    except ConflictError:
        return False
    return True
