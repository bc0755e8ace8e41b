"""Load task files: Abstractor's own JSON and llm_extractinator task files.

llm_extractinator tasks describe their output in ``Parser_Format``.  Only
the inline dict form is imported (types str/int/float/bool/list/dict,
``literals``, ``optional``, ``description``).  A ``Parser_Format`` that
names a ``.py`` file is refused: Abstractor never executes task code.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from core.task import Field, FieldType, Option, Task


class TaskFileError(ValueError):
    """A task file that cannot be used, with a reason a person can act on."""


def load_task_file(path: Path) -> Task:
    try:
        data = json.loads(Path(path).read_text("utf-8-sig"))
    except FileNotFoundError:
        raise TaskFileError(f"Task file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TaskFileError(f"Cannot read task file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise TaskFileError(f"Task file {path} is not valid JSON: {exc}") from None
    return task_from_dict(data, default_name=Path(path).stem)


def task_from_dict(data: Any, default_name: str = "Imported task") -> Task:
    if not isinstance(data, dict):
        raise TaskFileError("A task file must contain a JSON object.")
    if "Parser_Format" in data:
        return from_extractinator(data, default_name)
    try:
        return Task.model_validate(data)
    except ValueError as exc:
        raise TaskFileError(f"Not a valid Abstractor task: {exc}") from None


_KEY_CLEAN = re.compile(r"[^a-z0-9_]+")


def _clean_key(name: str) -> str:
    key = _KEY_CLEAN.sub("_", name.strip().lower()).strip("_") or "field"
    if not key[0].isalpha():
        key = "f_" + key
    return key[:64]


def from_extractinator(data: dict[str, Any], default_name: str) -> Task:
    fmt = data["Parser_Format"]
    if isinstance(fmt, str):
        raise TaskFileError(
            f"This llm_extractinator task uses a Python parser file ({fmt!r}). "
            "Abstractor never runs code from task files; rewrite Parser_Format as an inline "
            "field spec, or rebuild the task in the task builder.")
    if not isinstance(fmt, dict) or not fmt:
        raise TaskFileError("Parser_Format must be a non-empty object of field specs.")
    fields = [_spec_to_field(name, spec, f"Parser_Format.{name}") for name, spec in fmt.items()]
    name = str(data.get("Task") or data.get("Name") or default_name)
    return Task(
        name=name,
        description=f"Imported from llm_extractinator task '{default_name}'.",
        instructions=str(data.get("Description", "")).strip(),
        fields=fields,
    )


def _spec_to_field(name: str, spec: Any, where: str) -> Field:
    if not isinstance(spec, dict):
        raise TaskFileError(f"{where}: expected an object with a 'type', got {type(spec).__name__}.")
    typ = str(spec.get("type", "str")).lower()
    common: dict[str, Any] = dict(
        key=_clean_key(name),
        label=name.replace("_", " ").strip().capitalize() if name != _clean_key(name) else "",
        description=str(spec.get("description", "")),
        optional=bool(spec.get("optional", False)),
    )
    literals = spec.get("literals")
    if typ in ("str", "string"):
        if literals:
            return Field(type=FieldType.CHOICE, options=_options(literals, where), **common)
        return Field(type=FieldType.TEXT, **common)
    if typ in ("int", "integer"):
        return Field(type=FieldType.INTEGER, **common)
    if typ in ("float", "number"):
        return Field(type=FieldType.DECIMAL, **common)
    if typ in ("bool", "boolean"):
        return Field(type=FieldType.YES_NO, **common)
    if typ == "dict":
        props = spec.get("properties") or {}
        if not props:
            raise TaskFileError(f"{where}: a dict needs 'properties'.")
        return Field(type=FieldType.GROUP, fields=[
            _spec_to_field(k, v, f"{where}.{k}") for k, v in props.items()], **common)
    if typ == "list":
        items = spec.get("items") or {"type": "str"}
        if not isinstance(items, dict):
            raise TaskFileError(f"{where}: 'items' must be an object.")
        ityp = str(items.get("type", "str")).lower()
        if ityp == "dict":
            props = items.get("properties") or {}
            if not props:
                raise TaskFileError(f"{where}.items: a dict needs 'properties'.")
            return Field(type=FieldType.GROUP_LIST, fields=[
                _spec_to_field(k, v, f"{where}.items.{k}") for k, v in props.items()], **common)
        if ityp in ("str", "string") and items.get("literals"):
            return Field(type=FieldType.MULTI_CHOICE, options=_options(items["literals"], where), **common)
        if ityp in ("str", "string"):
            return Field(type=FieldType.TEXT_LIST, **common)
        raise TaskFileError(f"{where}: lists of '{ityp}' are not supported; use text, choices or groups.")
    raise TaskFileError(f"{where}: unknown type '{typ}' (expected str, int, float, bool, list or dict).")


def _options(literals: Any, where: str) -> list[Option]:
    if not isinstance(literals, list) or not literals:
        raise TaskFileError(f"{where}: 'literals' must be a non-empty list.")
    return [Option(value=str(v)) for v in literals]
