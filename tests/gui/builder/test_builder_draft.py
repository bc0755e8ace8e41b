"""TaskDraft primitives and the undo commands (no widgets)."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from core.task import Field, FieldType, Option, Task
from gui.builder.commands import (
    ChangeType, InsertField, InsertOption, MoveField, MoveOption, RemoveField, RemoveOption, SetFieldAttrs,
    SetOptionAttrs, SetTaskAttrs)
from gui.builder.draft import TaskDraft, key_from_label


@pytest.fixture
def draft(nested_task):
    return TaskDraft(nested_task)


@pytest.fixture
def stack(qapp):
    return QUndoStack()


def _undo_redo_roundtrip(draft: TaskDraft, stack: QUndoStack, command) -> Task:
    before = draft.snapshot()
    stack.push(command)
    after = draft.snapshot()
    assert after != before
    stack.undo()
    assert draft.snapshot() == before
    stack.redo()
    assert draft.snapshot() == after
    return after


def test_key_from_label():
    assert key_from_label("Largest diameter (mm)") == "largest_diameter_mm"
    assert key_from_label("3D volume") == "f_3d_volume"
    assert key_from_label("  ") == ""
    assert key_from_label("Lésion (ø)") == "lesion"


def test_every_command_undoes_and_redoes_exactly(draft, stack):
    t = draft.task
    lesions = t.fields[2]
    cases = [
        SetTaskAttrs(draft, {"name": "Liver CT v2"}),
        SetTaskAttrs(draft, {"instructions": "Dutch reports."}),
        SetTaskAttrs(draft, {"evidence": False}),
        InsertField(draft, None, 1, Field(key="new_field")),
        RemoveField(draft, t.fields[3]),
        MoveField(draft, t.fields[0], None, 2),
        MoveField(draft, t.fields[3], lesions, 0),
        MoveField(draft, lesions.fields[0], None, 0),
        SetFieldAttrs(draft, t.fields[0], {"key": "kind", "label": "Kind"}),
        SetFieldAttrs(draft, t.fields[1], {"unit": "cm", "minimum": 0.1, "maximum": 20.0}),
        SetFieldAttrs(draft, t.fields[1], {"optional": False, "description": "Largest lesion"}),
        SetFieldAttrs(draft, t.fields[0], {"ordered": True}),
        InsertOption(draft, t.fields[0], 2, Option(value="abscess")),
        RemoveOption(draft, t.fields[0], 0),
        MoveOption(draft, t.fields[0], 0, 1),
        SetOptionAttrs(draft, t.fields[0], 1, {"value": "metastases", "description": "uitzaaiing"}),
        ChangeType(draft, t.fields[0], FieldType.TEXT),
        ChangeType(draft, lesions, FieldType.GROUP),
    ]
    for cmd in cases:
        _undo_redo_roundtrip(draft, stack, cmd)
        stack.undo()  # keep the starting point for the next case


def test_change_type_drops_what_no_longer_applies_and_undo_restores(draft, stack, nested_task):
    lesions = draft.task.fields[2]
    stack.push(ChangeType(draft, lesions, FieldType.YES_NO))
    assert lesions.fields == [] and lesions.type is FieldType.YES_NO
    stack.push(ChangeType(draft, draft.task.fields[0], FieldType.INTEGER))
    assert draft.task.fields[0].options == []
    stack.push(ChangeType(draft, draft.task.fields[1], FieldType.TEXT))
    assert (draft.task.fields[1].unit, draft.task.fields[1].minimum) == (None, None)
    for _ in range(3):
        stack.undo()
    assert draft.snapshot() == nested_task


def test_change_between_compatible_types_keeps_settings(draft, stack):
    stack.push(ChangeType(draft, draft.task.fields[0], FieldType.MULTI_CHOICE))
    assert draft.task.fields[0].option_values() == ["cyst", "metastasis"]
    stack.push(ChangeType(draft, draft.task.fields[1], FieldType.INTEGER))
    assert draft.task.fields[1].unit == "mm"
    stack.push(ChangeType(draft, draft.task.fields[2], FieldType.GROUP))
    assert [f.key for f in draft.task.fields[2].fields] == ["segment", "size_mm"]


def test_typing_merges_into_one_undo_step(draft, stack, nested_task):
    f = draft.task.fields[3]
    for text in ("R", "Re", "Rem", "Rema"):
        stack.push(SetFieldAttrs(draft, f, {"label": text}, merge=("label", 1)))
    assert stack.count() == 1 and f.label == "Rema"
    stack.push(SetFieldAttrs(draft, f, {"label": "Remarks"}, merge=("label", 2)))  # new typing session
    assert stack.count() == 2
    stack.undo()
    assert f.label == "Rema"
    stack.undo()
    assert draft.snapshot() == nested_task


def test_typing_back_to_the_old_value_leaves_no_undo_step(draft, stack):
    f = draft.task.fields[3]
    stack.push(SetFieldAttrs(draft, f, {"label": "X"}, merge=("label", 7)))
    stack.push(SetFieldAttrs(draft, f, {"label": ""}, merge=("label", 7)))
    assert stack.count() == 0 and not stack.canUndo()


def test_moves_refuse_impossible_targets(draft):
    lesions, remarks = draft.task.fields[2], draft.task.fields[3]
    with pytest.raises(ValueError):
        draft.move_field(lesions, lesions, 0)          # into itself
    with pytest.raises(ValueError):
        draft.move_field(lesions, remarks, 0)          # into a non-group
    with pytest.raises(ValueError):
        draft.insert_field(remarks, 0, Field(key="x"))


def test_events_report_structure_changes(draft):
    seen = []
    for name in ("inserting", "inserted", "removing", "removed", "moving", "moved"):
        getattr(draft.events, name).connect(lambda *a, name=name: seen.append((name, *a)))
    lesions = draft.task.fields[2]
    f = Field(key="extra")
    draft.insert_field(lesions, 2, f)
    draft.move_field(f, None, 0)
    draft.remove_field(None, 0)
    assert seen == [("inserting", lesions, 2), ("inserted", lesions, 2),
                    ("moving", lesions, 2, None, 0), ("moved", lesions, 2, None, 0),
                    ("removing", None, 0), ("removed", None, 0)]


def test_problems_are_tied_to_the_fields(draft):
    lesions = draft.task.fields[2]
    a, b = draft.task.fields[0], draft.task.fields[3]
    draft.set_field_attrs(b, {"key": "lesion_type"})
    draft.set_field_attrs(a, {"options": []})
    draft.remove_field(lesions, 1)
    draft.remove_field(lesions, 0)
    general, per_field = draft.problems_by_field()
    assert general == []
    assert any("Duplicate key" in m for m in per_field[id(b)])
    assert any("Duplicate key" in m for m in per_field[id(a)])  # both are marked
    assert "A choice field needs at least one option." in per_field[id(a)]
    assert per_field[id(lesions)] == ["A group needs at least one field."]
    draft.set_task_attrs({"name": " "})
    assert draft.problems_by_field()[0] == ["The task needs a name."]


def test_draft_paths(draft):
    size = draft.task.fields[2].fields[1]
    assert draft.rows_path(size) == (2, 1)
    assert draft.field_at_rows((2, 1)) is size
    assert draft.key_path(size) == "lesions.size_mm"
    assert draft.unique_key(None) == "new_field"
    fresh = Field(key="new_field")
    draft.mark_new(fresh)
    draft.insert_field(None, 0, fresh)
    assert draft.unique_key(None) == "new_field_2"
    assert draft.key_follows_label(fresh)
    draft.set_field_attrs(fresh, {"label": "Size", "key": "size"})
    assert draft.key_follows_label(fresh)
    draft.set_field_attrs(fresh, {"key": "size_mm"})          # set by hand: no longer follows
    assert not draft.key_follows_label(fresh)
    draft.set_field_attrs(size, {"label": "Size mm"})
    assert not draft.key_follows_label(size)                  # keys of loaded fields never follow
