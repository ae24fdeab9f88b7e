"""Use cases on scripts: ingest an upload, read status and scenes, retry, delete.

`get_script` and `list_scenes` here are unchecked reads for the system (workers, the CLI following its own
upload, operators); everything a user asks for goes through a check in `services.access`: listing shows only the
user's own and shared scripts, retry and delete need the owner role.
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import PurePath
from typing import BinaryIO, Literal

from cortexreel.container import Services
from cortexreel.domain.access import Action
from cortexreel.domain.files import key_for
from cortexreel.domain.screenplay import ScriptFormat
from cortexreel.domain.scripts import Progress, Script, ScriptStatus
from cortexreel.domain.users import LOCAL_USER, normalise_login
from cortexreel.errors import FileTooLargeError, InvalidInputError, NotFoundError
from cortexreel.parsing import check_upload
from cortexreel.services import limits, pipeline
from cortexreel.services.access import authorize

log = logging.getLogger(__name__)

READ_CHUNK = 1024 * 1024


def ingest(services: Services, upload: BinaryIO | bytes, filename: str, owner: str = LOCAL_USER) -> Script:
    """Validate an upload, store its bytes under their hash, create the script record and queue the parse.
    Counts against the owner's upload limit (and LLM limit when analysis uses an LLM) once the file is accepted:
    a refused file, or one that could not be stored, costs nothing."""
    owner = normalise_login(owner)
    kinds: tuple[limits.Kind, ...] = ("upload", "llm") if limits.uses_llm(services) else ("upload",)
    limits.check(services, owner, *kinds)
    data = _read_limited(upload, services.settings.max_upload_bytes)
    if not data.strip():
        raise InvalidInputError(f"{filename or 'The file'} is empty.")
    settings = services.settings
    script_format = check_upload(data, filename, max_pages=settings.max_pages, max_bytes=settings.max_upload_bytes)
    spent = limits.spend(services, owner, *kinds)
    try:
        return _create(services, data, filename, owner, script_format)
    except Exception:
        limits.give_back(services, spent)  # nothing was stored, so nothing counts
        raise


def _create(services: Services, data: bytes, filename: str, owner: str, script_format: ScriptFormat) -> Script:
    """Store the accepted file and its script record, and queue the parse."""
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
        pipeline.queue_parse(services, script)
    except Exception:
        services.documents.delete_script(script.id)
        raise
    return script


def same_file(services: Services, user: str, data: bytes) -> Script | None:
    """A script `user` can see that was made from exactly these bytes (the newest), so an upload of the same
    file again can offer it instead of silently making a second copy."""
    sha256 = hashlib.sha256(data).hexdigest()
    return next((script for script in list_scripts(services, user) if script.sha256 == sha256), None)


def get_script(services: Services, script_id: str) -> Script:
    """Any script by id, unchecked: for workers and operators, not for answering a user."""
    script = services.documents.get_script(script_id)
    if script is None:
        raise NotFoundError(f"There is no script with id {script_id}.")
    return script


def list_scripts(services: Services, user: str) -> list[Script]:
    """The scripts `user` owns or that were shared with them, newest first."""
    return services.documents.list_scripts(visible_to=user)


def retry(services: Services, user: str, script_id: str) -> Script:
    """Run a failed script again, or one whose work is provably not running (owners only). Work already done is
    kept: parsed scenes are refreshed in place, analysed scenes are skipped, and only the missing steps do any work."""
    script = authorize(services, user, script_id, Action.RETRY)
    if script.status is ScriptStatus.COMPLETED:
        raise InvalidInputError(
            f"“{script.title}” is already complete; only a failed or stalled script can be retried."
        )
    if not retryable(services, script):
        raise InvalidInputError(
            f"“{script.title}” is still being processed; only a failed or stalled script can be retried."
        )
    if limits.uses_llm(services):
        limits.spend(services, user, "llm")
    services.records.put_record("interruptions", script_id, {"count": 0})
    return _requeue(services, script)


WorkState = Literal["done", "running", "recovering", "stalled"]


def work_state(services: Services, script: Script) -> WorkState:
    """What is happening to an unfinished script's work, from the task queue: `running` (queued or running),
    `recovering` (what ran it died; the queue retries it, or marks it failed when out of retries), `stalled`
    (nothing queued or running will carry it on: it needs Retry). `done` for a completed or failed script."""
    if script.status.finished:
        return "done"
    for kind in ("parse", "finish"):
        state = services.queue.state(pipeline.job_id(kind, script.id, script.attempt))
        if state in ("queued", "started"):
            return "running"
        if state in ("stalled", "retrying"):
            return "recovering"
        if state != "finished":
            return "stalled"
    return "stalled"  # its last step finished without finishing the script


def retryable(services: Services, script: Script) -> bool:
    """Whether Retry may run now: the script failed, or no job of it is queued or running."""
    if script.status is ScriptStatus.FAILED:
        return True
    return not script.status.finished and work_state(services, script) != "running"


def recover_interrupted(services: Services) -> list[Script]:
    """On start of an app that runs its tasks in-process: carry on every unfinished script, and every unfinished
    indexing, whose work died with the process that ran it. A script interrupted more often than the task retries
    allow is marked failed instead, so a file that brings the process down cannot do it again on every start.
    Returns the scripts queued again."""
    if services.queue.kind != "in-process":
        return []  # RQ finds abandoned jobs itself (cortexreel.adapters.rq_worker)
    recovered = []
    for script in services.documents.list_scripts():
        if script.indexing and services.queue.state(pipeline.job_id("index", script.id, script.attempt)) not in (
            "queued",
            "started",
        ):
            log.info("Carrying on the indexing of script %s", script.id)
            pipeline.queue_index(services, script)
            recovered.append(script)
            continue
        if script.status.finished or work_state(services, script) != "stalled":
            continue
        # Per script, how often its in-process work died with the app.
        count = int((services.records.get_record("interruptions", script.id) or {}).get("count", 0)) + 1
        services.records.put_record("interruptions", script.id, {"count": count})
        if count > services.settings.task_retries:
            log.warning("Script %s was interrupted %d times; marking it failed", script.id, count)
            pipeline.mark_failed(
                services,
                script.id,
                script.progress.stage if script.progress.stage != "queued" else "parsing",
                f"CortexReel stopped {count} times while working on this script, so it gave up. The file may be too "
                "large or complex; finished scenes are kept. Use Retry to try again.",
                detail=f"interrupted {count} times (the process running the task runner ended)",
            )
            continue
        log.info("Carrying on script %s, interrupted while %s", script.id, script.status.value)
        recovered.append(_requeue(services, script))
    return recovered


def delete(services: Services, user: str, script_id: str) -> None:
    """Remove the script, its scenes, history, chats and vectors, and its file unless another script shares it
    (owners only)."""
    script = authorize(services, user, script_id, Action.DELETE)
    services.vectors.delete_script(script_id)
    services.documents.delete_script(script_id)
    services.records.delete_records("token-usage", f"{script_id}-")
    services.records.delete_records("interruptions", script_id)
    if not any(other.blob_key == script.blob_key for other in services.documents.list_scripts()):
        services.blobs.delete(script.blob_key)


def _requeue(services: Services, script: Script) -> Script:
    """A new attempt: new job ids, so nothing of an earlier attempt is mistaken for it."""
    script = services.documents.update_script(
        script.id,
        attempt=script.attempt + 1,
        status=ScriptStatus.QUEUED,
        error=None,
        progress=Progress(stage="queued", done=script.progress.done, total=script.progress.total),
    )
    pipeline.queue_parse(services, script)
    return script


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
