"""The editor panel for the selected field.

Common part: label, key, type, description for the model, "may be absent".
Below it, depending on the type: unit and plausible range for numbers, an
options table for choices, a hint for groups.  Every edit is pushed as an
undo command; the panel redraws itself from the draft's events, so undo,
redo and edits made elsewhere (the tree) show up here at once.
"""
from __future__ import annotations

import itertools

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QPalette, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QVBoxLayout, QWidget)

from core.task import Field, FieldType
from gui.builder.commands import ChangeType, SetFieldAttrs
from gui.builder.draft import DEFAULT_KEY, TaskDraft, key_from_label
from gui.builder.options import OptionsEditor
from gui.builder.textbox import ERROR_STYLE, TextBoxFilter, set_text

TYPE_HINTS = {
    FieldType.TEXT: "A short piece of text, e.g. a diagnosis as written.",
    FieldType.INTEGER: "A whole number, e.g. a count. Set a unit and a plausible range below.",
    FieldType.DECIMAL: "A number that may have decimals, e.g. 8.5. Set a unit and a plausible range below.",
    FieldType.YES_NO: "Yes or no, e.g. 'Is a nodule present?'.",
    FieldType.DATE: "A date; the model answers year-month-day.",
    FieldType.CHOICE: "Exactly one of a fixed list of options.",
    FieldType.MULTI_CHOICE: "Any number of options from a fixed list.",
    FieldType.TEXT_LIST: "A list of short texts, e.g. all medications mentioned.",
    FieldType.GROUP: "A set of related fields that belong together.",
    FieldType.GROUP_LIST: "A set of fields filled in once per item, e.g. once per lesion.",
}
_sessions = itertools.count(1)


