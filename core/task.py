"""A task: what to extract from each report, as plain data.

A :class:`Task` holds a name, instructions for the model, a tree of
:class:`Field` definitions and run options.  It is saved as JSON with a
format version; everything else (the pydantic output model, the JSON
Schema, the decoding grammar, the prompt) is derived from it.
"""
from __future__ import annotations

import hashlib
import json
import re
from enum import Enum
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field as PydField, model_validator

TASK_FORMAT_VERSION = 1
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class FieldType(str, Enum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    YES_NO = "yes_no"
    DATE = "date"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    TEXT_LIST = "text_list"
    GROUP = "group"
    GROUP_LIST = "group_list"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self]

    @property
    def is_number(self) -> bool:
        return self in (FieldType.INTEGER, FieldType.DECIMAL)

    @property
    def has_children(self) -> bool:
        return self in (FieldType.GROUP, FieldType.GROUP_LIST)

    @property
    def has_options(self) -> bool:
        """A choice type: options are what the field is made of."""
        return self in (FieldType.CHOICE, FieldType.MULTI_CHOICE)

    @property
    def allows_options(self) -> bool:
        """Choices, and numbers restricted to a list of allowed values (e.g. PI-RADS 1-5)."""
        return self.has_options or self.is_number


_TYPE_LABELS = {
    FieldType.TEXT: "Text",
    FieldType.INTEGER: "Whole number",
    FieldType.DECIMAL: "Decimal number",
    FieldType.YES_NO: "Yes/no",
    FieldType.DATE: "Date",
    FieldType.CHOICE: "Single choice",
    FieldType.MULTI_CHOICE: "Multiple choice",
    FieldType.TEXT_LIST: "List of text",
    FieldType.GROUP: "Group",
    FieldType.GROUP_LIST: "Repeating group",
}


class Option(BaseModel):
    """One allowed value of a choice field."""

    model_config = ConfigDict(extra="forbid")
    value: str
    description: str = ""


class Field(BaseModel):
    """One thing to extract from a report."""

    model_config = ConfigDict(extra="forbid")
    key: str
    label: str = ""
    type: FieldType = FieldType.TEXT
    description: str = ""
    optional: bool = True  # "may be absent": the model may answer null
    unit: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    options: list[Option] = PydField(default_factory=list)
    ordered: bool = False  # choice options form an ordinal scale
    fields: list["Field"] = PydField(default_factory=list)

    @property
    def title(self) -> str:
        return self.label or self.key.replace("_", " ").capitalize()

    def option_values(self) -> list[str]:
        return [o.value for o in self.options]

    def allowed_values(self) -> list[str] | list[int] | list[float]:
        """The typed values a field may take: option texts for a choice, numbers for a
        number field with options (empty: any number).  Raises ValueError for an
        option that is not a number of the field's type."""
        if self.type is FieldType.INTEGER:
            return [_parse_integer(o.value) for o in self.options]
        if self.type is FieldType.DECIMAL:
            return [_parse_decimal(o.value) for o in self.options]
        return self.option_values()

    def walk(self, prefix: str = ""):
        """Yield (dotted path, field) for this field and its descendants."""
        path = f"{prefix}{self.key}"
        yield path, self
        for child in self.fields:
            yield from child.walk(path + ".")


def _parse_integer(text: str) -> int:
    if not _INTEGER.match(text.strip()):
        raise ValueError(f"'{text}' is not a whole number")
    return int(text.strip())


def _parse_decimal(text: str) -> float:
    if not _DECIMAL.match(text.strip()):
        raise ValueError(f"'{text}' is not a number (use '.' as decimal separator)")
    return float(text.strip())


_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$")

#: How the system prompt is written (core.prompt.STYLES describes each one).
PromptStyle = Literal["compact", "abstractor", "llm_extractinator", "abstractor_no_rules",
                      "abstractor_no_guide", "abstractor_descriptions_only"]
DEFAULT_PROMPT_STYLE: PromptStyle = "llm_extractinator"


#: Where the evidence quotes go in the answer: before each value, or after all values (then the
#: values are decoded exactly as without evidence: quotes cannot change them).
QuotePosition = Literal["before_value", "after_values"]
DEFAULT_QUOTE_POSITION: QuotePosition = "after_values"


class TaskOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    evidence: bool = True  # ask for a verbatim quote per field
    prompt_style: PromptStyle = DEFAULT_PROMPT_STYLE
    quote_position: QuotePosition = DEFAULT_QUOTE_POSITION
    long_report_policy: Literal["truncate", "split"] = "truncate"
    max_output_tokens: int = 1024
    max_quote_chars: int = 160


class Problem(BaseModel):
    """A validation problem, tied to a field path ('' for the task itself)."""

    path: str
    message: str


class Task(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format_version: int = TASK_FORMAT_VERSION
    name: str
    description: str = ""
    language: str = "auto"
    instructions: str = ""
    fields: list[Field] = PydField(default_factory=list)
    options: TaskOptions = PydField(default_factory=TaskOptions)

    @model_validator(mode="after")
    def _check_version(self) -> "Task":
        if self.format_version > TASK_FORMAT_VERSION:
            raise ValueError(
                f"task format version {self.format_version} is newer than this "
                f"Abstractor understands ({TASK_FORMAT_VERSION})"
            )
        return self

    # ---- identity -------------------------------------------------------
    def canonical_json(self) -> str:
        data = self.model_dump(mode="json")
        # tasks saved before these options existed keep their identity (and their results)
        for key, default in (("prompt_style", DEFAULT_PROMPT_STYLE), ("quote_position", DEFAULT_QUOTE_POSITION)):
            if data["options"][key] == default:
                del data["options"][key]
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    def hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()[:16]

    # ---- traversal --------------------------------------------------------
    def walk(self):
        for f in self.fields:
            yield from f.walk()

    def field_at(self, path: str) -> Field:
        for p, f in self.walk():
            if p == path:
                return f
        raise KeyError(path)

    # ---- validation -------------------------------------------------------
    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        if not self.name.strip():
            out.append(Problem(path="", message="The task needs a name."))
        if not self.fields:
            out.append(Problem(path="", message="The task has no fields yet."))
        _check_fields(self.fields, "", out)
        return out

    def is_valid(self) -> bool:
        return not self.problems()

    # ---- files --------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        from core.atomic import write_atomic

        # task files hold no patient data and are meant to be shared: readable by others
        write_atomic(path, json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n",
                     mode=0o644)

    @classmethod
    def load(cls, path: str | Path) -> "Task":
        from core.task_import import load_task_file

        return load_task_file(Path(path))


def _check_fields(fields: list[Field], prefix: str, out: list[Problem]) -> None:
    seen: set[str] = set()
    for f in fields:
        path = f"{prefix}{f.key}"
        if not KEY_PATTERN.match(f.key):
            out.append(Problem(path=path, message=(
                "Key must start with a lowercase letter and use only lowercase letters, digits and _ (max 64).")))
        if f.key in seen:
            out.append(Problem(path=path, message=f"Duplicate key '{f.key}' at this level."))
        seen.add(f.key)
        if f.type.has_options:
            if not f.options:
                out.append(Problem(path=path, message="A choice field needs at least one option."))
            values = [o.value.strip() for o in f.options]
            if any(not v for v in values):
                out.append(Problem(path=path, message="Options cannot be empty."))
            if len(set(values)) != len(values):
                out.append(Problem(path=path, message="Options must be unique."))
        elif f.type.is_number and f.options:
            try:
                allowed = f.allowed_values()
            except ValueError as exc:
                out.append(Problem(path=path, message=f"Allowed values must be numbers: {exc}."))
            else:
                if len(set(allowed)) != len(allowed):
                    out.append(Problem(path=path, message="Allowed values must be unique."))
        if f.type.has_children:
            if not f.fields:
                out.append(Problem(path=path, message="A group needs at least one field."))
            _check_fields(f.fields, path + ".", out)
        elif f.fields:
            out.append(Problem(path=path, message="Only groups can contain fields."))
        if f.type.is_number and f.minimum is not None and f.maximum is not None and f.minimum > f.maximum:
            out.append(Problem(path=path, message="The plausible minimum is above the maximum."))
