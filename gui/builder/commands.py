"""Undoable edits of a :class:`gui.builder.draft.TaskDraft`.

Every change the builder makes is one of these commands, pushed on a
``QUndoStack``.  Each command calls the draft's primitives in ``redo`` and
their inverse in ``undo``.  Text edits made while typing carry a ``merge``
token; consecutive edits of the same thing with the same token become one
undo step (so undo removes a whole word, not one letter).
"""
from __future__ import annotations

from typing import Any, Hashable

from PySide6.QtGui import QUndoCommand

from core.task import Field, FieldType, Option
from gui.builder.draft import Parent, TaskDraft, relevant_defaults

_MERGE_ID = 0x7A5C  # any constant: mergeWith() decides by token and target


class DraftCommand(QUndoCommand):
    def __init__(self, draft: TaskDraft, text: str):
        super().__init__(text)
        self.draft = draft


class _MergeableCommand(DraftCommand):
    """Sets some values; merges with the next command for the same target and token."""

    def __init__(self, draft: TaskDraft, text: str, new: dict[str, Any], old: dict[str, Any],
                 merge: Hashable | None):
        super().__init__(draft, text)
        self.new = dict(new)
        self.old = dict(old)
        self.merge = merge

    def _target(self) -> tuple:
        raise NotImplementedError

    def id(self) -> int:  # noqa: A003 - Qt API
        return _MERGE_ID if self.merge is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt API
        if (type(other) is not type(self) or self.merge is None or other.merge != self.merge
                or other._target() != self._target() or set(other.new) != set(self.new)):
            return False
        self.new = dict(other.new)
        if self.new == self.old:
            self.setObsolete(True)
        return True


class SetTaskAttrs(_MergeableCommand):
    """Task name, description, instructions, or ``evidence`` (the evidence-quote option)."""

    def __init__(self, draft: TaskDraft, values: dict[str, Any], text: str = "Edit task",
                 merge: Hashable | None = None):
        old = {k: draft.task_attr(k) for k in values}
        super().__init__(draft, text, values, old, merge)

    def _target(self) -> tuple:
        return ("task",)

    def redo(self) -> None:
        self.draft.set_task_attrs(self.new)

    def undo(self) -> None:
        self.draft.set_task_attrs(self.old)


class SetFieldAttrs(_MergeableCommand):
    """Key, label, description, optional, unit, minimum, maximum, ordered."""

    def __init__(self, draft: TaskDraft, field: Field, values: dict[str, Any], text: str = "Edit field",
                 merge: Hashable | None = None):
        old = {k: getattr(field, k) for k in values}
        super().__init__(draft, text, values, old, merge)
        self.field = field

    def _target(self) -> tuple:
        return ("field", id(self.field))

    def redo(self) -> None:
        self.draft.set_field_attrs(self.field, self.new)

    def undo(self) -> None:
        self.draft.set_field_attrs(self.field, self.old)


class InsertField(DraftCommand):
    def __init__(self, draft: TaskDraft, parent: Parent, row: int, field: Field, text: str = "Add field"):
        super().__init__(draft, text)
        self.parent, self.row, self.field = parent, row, field

    def redo(self) -> None:
        self.draft.insert_field(self.parent, self.row, self.field)

    def undo(self) -> None:
        self.draft.remove_field(self.parent, self.row)


class RemoveField(DraftCommand):
    def __init__(self, draft: TaskDraft, field: Field, text: str = "Remove field"):
        super().__init__(draft, text)
        self.field = field
        self.parent, self.row = draft.locate(field)

    def redo(self) -> None:
        self.draft.remove_field(self.parent, self.row)

    def undo(self) -> None:
        self.draft.insert_field(self.parent, self.row, self.field)


class MoveField(DraftCommand):
    """Move a field to index ``row`` (counted after the move) of ``parent``: reorder, nest, un-nest."""

    def __init__(self, draft: TaskDraft, field: Field, parent: Parent, row: int, text: str = "Move field"):
        super().__init__(draft, text)
        self.field = field
        self.src_parent, self.src_row = draft.locate(field)
        self.dst_parent, self.dst_row = parent, row
        if self.src_parent is parent and self.src_row == row:
            self.setObsolete(True)

    def redo(self) -> None:
        self.draft.move_field(self.field, self.dst_parent, self.dst_row)

    def undo(self) -> None:
        self.draft.move_field(self.field, self.src_parent, self.src_row)


class ChangeType(DraftCommand):
    """Change a field's type, dropping what no longer applies (options, unit, child fields)."""

    def __init__(self, draft: TaskDraft, field: Field, new_type: FieldType, text: str = "Change type"):
        super().__init__(draft, text)
        self.field = field
        self.new = {"type": new_type, **relevant_defaults(new_type)}
        self.old = {k: getattr(field, k) for k in self.new}
        self.children = [] if new_type.has_children else list(field.fields)
        if field.type is new_type:
            self.setObsolete(True)

    def redo(self) -> None:
        for row in reversed(range(len(self.children))):
            self.draft.remove_field(self.field, row)
        self.draft.set_field_attrs(self.field, self.new)

    def undo(self) -> None:
        self.draft.set_field_attrs(self.field, self.old)
        for row, child in enumerate(self.children):
            self.draft.insert_field(self.field, row, child)


class InsertOption(DraftCommand):
    def __init__(self, draft: TaskDraft, field: Field, row: int, option: Option, text: str = "Add option"):
        super().__init__(draft, text)
        self.field, self.row, self.option = field, row, option

    def redo(self) -> None:
        self.draft.insert_option(self.field, self.row, self.option)

    def undo(self) -> None:
        self.draft.remove_option(self.field, self.row)


class RemoveOption(DraftCommand):
    def __init__(self, draft: TaskDraft, field: Field, row: int, text: str = "Remove option"):
        super().__init__(draft, text)
        self.field, self.row = field, row
        self.option = field.options[row]

    def redo(self) -> None:
        self.draft.remove_option(self.field, self.row)

    def undo(self) -> None:
        self.draft.insert_option(self.field, self.row, self.option)


class MoveOption(DraftCommand):
    def __init__(self, draft: TaskDraft, field: Field, row: int, new_row: int, text: str = "Move option"):
        super().__init__(draft, text)
        self.field, self.row, self.new_row = field, row, new_row
        if row == new_row:
            self.setObsolete(True)

    def redo(self) -> None:
        self.draft.move_option(self.field, self.row, self.new_row)

    def undo(self) -> None:
        self.draft.move_option(self.field, self.new_row, self.row)


class SetOptionAttrs(_MergeableCommand):
    """An option's value or description."""

    def __init__(self, draft: TaskDraft, field: Field, row: int, values: dict[str, str],
                 text: str = "Edit option", merge: Hashable | None = None):
        option = field.options[row]
        old = {k: getattr(option, k) for k in values}
        super().__init__(draft, text, values, old, merge)
        self.field, self.row = field, row

    def _target(self) -> tuple:
        return ("option", id(self.field), self.row)

    def redo(self) -> None:
        self.draft.set_option_attrs(self.field, self.row, self.new)

    def undo(self) -> None:
        self.draft.set_option_attrs(self.field, self.row, self.old)
