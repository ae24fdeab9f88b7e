"""Use cases on scripts: ingest an upload, read status and scenes, retry, delete.

`get_script` and `list_scenes` here are unchecked reads for the system (workers, the CLI following its own
upload, operators); everything a user asks for goes through a check in `services.access`: listing shows only the
user's own and shared scripts, retry and delete need the owner role.
"""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from pathlib import PurePath
from typing import BinaryIO

from cortexreel.bootstrap import Services
from cortexreel.domain.access import Action
from cortexreel.domain.base import utcnow
from cortexreel.domain.files import key_for
from cortexreel.domain.scripts import JobFailure, Progress, Script, ScriptStatus
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import FileTooLargeError, InvalidInputError, NotFoundError
from cortexreel.parsing import detect_format
from cortexreel.services import limits
from cortexreel.services.access import authorize

READ_CHUNK = 1024 * 1024


def ingest(services: Services, upload: BinaryIO | bytes, filename: str, owner: str = LOCAL_USER) -> Script:
    """Validate an upload, store its bytes under their hash, create the script record and queue the parse.
    Counts against the owner's upload limit (and LLM limit when analysis uses an LLM)."""
    limits.spend(services, owner, "upload")
    if limits.uses_llm(services):
        limits.spend(services, owner, "llm")
    data = _read_limited(upload, services.settings.max_upload_bytes)
    if not data.strip():
        raise InvalidInputError(f"{filename or 'The file'} is empty.")
    script_format = detect_format(data)
    sha256 = hashlib.sha256(data).hexdigest()
    script = Script(
        owner=owner,
        title=_title_from(filename),
        filename=PurePath(filename).name or "upload",
        format=script_format,
        blob_key=key_for(sha256),
        sha256=sha256,
        size_bytes=len(data),
    )
    # The record first, then the file: if the document store is down nothing is written at all, and if the
    # file cannot be stored the record is removed again.
    services.documents.add_script(script)
    try:
        services.blobs.put(io.BytesIO(data))
        _queue_parse(services, script)
    except Exception:
        services.documents.delete_script(script.id)
        raise
    return script


def get_script(services: Services, script_id: str) -> Script:
    """Any script by id, unchecked: for workers and operators, not for answering a user."""
    script = services.documents.get_script(script_id)
    if script is None:
        raise NotFoundError(f"There is no script with id {script_id}.")
    return script


def list_scripts(services: Services, user: str) -> list[Script]:
    """The scripts `user` owns or that were shared with them, newest first."""
    return services.documents.list_scripts(visible_to=user)


def retry(services: Services, user: str, script_id: str, *, stalled_after: timedelta = timedelta(hours=1)) -> Script:
    """Run a failed (or stalled) script again (owners only). Work already done is kept: parsed scenes are refreshed
    in place, analysed scenes are skipped, and only the missing steps do any work."""
    script = authorize(services, user, script_id, Action.RETRY)
    stalled = not script.status.finished and utcnow() - script.updated_at >= stalled_after
    if script.status is not ScriptStatus.FAILED and not stalled:
        state = "already complete" if script.status is ScriptStatus.COMPLETED else "still being processed"
        raise InvalidInputError(f"“{script.title}” is {state}; only a failed or stalled script can be retried.")
    if limits.uses_llm(services):
        limits.spend(services, user, "llm")
    script = services.documents.update_script(
        script_id,
        attempt=script.attempt + 1,
        status=ScriptStatus.QUEUED,
        error=None,
        progress=Progress(stage="queued", done=script.progress.done, total=script.progress.total),
    )
    _queue_parse(services, script)
    return script


def delete(services: Services, user: str, script_id: str) -> None:
    """Remove the script, its scenes, history, chats and vectors, and its file unless another script shares it
    (owners only)."""
    script = authorize(services, user, script_id, Action.DELETE)
    services.vectors.delete_script(script_id)
    services.documents.delete_script(script_id)
    if not any(other.blob_key == script.blob_key for other in services.documents.list_scripts()):
        services.blobs.delete(script.blob_key)


def mark_failed(services: Services, script_id: str, stage: str, message: str, detail: str = "") -> None:
    services.documents.update_script(
        script_id, status=ScriptStatus.FAILED, error=JobFailure(stage=stage, message=message, detail=detail)
    )


def _queue_parse(services: Services, script: Script) -> None:
    from cortexreel.tasks import parse_script

    services.queue.enqueue(parse_script, script.id, job_id=f"parse-{script.id}-{script.attempt}")


def _read_limited(upload: BinaryIO | bytes, limit: int) -> bytes:
    if isinstance(upload, bytes):
        data = upload
    else:
        buffer = bytearray()
        while chunk := upload.read(READ_CHUNK):
            buffer.extend(chunk)
            if len(buffer) > limit:
                break
        data = bytes(buffer)
    if len(data) > limit:
        raise FileTooLargeError(
            f"The file is larger than the {limit // (1024 * 1024)} MB limit. "
            "Export the script without embedded images or fonts, or split it."
        )
    return data


def _title_from(filename: str) -> str:
    stem = PurePath(filename).stem.replace("_", " ").replace("-", " ").strip()
    return stem or "Untitled"
