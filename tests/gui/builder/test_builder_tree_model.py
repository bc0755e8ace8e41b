"""The field tree model: structure (qtmodeltester), problems, moves and drag and drop."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoStack

from core.task import Field, FieldType
from core.templates import load_bundled
from gui.builder.commands import ChangeType, InsertField, RemoveField, SetFieldAttrs
from gui.builder.draft import TaskDraft
from gui.builder.tree_model import MIME_TYPE, FieldTreeModel

MOVE = Qt.DropAction.MoveAction


@pytest.fixture
def setup(qapp, nested_task):
    draft = TaskDraft(nested_task)
    stack = QUndoStack()
    return draft, stack, FieldTreeModel(draft, stack)


def keys(draft: TaskDraft) -> list[str]:
    return [path for path, _ in draft.task.walk()]


@pytest.mark.parametrize("force_py", [True, False], ids=["py-tester", "qt-tester"])
def test_model_structure_passes_qtmodeltester(qtmodeltester, setup, force_py):
    draft, stack, model = setup
    qtmodeltester.check(model, force_py=force_py)
    # the tester keeps watching while the draft changes underneath
    lesions = draft.task.fields[2]
    stack.push(InsertField(draft, lesions, 1, Field(key="depth")))
    stack.push(RemoveField(draft, draft.task.fields[0]))
    model.moveRows(QModelIndex(), 2, 1, model.index_of(draft.task.fields[1]), 0)
    stack.push(ChangeType(draft, draft.task.fields[1], FieldType.TEXT))   # drops the group's children
    stack.push(SetFieldAttrs(draft, draft.task.fields[0], {"label": "Size"}))
    while stack.canUndo():
        stack.undo()
    draft.reset(load_bundled("chest_ct_nodules"))
    qtmodeltester.check(model, force_py=force_py)


def test_columns_show_key_label_and_type(setup):
    draft, _, model = setup
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Key", "Label", "Type"]
    assert [model.index(0, c).data() for c in range(3)] == ["lesion_type", "Lesion type", "Single choice"]
    group = model.index(2, 0)
    assert model.index(2, 2).data() == "Repeating group"
    assert model.rowCount(group) == 2
    assert model.index(1, 0, group).data() == "size_mm"
    assert model.parent(model.index(1, 0, group)) == group


def test_inline_edit_is_undoable(setup):
    draft, stack, model = setup
    assert model.setData(model.index(3, 1), "Remarks")
    assert draft.task.fields[3].label == "Remarks"
    stack.undo()
    assert draft.task.fields[3].label == ""
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable


def test_problems_show_as_error_icon_with_reason(setup):
    draft, stack, model = setup
    idx = model.index(3, 0)
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is None
    changes = []
    model.dataChanged.connect(lambda a, b, roles: changes.append(a.row()))
    stack.push(SetFieldAttrs(draft, draft.task.fields[3], {"key": "lesion_type"}))
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is not None
    assert "Duplicate key 'lesion_type'" in model.data(idx, Qt.ItemDataRole.ToolTipRole)
    assert "Duplicate key" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert 3 in changes and 0 in changes
    stack.undo()
    assert model.data(idx, Qt.ItemDataRole.DecorationRole) is None


def test_move_rows_reorders_with_qt_destination_convention(setup):
    draft, stack, model = setup
    root = QModelIndex()
    assert model.moveRows(root, 0, 1, root, 3)          # before "remarks"
    assert [f.key for f in draft.task.fields] == ["largest_size", "lesions", "lesion_type", "remarks"]
    assert model.moveRows(root, 3, 1, root, 0)
    assert [f.key for f in draft.task.fields] == ["remarks", "largest_size", "lesions", "lesion_type"]
    assert not model.moveRows(root, 0, 2, root, 4)       # one at a time
    stack.undo()
    stack.undo()
    assert [f.key for f in draft.task.fields] == ["lesion_type", "largest_size", "lesions", "remarks"]


def test_drop_reorders_nests_and_unnests(setup):
    draft, stack, model = setup
    root = QModelIndex()
    before = draft.snapshot()

    mime = model.mimeData([model.index(3, 0), model.index(3, 1)])   # "remarks", one row
    assert mime.hasFormat(MIME_TYPE)
    assert model.canDropMimeData(mime, MOVE, 0, 0, root)
    assert model.dropMimeData(mime, MOVE, 0, 0, root)                # to the top
    assert keys(draft)[:2] == ["remarks", "lesion_type"]

    lesions = model.index(3, 0)
    mime = model.mimeData([model.index(0, 0)])
    assert model.dropMimeData(mime, MOVE, -1, -1, lesions)            # onto the group: last child
    assert keys(draft) == ["lesion_type", "largest_size", "lesions", "lesions.segment",
                           "lesions.size_mm", "lesions.remarks"]

    lesions = model.index(2, 0)
    mime = model.mimeData([model.index(1, 0, lesions)])              # size_mm out of the group
    assert model.dropMimeData(mime, MOVE, 0, 0, root)
    assert keys(draft)[0] == "size_mm"
    assert stack.count() == 3

    for _ in range(3):
        stack.undo()
    assert draft.snapshot() == before
    for _ in range(3):
        stack.redo()
    assert keys(draft)[0] == "size_mm"


def test_drop_refuses_non_groups_and_a_group_into_itself(setup):
    draft, stack, model = setup
    lesions = model.index(2, 0)
    group_mime = model.mimeData([lesions])
    assert not model.canDropMimeData(group_mime, MOVE, -1, -1, model.index(0, 0, lesions))
    assert not model.dropMimeData(group_mime, MOVE, -1, -1, lesions)
    field_mime = model.mimeData([model.index(0, 0)])
    assert not model.canDropMimeData(field_mime, MOVE, -1, -1, model.index(3, 0))   # text field
    assert model.flags(lesions) & Qt.ItemFlag.ItemIsDropEnabled
    assert not model.flags(model.index(3, 0)) & Qt.ItemFlag.ItemIsDropEnabled
    assert stack.count() == 0
    # dropping a field right where it is changes nothing and adds no undo step
    assert model.dropMimeData(field_mime, MOVE, 1, 0, QModelIndex())
    assert stack.count() == 0
