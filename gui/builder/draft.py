"""An editable draft of a :class:`core.task.Task`, with change events.

Pure Python (no Qt): the draft owns one mutable ``Task`` and changes it in
place through a handful of primitive operations.  Each operation announces
itself through :class:`Event` objects in ``draft.events`` (napari style), so
a thin Qt model can follow along.  Undo lives one level up, in
:mod:`gui.builder.commands`: every user edit is a command that calls these
primitives, never the task directly.

Fields are addressed by identity (the ``Field`` objects themselves), with
``None`` standing for the task's top level.  Objects stay the same across
undo and redo, so commands can hold on to them.
"""
from __future__ import annotations

import re
import unicodedata
from types import SimpleNamespace
from typing import Any, Callable, Iterator

from core.task import Field, FieldType, Option, Problem, Task

Parent = Field | None

DEFAULT_KEY = "new_field"
_DEFAULT_KEY_RE = re.compile(rf"^{DEFAULT_KEY}(_\d+)?$")
_KEY_DROP = re.compile(r"[^a-z0-9]+")

# Properties that only make sense for some field types; cleared on a type change.
NUMBER_ATTRS = ("unit", "minimum", "maximum")
OPTION_ATTRS = ("options", "ordered")


class Event:
    """A minimal callback list: ``connect(cb)``, ``disconnect(cb)``, ``emit(*args)``."""

    def __init__(self) -> None:
        self._callbacks: list[Callable[..., Any]] = []

    def connect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.append(callback)

    def disconnect(self, callback: Callable[..., Any]) -> None:
        self._callbacks.remove(callback)

    def emit(self, *args: Any) -> None:
        for cb in list(self._callbacks):
            cb(*args)


def key_from_label(label: str) -> str:
    """A field key derived from a label: ``"Largest diameter (mm)"`` -> ``"largest_diameter_mm"``."""
    s = "".join(c for c in unicodedata.normalize("NFKD", label.casefold()) if not unicodedata.combining(c))
    s = _KEY_DROP.sub("_", s).strip("_")[:64].strip("_")
    if s and not s[0].isalpha():
        s = ("f_" + s)[:64]
    return s


#: Task attributes the builder edits that live in ``task.options``.
TASK_OPTION_ATTRS = ("evidence", "prompt_style")


def relevant_defaults(field_type: FieldType) -> dict[str, Any]:
    """Attribute values a field of ``field_type`` must not carry over from another type."""
    out: dict[str, Any] = {}
    if not field_type.is_number:
        out.update(unit=None, minimum=None, maximum=None)
    if not field_type.has_options:
        out.update(options=[], ordered=False)
    return out


