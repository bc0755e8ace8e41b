"""Preferences: one editor per option in :data:`gui.settings.PREFERENCES`.

The editors are built from the option declarations (label, range, help,
special value text); the dialog only loads and saves values.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QSpinBox, QVBoxLayout, QWidget)

from gui.settings import OPTIONS, PREFERENCES, Option, Settings


class NamedSpinBox(QSpinBox):
    """A number box that shows some values as words and the others with a unit.

    For "Reports at once": 0 "Automatic", 1 "One at a time", 4 "4 reports"
    (:attr:`Option.special`, :attr:`Option.named`, :attr:`Option.suffix`).
    """

    def __init__(self, named: dict[int, str], suffix: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.named, self.unit = named, suffix
        self._words = {t.casefold(): v for v, t in named.items()}

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt API
        return self.named.get(value) or f"{value}{self.unit}"

    def _number(self, text: str) -> str:
        text = text.strip()
        unit = self.unit.strip()
        return text[:-len(unit)].strip() if unit and text.casefold().endswith(unit.casefold()) else text

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt API
        word = self._words.get(text.strip().casefold())
        return word if word is not None else int(self._number(text) or self.minimum())

    def validate(self, text: str, pos: int) -> object:
        typed = text.strip().casefold()
        if typed in self._words:
            return QValidator.State.Acceptable, text, pos
        if typed and any(w.startswith(typed) for w in self._words):
            return QValidator.State.Intermediate, text, pos
        number = self._number(text)
        if not number.isdigit():
            return (QValidator.State.Intermediate if not number else QValidator.State.Invalid), text, pos
        ok = self.minimum() <= int(number) <= self.maximum()
        return (QValidator.State.Acceptable if ok else QValidator.State.Intermediate), text, pos


def _editor(opt: Option) -> QWidget:
    if opt.type is bool:
        w = QCheckBox()
    elif opt.type is float:
        w = QDoubleSpinBox()
        w.setDecimals(2)
        w.setSingleStep(0.1)
        w.setRange(opt.minimum, opt.maximum)
    else:
        if opt.named:
            special = {int(opt.minimum): opt.special} if opt.special else {}
            w = NamedSpinBox({**special, **dict(opt.named)}, opt.suffix)
        else:
            w = QSpinBox()
            w.setSuffix(opt.suffix)
        w.setRange(int(opt.minimum), int(opt.maximum))
        w.setGroupSeparatorShown(opt.maximum > 9999 and opt.name != "seed")
        if opt.special and not opt.named:
            w.setSpecialValueText(opt.special)
    w.setToolTip(opt.help)
    w.setObjectName(opt.name)
    return w


class PreferencesDialog(QDialog):
    def __init__(self, settings: Settings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Preferences")
        self.editors: dict[str, QWidget] = {}
        form = QFormLayout()
        for name in PREFERENCES:
            opt = OPTIONS[name]
            editor = self.editors[name] = _editor(opt)
            label = QLabel(opt.label + ":")
            label.setToolTip(opt.help)          # the help shows over the name too
            label.setBuddy(editor)
            form.addRow(label, editor)
        note = QLabel("Changes to the context size, GPU layers or threads apply when the model is loaded "
                      "again (this happens automatically when no run is in progress).")
        note.setWordWrap(True)
        note.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                                   | QDialogButtonBox.StandardButton.RestoreDefaults)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(self.restore_defaults)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.load()

    def set_value(self, name: str, value: Any) -> None:
        w = self.editors[name]
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        else:
            w.setValue(value)

    def value(self, name: str) -> Any:
        w = self.editors[name]
        return w.isChecked() if isinstance(w, QCheckBox) else w.value()

    def values(self) -> dict[str, Any]:
        return {name: self.value(name) for name in PREFERENCES}

    def load(self) -> None:
        for name, value in self.settings.preferences().items():
            self.set_value(name, value)

    def save(self) -> None:
        for name, value in self.values().items():
            self.settings.set(name, value)
        self.settings.sync()

    def restore_defaults(self) -> None:
        for name in PREFERENCES:
            self.set_value(name, OPTIONS[name].default)

    def accept(self) -> None:
        self.save()
        super().accept()
