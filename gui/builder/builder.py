"""TaskBuilder: build a task visually, with undo, live checks, preview and a try-out.

Left: the task's name and instructions, and the tree of fields.  Middle:
the editor for the selected field.  Right: "Try on a report", and the
exact prompt and answer format the model gets.  Bottom: what still keeps
the task from being saved.  Every edit is an undo command on
``undo_stack``; the task itself lives in a :class:`TaskDraft`.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QScrollArea, QSplitter, QToolBar, QToolButton, QTreeView,
    QVBoxLayout, QWidget)

from core import templates
from core.task import Field, FieldType, Task
from gui.builder.commands import InsertField, MoveField, RemoveField
from gui.builder.draft import Parent, TaskDraft
from gui.builder.editors import FieldEditor
from gui.builder.preview import PreviewTabs
from gui.builder.task_form import TaskForm
from gui.builder.textbox import ERROR_STYLE
from gui.builder.tree_model import FieldTreeModel
from gui.builder.try_panel import TryPanel

CHILDREN = Qt.ShortcutContext.WidgetWithChildrenShortcut
WIDE_LAYOUT_PX = 1150   # from this width on, the field editor and the preview sit side by side


class TaskBuilder(QWidget):
    task_saved = Signal(object)   # Task, after it was written to the user tasks folder
    changed = Signal()            # after every edit, undo and redo
    modified_changed = Signal(bool)   # the task now has (True) or no longer has (False) unsaved edits

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.draft = TaskDraft(Task(name=""))
        self.undo_stack = QUndoStack(self)
        self.saved_path: Path | None = None
        self._sized = False
        self.model = FieldTreeModel(self.draft, self.undo_stack, self)
        self.task_form = TaskForm(self.draft, self.undo_stack)
        self.name_edit = self.task_form.name_edit
        self.instructions_edit = self.task_form.instructions_edit
        self.evidence_check = self.task_form.evidence_check
        self._build_tree()
        self.editor = FieldEditor(self.draft, self.undo_stack)
        self.preview = PreviewTabs(self.draft)
        self.try_panel = TryPanel(self.draft)
        self.preview.insertTab(0, self.try_panel, "Try on a report")
        self.preview.setCurrentIndex(0)
        self._build_actions()
        self._build_layout()

        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.editor.add_child_requested.connect(self.add_child_field)
        self.draft.events.changed.connect(self._draft_changed)
        self.draft.events.inserted.connect(self._expand_parent)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._draft_changed()

    # ---- construction ----------------------------------------------------------------
    def _build_tree(self) -> None:
        t = self.tree = QTreeView()
        t.setModel(self.model)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        t.setDefaultDropAction(Qt.DropAction.MoveAction)
        t.setDropIndicatorShown(True)
        t.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                          | QAbstractItemView.EditTrigger.DoubleClicked)
        t.setAlternatingRowColors(True)
        t.setUniformRowHeights(True)
        header = t.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def _action(self, text: str, slot, shortcuts=(), tip: str = "", context=CHILDREN) -> QAction:
        a = QAction(text, self)
        a.setShortcuts([QKeySequence(s) for s in shortcuts])
        a.setShortcutContext(context)
        keys = ", ".join(QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText) for s in shortcuts)
        a.setToolTip(f"{tip or text} ({keys})" if keys else (tip or text))
        a.triggered.connect(slot)
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        self.add_field_action = self._action("Add field", self.add_field, ["Ctrl+Shift+A"],
                                             "Add a field after the selected one")
        self.add_child_action = self._action("Add child field", self.add_child_field, ["Ctrl+Alt+A"],
                                             "Add a field inside the selected group")
        self.remove_action = self._action("Remove", self.remove_field, [QKeySequence.StandardKey.Delete],
                                          "Remove the selected field", Qt.ShortcutContext.WidgetShortcut)
        self.tree.addAction(self.remove_action)
        self.move_up_action = self._action("Move up", self.move_up, ["Alt+Up"])
        self.move_down_action = self._action("Move down", self.move_down, ["Alt+Down"])
        self.indent_action = self._action("Into group", self.move_into_group, ["Alt+Right"],
                                          "Move the field into the group just above it")
        self.outdent_action = self._action("Out of group", self.move_out_of_group, ["Alt+Left"],
                                           "Move the field out of its group")
        self.undo_action = self._action("Undo", self.undo_stack.undo, ["Ctrl+Z"])
        self.redo_action = self._action("Redo", self.undo_stack.redo, ["Ctrl+Shift+Z", "Ctrl+Y"])
        for a, can, text in ((self.undo_action, self.undo_stack.canUndoChanged, self.undo_stack.undoTextChanged),
                             (self.redo_action, self.undo_stack.canRedoChanged, self.undo_stack.redoTextChanged)):
            a.setEnabled(False)
            can.connect(a.setEnabled)
            text.connect(lambda t, a=a, base=a.toolTip(): a.setToolTip(f"{base}: {t}" if t else base))  # noqa: B008
        self.save_action = self._action("Save task", self.save, ["Ctrl+S"], "Save the task to your tasks")

    def _build_layout(self) -> None:
        self.toolbar = QToolBar()
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for a in (self.add_field_action, self.add_child_action, self.remove_action, None,
                  self.move_up_action, self.move_down_action, self.indent_action, self.outdent_action, None,
                  self.undo_action, self.redo_action):
            self.toolbar.addSeparator() if a is None else self.toolbar.addAction(a)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.task_form)
        fields_label = QLabel("Fields (drag to reorder, or onto a group to nest)")
        fields_label.setWordWrap(True)
        ll.addWidget(fields_label)
        ll.addWidget(self.tree, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.editor)
        scroll.setMinimumWidth(340)   # the field editor (323 px at its narrowest) and a scroll bar
        # Editor and preview side by side when there is room, else one above the other.
        self.side = QSplitter(Qt.Orientation.Horizontal)
        self.side.addWidget(scroll)
        self.side.addWidget(self.preview)
        self.side.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 5)
        self.status_label = QLabel()
        self.status_label.setObjectName("saveStatus")
        self.status_label.setWordWrap(True)
        self.save_button = QToolButton()
        self.save_button.setDefaultAction(self.save_action)
        self.save_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        if not self._sized:  # first show: give the field tree about a third of the width
            self._sized = True
            w = self.splitter.width()
            self.splitter.setSizes([w * 8 // 25, w - w * 8 // 25])

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        wide = self.width() >= WIDE_LAYOUT_PX
        orientation = Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical
        if self.side.orientation() != orientation:
            self.side.setOrientation(orientation)
            total = self.side.width() if wide else self.side.height()
            self.side.setSizes([total * 11 // 20, total * 9 // 20])

    # ---- public API ---------------------------------------------------------------------
    def set_task(self, task: Task) -> None:
        """Edit a copy of ``task``; clears the undo history.

        Giving back the task being edited (e.g. the one just saved) changes nothing, so the
        undo history survives a save."""
        if task == self.draft.task:
            return
        self.draft.reset(task)
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.saved_path = None
        self.tree.expandAll()
        if task.fields:
            self.select_field(self.draft.task.fields[0])
        self._draft_changed()

    def task(self) -> Task:
        """The task as it stands (a copy)."""
        return self.draft.snapshot()

    def is_modified(self) -> bool:
        """The task shown has edits that are not saved."""
        return not self.undo_stack.isClean()

    def problems(self) -> list[str]:
        """What keeps the task from being saved (empty when it can be saved)."""
        return self._problem_lines()

    def set_engine_host(self, host) -> None:
        self.try_panel.set_engine_host(host)

    @Slot(str, str)
    def set_report(self, report_id: str, text: str) -> None:
        self.try_panel.set_report(report_id, text)

    def current_field(self) -> Field | None:
        return self.model.field(self.tree.currentIndex())

    def select_field(self, field: Field | str | None) -> None:
        """Select a field (object or dotted key path such as ``"lesions.size_mm"``)."""
        if isinstance(field, str):
            field = self.draft.task.field_at(field)
        idx = self.model.index_of(field)
        self.tree.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if idx.isValid():
            self.tree.scrollTo(idx)

    # ---- actions --------------------------------------------------------------------------
    @Slot()
    def add_field(self, field_type: FieldType = FieldType.TEXT) -> Field:
        cur = self.current_field()
        parent, row = (None, len(self.draft.task.fields)) if cur is None else (
            self.draft.parent_of(cur), self.draft.row_of(cur) + 1)
        return self._insert(parent, row, field_type)

    @Slot()
    def add_child_field(self, field_type: FieldType = FieldType.TEXT) -> Field | None:
        cur = self.current_field()
        if cur is None or not cur.type.has_children:
            return None
        return self._insert(cur, len(cur.fields), field_type)

    def _insert(self, parent: Parent, row: int, field_type) -> Field:
        ft = field_type if isinstance(field_type, FieldType) else FieldType.TEXT  # triggered(bool)
        field = Field(key=self.draft.unique_key(parent), type=ft)
        self.draft.mark_new(field)
        self.undo_stack.push(InsertField(self.draft, parent, row, field))
        self.select_field(field)
        self.editor.label_edit.setFocus()
        return field

    @Slot()
    def remove_field(self) -> None:
        cur = self.current_field()
        if cur is not None:
            self.undo_stack.push(RemoveField(self.draft, cur, text=f"Remove '{cur.title}'"))

    @Slot()
    def move_up(self) -> None:
        self._move_by(-1)

    @Slot()
    def move_down(self) -> None:
        self._move_by(+1)

    def _move_by(self, step: int) -> None:
        cur = self.current_field()
        if cur is None:
            return
        parent, row = self.draft.locate(cur)
        if 0 <= row + step < len(self.draft.children(parent)):
            self._move(cur, parent, row + step)

    @Slot()
    def move_into_group(self) -> None:
        cur = self.current_field()
        group = self._group_above(cur)
        if group is not None:
            self._move(cur, group, len(group.fields))
            self.tree.expand(self.model.index_of(group))

    @Slot()
    def move_out_of_group(self) -> None:
        cur = self.current_field()
        parent = self.draft.parent_of(cur) if cur is not None else None
        if parent is not None:
            self._move(cur, self.draft.parent_of(parent), self.draft.row_of(parent) + 1)

    def _move(self, field: Field, parent: Parent, row: int) -> None:
        self.undo_stack.push(MoveField(self.draft, field, parent, row, text=f"Move '{field.title}'"))
        self.select_field(field)

    def _group_above(self, field: Field | None) -> Field | None:
        if field is None:
            return None
        parent, row = self.draft.locate(field)
        above = self.draft.children(parent)[row - 1] if row > 0 else None
        return above if above is not None and above.type.has_children else None

    @Slot()
    def save(self) -> Path | None:
        """Save to the user's tasks folder; returns the path, or None when the task is not valid."""
        if self.draft.problems():
            return None
        task = self.draft.snapshot()
        try:
            path = templates.save_user_task(task, replace=self.saved_path)
        except OSError as exc:
            self._show_status(f"The task could not be saved: {exc.strerror or exc}", error=True)
            return None
        self.saved_path = path
        self.undo_stack.setClean()
        self._show_status(f"Saved as {path.name} in your tasks.")
        self.task_saved.emit(task)
        return path

    # ---- following the draft ---------------------------------------------------------------
    @Slot(bool)
    def _on_clean_changed(self, clean: bool) -> None:
        self.modified_changed.emit(not clean)

    def _expand_parent(self, parent: Parent, _row: int) -> None:
        if parent is not None:
            self.tree.expand(self.model.index_of(parent))

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.editor.set_field(self.model.field(current))
        self._update_actions()

    def _update_actions(self) -> None:
        cur = self.current_field()
        parent, row = self.draft.locate(cur) if cur is not None else (None, -1)
        n = len(self.draft.children(parent))
        self.add_child_action.setEnabled(cur is not None and cur.type.has_children)
        self.remove_action.setEnabled(cur is not None)
        self.move_up_action.setEnabled(cur is not None and row > 0)
        self.move_down_action.setEnabled(cur is not None and row < n - 1)
        self.indent_action.setEnabled(self._group_above(cur) is not None)
        self.outdent_action.setEnabled(parent is not None)

    def _problem_lines(self) -> list[str]:
        lines = []
        for p in self.draft.problems():
            try:
                where = f"“{self.draft.task.field_at(p.path).title}”: " if p.path else ""
            except KeyError:
                where = f"{p.path}: "
            lines.append(where + p.message)
        return lines

    def _draft_changed(self) -> None:
        lines = self._problem_lines()
        self.save_action.setEnabled(not lines)
        if lines:
            more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
            self._show_status(f"Can't save yet: {lines[0]}{more}", error=True, tooltip="\n".join(lines))
            self.save_action.setToolTip("Can't save yet:\n" + "\n".join(lines))
        else:
            self._show_status("The task is complete and can be saved." if self.is_modified() or
                              self.saved_path is None else self.status_label.text())
            self.save_action.setToolTip("Save the task to your tasks (Ctrl+S)")
        self._update_actions()
        self.changed.emit()

    def _show_status(self, text: str, error: bool = False, tooltip: str = "") -> None:
        self.status_label.setText(("⚠ " if error else "✓ ") + text.removeprefix("⚠ ").removeprefix("✓ "))
        self.status_label.setStyleSheet(ERROR_STYLE if error else "color: #1b5e20;")
        self.status_label.setToolTip(tooltip)