class TaskDraft:
    """The task being built.  Mutate only through the primitives below."""

    def __init__(self, task: Task | None = None) -> None:
        self.events = SimpleNamespace(
            resetting=Event(), reset=Event(),
            inserting=Event(), inserted=Event(),      # (parent, row)
            removing=Event(), removed=Event(),        # (parent, row)
            moving=Event(), moved=Event(),            # (src parent, src row, dst parent, qt dst row)
            field_changed=Event(),                    # (field, names)
            options_changed=Event(),                  # (field)
            task_changed=Event(),                     # (names)
            changed=Event(),                          # () after any change
        )
        self.task = Task(name="")
        self._parents: dict[int, Parent] | None = None
        self._new_fields: set[int] = set()
        if task is not None:
            self.reset(task)

    # ---- reading -------------------------------------------------------------
    def snapshot(self) -> Task:
        """An independent copy of the task as it stands."""
        return self.task.model_copy(deep=True)

    def children(self, parent: Parent) -> list[Field]:
        return self.task.fields if parent is None else parent.fields

    def parent_of(self, field: Field) -> Parent:
        if self._parents is None:
            self._parents = {}
            stack: list[Parent] = [None]
            while stack:
                p = stack.pop()
                for child in self.children(p):
                    self._parents[id(child)] = p
                    stack.append(child)
        try:
            return self._parents[id(field)]
        except KeyError:
            raise LookupError("field is not part of the draft") from None

    def contains(self, field: Field) -> bool:
        try:
            self.parent_of(field)
        except LookupError:
            return False
        return True

    def row_of(self, field: Field) -> int:
        siblings = self.children(self.parent_of(field))
        return next(i for i, f in enumerate(siblings) if f is field)

    def locate(self, field: Field) -> tuple[Parent, int]:
        return self.parent_of(field), self.row_of(field)

    def rows_path(self, field: Field) -> tuple[int, ...]:
        """Row numbers from the top level down to ``field``."""
        rows: list[int] = []
        node: Parent = field
        while node is not None:
            rows.append(self.row_of(node))
            node = self.parent_of(node)
        return tuple(reversed(rows))

    def field_at_rows(self, rows: tuple[int, ...] | list[int]) -> Field:
        node: Parent = None
        for r in rows:
            node = self.children(node)[r]
        if node is None:
            raise LookupError("empty path")
        return node

    def key_path(self, field: Field) -> str:
        """The dotted key path (as used by :class:`core.task.Problem`)."""
        keys: list[str] = []
        node: Parent = field
        while node is not None:
            keys.append(node.key)
            node = self.parent_of(node)
        return ".".join(reversed(keys))

    def is_ancestor(self, ancestor: Field, field: Parent) -> bool:
        """True when ``field`` is ``ancestor`` or lies inside it."""
        node = field
        while node is not None:
            if node is ancestor:
                return True
            node = self.parent_of(node)
        return False

    def walk(self) -> Iterator[Field]:
        for _, f in self.task.walk():
            yield f

    def unique_key(self, parent: Parent, base: str = DEFAULT_KEY) -> str:
        taken = {f.key for f in self.children(parent)}
        if base not in taken:
            return base
        n = 2
        while f"{base}_{n}" in taken:
            n += 1
        return f"{base}_{n}"

    def mark_new(self, field: Field) -> None:
        """Remember that ``field`` was made in this session: its key may follow its label."""
        self._new_fields.add(id(field))

    def key_follows_label(self, field: Field) -> bool:
        """Whether typing a label may update the key: only for fields made in this session whose
        key is still the automatic one (keys of existing tasks name stored results, so they stay)."""
        if id(field) not in self._new_fields:
            return False
        return bool(_DEFAULT_KEY_RE.match(field.key)) or (
            bool(field.label) and field.key == key_from_label(field.label))

    # ---- validation ----------------------------------------------------------
    def problems(self) -> list[Problem]:
        return self.task.problems()

    def problems_by_field(self) -> tuple[list[str], dict[int, list[str]]]:
        """(task-level messages, {id(field): messages}) from :meth:`Task.problems`.

        Problems name a dotted key path; every field on that path gets the
        message, so both fields of a duplicate key are marked.
        """
        by_path: dict[str, list[Field]] = {}
        for path, f in self.task.walk():
            by_path.setdefault(path, []).append(f)
        general: list[str] = []
        per_field: dict[int, list[str]] = {}
        for p in self.problems():
            targets = by_path.get(p.path) if p.path else None
            if not targets:
                general.append(p.message)
                continue
            for f in targets:
                msgs = per_field.setdefault(id(f), [])
                if p.message not in msgs:
                    msgs.append(p.message)
        return general, per_field

    # ---- primitives ----------------------------------------------------------
    def reset(self, task: Task) -> None:
        self.events.resetting.emit()
        self.task = task.model_copy(deep=True)
        self._parents = None
        self._new_fields.clear()
        self.events.reset.emit()
        self.events.changed.emit()

    def set_task_attrs(self, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if name in TASK_OPTION_ATTRS:
                setattr(self.task.options, name, value)
            else:
                setattr(self.task, name, value)
        self.events.task_changed.emit(tuple(values))
        self.events.changed.emit()

    def task_attr(self, name: str) -> Any:
        return getattr(self.task.options, name) if name in TASK_OPTION_ATTRS else getattr(self.task, name)

    def insert_field(self, parent: Parent, row: int, field: Field) -> None:
        if parent is not None and not parent.type.has_children:
            raise ValueError("only groups can contain fields")
        self.events.inserting.emit(parent, row)
        self.children(parent).insert(row, field)
        self._parents = None
        self.events.inserted.emit(parent, row)
        self.events.changed.emit()

    def remove_field(self, parent: Parent, row: int) -> Field:
        self.events.removing.emit(parent, row)
        field = self.children(parent).pop(row)
        self._parents = None
        self.events.removed.emit(parent, row)
        self.events.changed.emit()
        return field

    def move_field(self, field: Field, dst_parent: Parent, dst_row: int) -> None:
        """Move ``field`` so that it ends up at index ``dst_row`` of ``dst_parent``."""
        src_parent, src_row = self.locate(field)
        if dst_parent is not None:
            if not dst_parent.type.has_children:
                raise ValueError("only groups can contain fields")
            if self.is_ancestor(field, dst_parent):
                raise ValueError("a group cannot be moved into itself")
        same = src_parent is dst_parent
        n_after = len(self.children(dst_parent)) - (1 if same else 0)
        if not 0 <= dst_row <= n_after:
            raise IndexError(dst_row)
        if same and dst_row == src_row:
            return
        qt_dst = dst_row + 1 if same and dst_row > src_row else dst_row
        self.events.moving.emit(src_parent, src_row, dst_parent, qt_dst)
        self.children(src_parent).pop(src_row)
        self.children(dst_parent).insert(dst_row, field)
        self._parents = None
        self.events.moved.emit(src_parent, src_row, dst_parent, qt_dst)
        self.events.changed.emit()

    def set_field_attrs(self, field: Field, values: dict[str, Any]) -> None:
        for name, value in values.items():
            setattr(field, name, value)
        self.events.field_changed.emit(field, tuple(values))
        if "options" in values:
            self.events.options_changed.emit(field)
        self.events.changed.emit()

    def insert_option(self, field: Field, row: int, option: Option) -> None:
        field.options.insert(row, option)
        self._options_changed(field)

    def remove_option(self, field: Field, row: int) -> Option:
        option = field.options.pop(row)
        self._options_changed(field)
        return option

    def move_option(self, field: Field, row: int, new_row: int) -> None:
        field.options.insert(new_row, field.options.pop(row))
        self._options_changed(field)

    def set_option_attrs(self, field: Field, row: int, values: dict[str, str]) -> None:
        option = field.options[row]
        for name, value in values.items():
            setattr(option, name, value)
        self._options_changed(field)

    def _options_changed(self, field: Field) -> None:
        self.events.options_changed.emit(field)
        self.events.field_changed.emit(field, ("options",))
        self.events.changed.emit()
