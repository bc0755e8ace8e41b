"""The bare input widgets, one per field type.

Each has ``get()`` and ``put(value)``; the form wraps them in a
:class:`gui.review.editors.FieldEditor`, and a repeating group's table uses
them directly as cell editors.  "Empty" (null) is always representable:
'—' in spin boxes and date edits, an empty entry in combo boxes.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QEvent, QLocale, QObject, Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDoubleSpinBox, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QSizePolicy, QWidget)

from core.task import Field, FieldType
from core.review.values import EMPTY

NUMBER_LIMIT = 1e9
NULL_DATE = QDate(1800, 1, 1)


class _WheelGuard(QObject):
    """Scrolling the form must not change a value under the pointer."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            event.ignore()
            return True
        return False


_GUARD = _WheelGuard()


def _guard(w: QWidget) -> None:
    w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    w.installEventFilter(_GUARD)


class ValueCombo(QComboBox):
    """Yes/No/Unknown, or a choice's options with an empty entry."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        _guard(self)
        if field.type is FieldType.YES_NO:
            for text, v in (("Yes", True), ("No", False), ("Unknown", None)):
                self.addItem(text, v)
        else:
            self.addItem(EMPTY, None)
            self.setItemData(0, "Not stated / empty", Qt.ItemDataRole.ToolTipRole)
            for o in field.options:
                self.addItem(o.value, o.value)
                if o.description:
                    self.setItemData(self.count() - 1, o.description, Qt.ItemDataRole.ToolTipRole)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

    def get(self) -> Any:
        return self.currentData()

    def put(self, value: Any) -> None:
        for i in range(self.count()):
            d = self.itemData(i)
            if d is value or (d == value and type(d) is type(value)):
                self.setCurrentIndex(i)
                return
        if value is not None:  # a value outside the options (an older task): show it as it is
            self.addItem(str(value), value)
            self.setCurrentIndex(self.count() - 1)
        else:
            self.setCurrentIndex(self.findData(None))


class NullableSpinBox(QDoubleSpinBox):
    """A number with unit suffix; its lowest value shows '—' and means empty."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        _guard(self)
        self.field = field
        self.integer = field.type is FieldType.INTEGER
        loc = QLocale(self.locale())
        loc.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
        self.setLocale(loc)
        self.setDecimals(0 if self.integer else 4)
        self.setRange(-NUMBER_LIMIT - 1, NUMBER_LIMIT)
        self.setSpecialValueText(EMPTY)
        self.setKeyboardTracking(False)
        self.setCorrectionMode(QDoubleSpinBox.CorrectionMode.CorrectToPreviousValue)
        if field.unit:
            self.setSuffix(f" {field.unit}")
        self.setSingleStep(1.0)
        self.setMinimumWidth(110)
        self.setValue(self.minimum())

    def is_null(self) -> bool:
        return self.value() <= self.minimum()

    def get(self) -> Any:
        if self.is_null():
            return None
        v = self.value()
        return int(round(v)) if self.integer else float(v)

    def put(self, value: Any) -> None:
        self.setValue(self.minimum() if value is None else float(value))

    def textFromValue(self, value: float) -> str:
        text = self.locale().toString(float(value), "f", self.decimals())
        point = self.locale().decimalPoint()
        if self.decimals() and point in text:
            text = text.rstrip("0").rstrip(point)
        return text

    def _bare(self, text: str) -> str:
        t = text.strip()
        if self.suffix().strip() and t.endswith(self.suffix().strip()):
            t = t[: -len(self.suffix().strip())].strip()
        return t

    def validate(self, text: str, pos: int):
        if self._bare(text) in ("", EMPTY):
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> float:
        if self._bare(text) in ("", EMPTY):
            return self.minimum()
        return super().valueFromText(text)

    def stepBy(self, steps: int) -> None:
        if self.is_null():  # from empty, start at the plausible minimum (or 0)
            self.setValue(self.field.minimum if self.field.minimum is not None else 0.0)
            return
        super().stepBy(steps)


class NullableDateEdit(QDateEdit):
    """A date; the lowest date shows '—' and means empty."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        _guard(self)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(NULL_DATE)
        self.setSpecialValueText(EMPTY)
        self.setKeyboardTracking(False)
        self.setDate(NULL_DATE)

    def get(self) -> Any:
        d = self.date()
        return None if d <= NULL_DATE else d.toString("yyyy-MM-dd")

    def put(self, value: Any) -> None:
        d = QDate.fromString(str(value), "yyyy-MM-dd") if value else QDate()
        self.setDate(d if d.isValid() else NULL_DATE)

    def stepBy(self, steps: int) -> None:
        if self.get() is None:
            self.setDate(QDate.currentDate())
            return
        super().stepBy(steps)


class TextLine(QLineEdit):
    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText(EMPTY)

    def get(self) -> Any:
        return self.text().strip() or None

    def put(self, value: Any) -> None:
        self.setText("" if value is None else str(value))


class CheckList(QListWidget):
    """Multiple choice: one check box per option (Space toggles)."""

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for o in field.options:
            item = QListWidgetItem(o.value, self)
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, o.value)
            if o.description:
                item.setToolTip(o.description)
        rows = min(max(len(field.options), 1), 6)
        self.setFixedHeight(rows * max(self.sizeHintForRow(0), 18) + 2 * self.frameWidth() + 4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def get(self) -> Any:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]

    def put(self, value: Any) -> None:
        chosen = set(value or [])
        self.blockSignals(True)
        for i in range(self.count()):
            it = self.item(i)
            it.setCheckState(Qt.CheckState.Checked if it.data(Qt.ItemDataRole.UserRole) in chosen
                             else Qt.CheckState.Unchecked)
        self.blockSignals(False)


class LinesEdit(QPlainTextEdit):
    """A list of text, one item per line."""

    focus_lost = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setPlaceholderText("One item per line")
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)

    def get(self) -> Any:
        return [line.strip() for line in self.toPlainText().splitlines() if line.strip()]

    def put(self, value: Any) -> None:
        self.setPlainText("\n".join(str(v) for v in (value or [])))

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


def inner_widget(field: Field, parent: QWidget | None = None) -> QWidget:
    """The bare editing widget for a non-group field (also used in table cells)."""
    t = field.type
    if t in (FieldType.YES_NO, FieldType.CHOICE):
        return ValueCombo(field, parent)
    if t.is_number:
        return NullableSpinBox(field, parent)
    if t is FieldType.DATE:
        return NullableDateEdit(field, parent)
    if t is FieldType.MULTI_CHOICE:
        return CheckList(field, parent)
    if t is FieldType.TEXT_LIST:
        return LinesEdit(field, parent)
    return TextLine(field, parent)
