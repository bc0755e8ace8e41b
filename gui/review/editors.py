"""One editor per field: an input widget plus what the form needs around it.

A :class:`FieldEditor` wraps an input from :mod:`gui.review.inputs`, adds
an "empty" button where the input cannot show "nothing" by itself, and
emits ``edited(value)`` only when the reviewer changed the value (never
when the form loads one).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from core.task import Field, FieldType
from gui.review.inputs import CheckList, LinesEdit, NullableDateEdit, NullableSpinBox, ValueCombo, inner_widget
from core.review.values import same


class FieldEditor(QWidget):
    """Base: ``value()``, ``set_value(v)`` (silent), ``flush()``, ``clear_value()``; emits ``edited``."""

    edited = Signal(object)

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self._committed: Any = None

    def value(self) -> Any:
        raise NotImplementedError

    def _put(self, value: Any) -> None:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._committed = value
        self.blockSignals(True)
        try:
            self._put(value)
        finally:
            self.blockSignals(False)

    def flush(self) -> None:
        """Commit what the reviewer typed but did not confirm yet (before accept or leaving)."""
        self._maybe_emit()

    def clear_value(self) -> None:
        self._put(None)
        self._maybe_emit()

    def focus_target(self) -> QWidget:
        return self

    def _maybe_emit(self, *_args) -> None:
        v = self.value()
        if not same(self.field, v, self._committed):
            self._committed = v
            self.edited.emit(v)


class ScalarEditor(FieldEditor):
    """Any field that is not a group: the inner widget, plus an 'empty' button for numbers and dates."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(field, parent)
        self.inner = inner_widget(field, self)
        self.inner.setObjectName(f"editor_{field.key}")
        self.inner.setAccessibleName(field.title)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.inner, 1)
        self.clear_button: QToolButton | None = None
        if isinstance(self.inner, (NullableSpinBox, NullableDateEdit)):
            lay.setStretch(0, 0)
            self.clear_button = QToolButton(self)
            self.clear_button.setText("×")
            self.clear_button.setToolTip("Empty this field (not stated in the report) — Ctrl+Delete")
            self.clear_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.clear_button.clicked.connect(self.clear_value)
            lay.addWidget(self.clear_button)
            lay.addStretch(1)
        w = self.inner
        if isinstance(w, ValueCombo):
            w.activated.connect(self._maybe_emit)
        elif isinstance(w, (NullableSpinBox, NullableDateEdit)):
            w.editingFinished.connect(self._maybe_emit)
            (w.valueChanged if isinstance(w, NullableSpinBox) else w.dateChanged).connect(self._on_changed)
        elif isinstance(w, CheckList):
            w.itemChanged.connect(self._maybe_emit)
        elif isinstance(w, LinesEdit):
            w.focus_lost.connect(self._maybe_emit)
        else:
            w.editingFinished.connect(self._maybe_emit)
        self.setFocusProxy(self.inner)

    def _on_changed(self, *_args) -> None:
        # keyboard tracking is off: this is an arrow-key step, a calendar pick or a confirmed entry
        self._maybe_emit()

    def value(self) -> Any:
        return self.inner.get()

    def _put(self, value: Any) -> None:
        self.inner.blockSignals(True)
        try:
            self.inner.put(value)
        finally:
            self.inner.blockSignals(False)

    def flush(self) -> None:
        if isinstance(self.inner, (NullableSpinBox, NullableDateEdit)):
            self.inner.interpretText()
        self._maybe_emit()

    def focus_target(self) -> QWidget:
        return self.inner


def make_editor(field: Field, parent: QWidget | None = None) -> FieldEditor:
    if field.type is FieldType.GROUP:
        from gui.review.group_editors import GroupEditor

        return GroupEditor(field, parent)
    if field.type is FieldType.GROUP_LIST:
        from gui.review.group_editors import GroupListEditor

        return GroupListEditor(field, parent)
    return ScalarEditor(field, parent)