def parse_number(text: str) -> float | None:
    """'' -> None; accepts a decimal comma ('8,5').  Raises ValueError for anything else."""
    text = text.strip().replace(",", ".")
    return None if not text else float(text)


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class FieldEditor(QWidget):
    add_child_requested = Signal()

    def __init__(self, draft: TaskDraft, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.draft, self.stack = draft, stack
        self._field: Field | None = None
        self._session = next(_sessions)
        self._undo_keys = TextBoxFilter(self, self._new_session)

        self.empty_label = QLabel("Select a field on the left, or add one with “Add field”.")
        self.empty_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("fieldProblems")
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setWordWrap(True)

        self.label_edit = QLineEdit(placeholderText="e.g. Largest diameter")
        self.label_edit.setToolTip("The column title in the spreadsheet.")
        self.key_edit = QLineEdit(placeholderText="e.g. largest_diameter_mm")
        self.key_edit.setToolTip("Short technical name: lowercase letters, digits and _. "
                                 "Filled in from the label until you change it.")
        self.type_combo = QComboBox()
        for t in FieldType:
            self.type_combo.addItem(t.label, t)
        self.type_hint = QLabel()
        self.type_hint.setWordWrap(True)
        self.type_hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setPlaceholderText(
            "Tell the model what to look for, including Dutch terms, e.g. "
            "“Diameter of the largest nodule in mm; '1,1 cm' = 11”.")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(84)
        self.description_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.optional_check = QCheckBox("May be absent (the report may not mention it)")

        form = QFormLayout()
        form.addRow("Label", self.label_edit)
        form.addRow("Key", self.key_edit)
        form.addRow("Type", self.type_combo)
        form.addRow("", self.type_hint)
        form.addRow("Instructions\nfor the model", self.description_edit)
        form.addRow(self.optional_check)   # across both columns: the editor stays narrow

        # numbers
        self.unit_edit = QLineEdit(placeholderText="e.g. mm")
        self.min_edit = QLineEdit(placeholderText="no minimum")
        self.max_edit = QLineEdit(placeholderText="no maximum")
        self.range_label = QLabel()
        self.range_label.setStyleSheet(ERROR_STYLE)
        self.number_box = QGroupBox("Number")
        nform = QFormLayout(self.number_box)
        nform.addRow("Unit", self.unit_edit)
        rng = QHBoxLayout()
        rng.addWidget(self.min_edit)
        rng.addWidget(QLabel("to"))
        rng.addWidget(self.max_edit)
        nform.addRow("Plausible range", rng)
        nform.addRow("", self.range_label)

        # choices
        self.options = OptionsEditor(draft, stack)

        # groups
        self.group_box = QGroupBox("Fields in this group")
        self.group_hint = QLabel()
        self.group_hint.setWordWrap(True)
        self.add_child_button = QPushButton("Add field to this group")
        gb = QVBoxLayout(self.group_box)
        gb.addWidget(self.group_hint)
        gb.addWidget(self.add_child_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.form_widget = QWidget()
        fl = QVBoxLayout(self.form_widget)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.problem_label)
        fl.addLayout(form)
        for box in (self.number_box, self.options, self.group_box):
            fl.addWidget(box)
        fl.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.form_widget)

        for w in (self.label_edit, self.key_edit, self.unit_edit, self.min_edit, self.max_edit):
            w.installEventFilter(self._undo_keys)
        self.description_edit.installEventFilter(self._undo_keys)
        self.description_edit.setUndoRedoEnabled(False)
        self.label_edit.textEdited.connect(self._label_edited)
        self.key_edit.textEdited.connect(lambda t: self._push_attrs({"key": t.strip()}, "Change key", "key"))
        self.type_combo.currentIndexChanged.connect(self._type_chosen)
        self.description_edit.textChanged.connect(
            lambda: self._push_attrs({"description": self.description_edit.toPlainText()},
                                     "Edit instructions for the model", "description"))
        self.optional_check.toggled.connect(lambda on: self._push_attrs({"optional": on}, "Change 'may be absent'"))
        self.unit_edit.textEdited.connect(
            lambda t: self._push_attrs({"unit": t.strip() or None}, "Change unit", "unit"))
        self.min_edit.textEdited.connect(lambda t: self._range_edited("minimum", t))
        self.max_edit.textEdited.connect(lambda t: self._range_edited("maximum", t))
        self.add_child_button.clicked.connect(self.add_child_requested)
        draft.events.field_changed.connect(self._field_changed)
        draft.events.changed.connect(self._refresh_problems)
        draft.events.removed.connect(self._maybe_gone)
        draft.events.reset.connect(lambda: self.set_field(None))
        self.set_field(None)

    # ---- public ------------------------------------------------------------------
    def field(self) -> Field | None:
        return self._field

    @Slot(object)
    def set_field(self, field: Field | None) -> None:
        self._field = field
        self._new_session()
        self.options.set_field(field)
        self.empty_label.setVisible(field is None)
        self.form_widget.setVisible(field is not None)
        self._refresh()

    # ---- edits -------------------------------------------------------------------
    def _new_session(self) -> None:
        self._session = next(_sessions)

    def _push_attrs(self, values: dict, text: str, merge_as: str | None = None) -> None:
        f = self._field
        if f is None or all(getattr(f, k) == v for k, v in values.items()):
            return
        token = (merge_as, self._session) if merge_as else None
        self.stack.push(SetFieldAttrs(self.draft, f, values, text=text, merge=token))

    def _label_edited(self, text: str) -> None:
        f = self._field
        if f is None:
            return
        values = {"label": text}
        if self.draft.key_follows_label(f):
            values["key"] = key_from_label(text) or DEFAULT_KEY
        self._push_attrs(values, "Change label", "label")

    def _range_edited(self, name: str, text: str) -> None:
        try:
            value = parse_number(text)
        except ValueError:
            self.range_label.setText(f"Type a number for the plausible {name}, e.g. 1.5, or leave it empty.")
            return
        self.range_label.clear()
        self._push_attrs({name: value}, f"Change plausible {name}", name)

    def _type_chosen(self, index: int) -> None:
        f, new = self._field, self.type_combo.itemData(index)
        if f is not None and new is not None and FieldType(new) is not f.type:
            self.stack.push(ChangeType(self.draft, f, FieldType(new), text=f"Change type to {FieldType(new).label}"))

    # ---- following the draft -----------------------------------------------------
    def _field_changed(self, field: Field, names: tuple[str, ...]) -> None:
        if field is self._field:
            if "type" in names:
                self.options.set_field(field)
            self._refresh()

    def _maybe_gone(self, *_) -> None:
        if self._field is not None and not self.draft.contains(self._field):
            self.set_field(None)

    def _refresh(self) -> None:
        f = self._field
        if f is None:
            return
        set_text(self.label_edit, f.label)
        set_text(self.key_edit, f.key)
        set_text(self.description_edit, f.description)
        set_text(self.unit_edit, f.unit or "")
        for edit, value in ((self.min_edit, f.minimum), (self.max_edit, f.maximum)):
            try:
                same = parse_number(edit.text()) == value
            except ValueError:
                same = False
            if not same:
                set_text(edit, format_number(value))
        for w, fn in ((self.type_combo, lambda: self.type_combo.setCurrentIndex(self.type_combo.findData(f.type))),
                      (self.optional_check, lambda: self.optional_check.setChecked(f.optional))):
            w.blockSignals(True)
            fn()
            w.blockSignals(False)
        self.type_hint.setText(TYPE_HINTS[f.type])
        self.number_box.setVisible(f.type.is_number)
        self.options.setVisible(f.type.has_options)
        self.options.refresh()
        self.group_box.setVisible(f.type.has_children)
        n = len(f.fields)
        each = "for each item " if f.type is FieldType.GROUP_LIST else ""
        count = f"This group has {n} field{'s' if n != 1 else ''}. " if n else "This group has no fields yet. "
        self.group_hint.setText(count + f"Add the fields to fill in {each}with the button below, "
                                "or drag fields onto the group in the tree.")
        self._refresh_problems()

    def _refresh_problems(self) -> None:
        f = self._field
        msgs = self.draft.problems_by_field()[1].get(id(f), []) if f is not None else []
        self.problem_label.setText("\n".join(f"⚠ {m}" for m in msgs))
        self.problem_label.setVisible(bool(msgs))
