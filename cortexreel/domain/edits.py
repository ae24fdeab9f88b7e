"""Edits of a scene analysis addressed by dotted path ("location.time_of_day", "breakdown.props").

Pure functions: each returns a new, validated analysis, or raises InvalidInputError saying what was wrong, so a
form, the chat and an import all change the analysis the same way.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.scenes import FieldChange
from cortexreel.errors import InvalidInputError

EditKind = Literal["set", "add", "remove"]
READ_ONLY_ROOTS = frozenset({"analyser", "imported", "warnings", "evidence"})


@dataclass(frozen=True)
class FieldEdit:
    """One requested change: set a field, or add / remove one item of a list field."""

    path: str
    kind: EditKind
    value: Any


@dataclass(frozen=True)
class FieldInfo:
    """An editable field: its path, a readable type, the allowed values when they are a fixed set, and for numbers
    whether only whole numbers are allowed (a widget must not mix int and float)."""

    path: str
    kind: Literal["text", "number", "list", "choice", "object-list"]
    choices: tuple[str, ...] = ()
    integer: bool = False


def get_path(analysis: SceneAnalysis, path: str) -> Any:
    """The JSON value at `path`; InvalidInputError if there is no such field."""
    current: Any = analysis.model_dump(mode="json")
    for part in _parts(path):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            raise InvalidInputError(f"The analysis has no field “{path}”.")
    return current


def apply_edits(analysis: SceneAnalysis, edits: list[FieldEdit]) -> tuple[SceneAnalysis, list[FieldChange]]:
    """Apply every edit in order; the result is validated as a whole. Nothing changes if any edit is invalid."""
    data: dict[str, Any] = analysis.model_dump(mode="json")
    changes: list[FieldChange] = []
    for edit in edits:
        parts = _parts(edit.path)
        if parts[0] in READ_ONLY_ROOTS:
            raise InvalidInputError(f"“{edit.path}” is recorded by CortexReel and cannot be edited.")
        parent = _container(data, parts, edit.path)
        key = parts[-1]
        old = parent[key]
        if edit.kind == "set":
            new = edit.value
        elif not isinstance(old, list):
            raise InvalidInputError(f"“{edit.path}” is not a list, so items cannot be added to or removed from it.")
        elif edit.kind == "add":
            new = old if _contains(old, edit.value) else [*old, edit.value]
        else:
            if not _contains(old, edit.value):
                raise InvalidInputError(f"“{_label(edit.value)}” is not in {edit.path}.")
            new = [item for item in old if not _same(item, edit.value)]
        parent[key] = new
        changes.append(FieldChange(path=edit.path, old=old, new=new))
    try:
        updated = SceneAnalysis.model_validate(data)
    except ValidationError as error:
        raise InvalidInputError(_explain(error)) from None
    # Report the values as validated (e.g. "8" stored as 8.0).
    return updated, [change.model_copy(update={"new": get_path(updated, change.path)}) for change in changes]


def editable_fields() -> list[FieldInfo]:
    """Every leaf field a user may edit, with its kind and, for fixed vocabularies, the allowed values."""
    fields: list[FieldInfo] = []
    _collect(SceneAnalysis, "", fields)
    return fields


def _collect(model: type[BaseModel], prefix: str, fields: list[FieldInfo]) -> None:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        if not prefix and name in READ_ONLY_ROOTS:
            continue
        annotation = _strip_optional(field.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            _collect(annotation, f"{path}.", fields)
        elif get_origin(annotation) is list:
            (item,) = get_args(annotation)
            is_model = isinstance(item, type) and issubclass(item, BaseModel)
            fields.append(FieldInfo(path, "object-list" if is_model else "list"))
        elif get_origin(annotation) is Literal:
            fields.append(FieldInfo(path, "choice", tuple(str(choice) for choice in get_args(annotation))))
        elif annotation in (int, float):
            fields.append(FieldInfo(path, "number", integer=annotation is int))
        else:
            fields.append(FieldInfo(path, "text"))


def _strip_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        remaining = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(remaining) == 1:
            return remaining[0]
    return annotation


def _parts(path: str) -> list[str]:
    parts = [part for part in path.strip().split(".") if part]
    if not parts:
        raise InvalidInputError("An edit needs the name of the field to change.")
    return parts


def _container(data: dict[str, Any], parts: list[str], path: str) -> Any:
    current: Any = data
    for part in parts[:-1]:
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            raise InvalidInputError(f"The analysis has no field “{path}”.")
    if not isinstance(current, dict) or parts[-1] not in current:
        raise InvalidInputError(f"The analysis has no field “{path}”.")
    return current


def _same(item: Any, wanted: Any) -> bool:
    return bool(_key(item) == _key(wanted))


def _contains(items: list[Any], wanted: Any) -> bool:
    return any(_same(item, wanted) for item in items)


def _key(value: Any) -> Any:
    """Items match case-insensitively, and objects (props, characters, hazards) by their name."""
    if isinstance(value, dict):
        value = value.get("name", value.get("description", value))
    return value.casefold().strip() if isinstance(value, str) else value


def _label(value: Any) -> str:
    key = _key(value)
    return str(value.get("name", key)) if isinstance(value, dict) else str(value)


def _explain(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        problems.append(f"{where}: {item['msg']}")
    return "That value does not fit the field: " + "; ".join(problems)
