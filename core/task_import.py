"""Load task files: Abstractor's own JSON and llm_extractinator task files.

llm_extractinator tasks describe their output in ``Parser_Format``.  Only
the inline dict form is imported, with llm_extractinator's own meaning
(``output_parsers.create_field``): types str/int/float/bool/list/dict,
``literals`` (a ``Literal[...]`` that replaces the type: str literals become
a choice, int/float literals a number restricted to those values),
``optional`` (may be null), ``description``, ``properties`` of a dict and
``items`` of a list.  A spec Abstractor cannot represent exactly (a list of
numbers, literals that do not fit the field's type, type ``any``) is refused
with a reason, never imported looser than written.  A ``Parser_Format`` that
names a ``.py`` file is refused: Abstractor never executes task code.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from core.task import Field, FieldType, Option, PromptStyle, Task, TaskOptions


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
    fields = _fields(fmt, "Parser_Format")
    name = str(data.get("Task") or data.get("Name") or default_name)
    description = f"Imported from llm_extractinator task '{default_name}'."
    if data.get("Example_Path"):
        description += (f" Its few-shot examples ({data['Example_Path']}) are not used: "
                        "Abstractor prompts without examples.")
    return Task(
        name=name,
        description=description,
        instructions=str(data.get("Description", "")).strip(),
        fields=fields,
        options=TaskOptions(prompt_style=EXTRACTINATOR_STYLE),
    )


#: The prompt style imported llm_extractinator tasks get (measured: docs/accuracy.md).
EXTRACTINATOR_STYLE: PromptStyle = "llm_extractinator"

_TYPES = {"str": "str", "string": "str", "int": "int", "integer": "int", "float": "float",
          "number": "float", "bool": "bool", "boolean": "bool", "list": "list", "dict": "dict", "any": "any"}


def _fields(props: Any, where: str) -> list[Field]:
    if not isinstance(props, dict) or not props:
        raise TaskFileError(f"{where}: a dict needs 'properties' with at least one field.")
    fields = [_spec_to_field(name, spec, f"{where}.{name}") for name, spec in props.items()]
    seen: dict[str, str] = {}
    for name, f in zip(props, fields):
        if f.key in seen:
            raise TaskFileError(
                f"{where}: the fields '{seen[f.key]}' and '{name}' would both become '{f.key}' "
                "(Abstractor keys are lowercase letters, digits and _); rename one of them.")
        seen[f.key] = name
    return fields


def _type_of(spec: Any, where: str) -> str:
    if not isinstance(spec, dict):
        raise TaskFileError(f"{where}: expected an object with a 'type', got {type(spec).__name__}.")
    if "type" not in spec:
        raise TaskFileError(f"{where}: the field has no 'type' (llm_extractinator requires one).")
    typ = _TYPES.get(str(spec["type"]).lower())
    if typ is None:
        raise TaskFileError(
            f"{where}: unknown type '{spec['type']}' (expected str, int, float, bool, list or dict).")
    if typ == "any":
        raise TaskFileError(f"{where}: type 'any' cannot be checked; give the field a concrete type.")
    return typ


def _spec_to_field(name: str, spec: Any, where: str) -> Field:
    typ = _type_of(spec, where)
    common: dict[str, Any] = dict(
        key=_clean_key(name),
        label=name.replace("_", " ").strip().capitalize() if name != _clean_key(name) else "",
        description=str(spec.get("description") or ""),
        optional=bool(spec.get("optional", False)),
    )
    literals = _literals(spec, typ, where)
    if typ == "str":
        if literals:
            return Field(type=FieldType.CHOICE, options=_options(literals), **common)
        return Field(type=FieldType.TEXT, **common)
    if typ in ("int", "float"):
        ftype = FieldType.INTEGER if typ == "int" else FieldType.DECIMAL
        return Field(type=ftype, options=_options(literals) if literals else [], **common)
    if typ == "bool":
        return Field(type=FieldType.YES_NO, **common)
    if typ == "dict":
        return Field(type=FieldType.GROUP, fields=_fields(spec.get("properties"), where), **common)
    # list
    items = spec.get("items")
    if not isinstance(items, dict):
        raise TaskFileError(f"{where}: a list needs 'items', an object with the items' 'type'.")
    iwhere = f"{where}.items"
    ityp = _type_of(items, iwhere)
    ilits = _literals(items, ityp, iwhere)
    if ityp == "dict":
        return Field(type=FieldType.GROUP_LIST, fields=_fields(items.get("properties"), iwhere), **common)
    if ityp == "str" and ilits:
        return Field(type=FieldType.MULTI_CHOICE, options=_options(ilits), **common)
    if ityp == "str":
        return Field(type=FieldType.TEXT_LIST, **common)
    raise TaskFileError(
        f"{where}: lists of '{items['type']}' cannot be represented in Abstractor (it has lists of "
        "text, of choices and of groups); use a list of dicts with one number field, or separate fields.")


def _literals(spec: dict, typ: str, where: str) -> list | None:
    """The field's ``literals``, checked against its type (llm_extractinator makes them a
    ``Literal[...]`` that replaces the type, so each must be a value of that type)."""
    lits = spec.get("literals")
    if lits is None or lits == []:
        return None
    if not isinstance(lits, list):
        raise TaskFileError(f"{where}: 'literals' must be a list of values.")
    if typ in ("list", "dict"):
        raise TaskFileError(
            f"{where}: 'literals' on a {typ} would make the whole value one of the literals; "
            "put them on the list's 'items' instead.")
    if typ == "bool":
        if {type(v) for v in lits} == {bool} and set(lits) == {True, False}:
            return None  # both values: the same as a plain yes/no
        raise TaskFileError(f"{where}: a yes/no field restricted to {lits!r} cannot be represented.")
    if len(set(map(repr, lits))) != len(lits):
        raise TaskFileError(f"{where}: 'literals' has repeated values.")
    fits = {"str": lambda v: isinstance(v, str) and v.strip() != "",
            "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
            "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)}[typ]
    bad = [v for v in lits if not fits(v)]
    if bad:
        kind = {"str": "non-empty texts", "int": "whole numbers", "float": "numbers"}[typ]
        raise TaskFileError(
            f"{where}: the literals of a '{typ}' field must all be {kind}; {bad[0]!r} is not. "
            "Give the field the type of its literals.")
    return lits


def _options(literals: list) -> list[Option]:
    return [Option(value=v if isinstance(v, str) else repr(v)) for v in literals]


# ---- the other way: an Abstractor task as an llm_extractinator task file ----------------------
_TYPE_OUT = {FieldType.TEXT: "str", FieldType.INTEGER: "int", FieldType.DECIMAL: "float",
             FieldType.YES_NO: "bool", FieldType.CHOICE: "str", FieldType.GROUP: "dict"}


def to_extractinator(task: Task) -> dict[str, Any]:
    """``task`` as an llm_extractinator task file with an inline ``Parser_Format``.

    Raises TaskFileError for what llm_extractinator cannot express (dates,
    plausible ranges, units and option descriptions are not constraints there:
    a date field is refused, the rest goes into the field's description).
    """
    return {"Task": task.name, "Description": task.instructions or task.description,
            "Input_Field": "text", "Parser_Format": {f.key: _field_spec(f) for f in task.fields}}


def _field_spec(f: Field) -> dict[str, Any]:
    desc = f.description
    if f.unit:
        desc = (desc + f" (unit: {f.unit})").strip()
    spec: dict[str, Any] = {"type": "", "description": desc}
    if f.optional:
        spec["optional"] = True
    t = f.type
    if t is FieldType.DATE:
        raise TaskFileError(f"{f.key}: llm_extractinator has no date type.")
    if t in _TYPE_OUT:
        spec["type"] = _TYPE_OUT[t]
        if t is FieldType.CHOICE or (t.is_number and f.options):
            spec["literals"] = f.allowed_values()
        if t is FieldType.GROUP:
            spec["properties"] = {c.key: _field_spec(c) for c in f.fields}
        return spec
    spec["type"] = "list"
    if t is FieldType.MULTI_CHOICE:
        spec["items"] = {"type": "str", "literals": f.option_values()}
    elif t is FieldType.TEXT_LIST:
        spec["items"] = {"type": "str"}
    else:  # GROUP_LIST
        spec["items"] = {"type": "dict", "properties": {c.key: _field_spec(c) for c in f.fields}}
    return spec
