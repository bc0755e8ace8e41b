"""Preferences: one editor per option in :data:`gui.settings.PREFERENCES`.

The editors are built from the option declarations (label, range, help,
special value text); the dialog only loads and saves values.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QSpinBox, QVBoxLayout, QWidget)

from gui.settings import OPTIONS, PREFERENCES, Option, Settings


def _editor(opt: Option) -> QWidget:
    if opt.type is bool:
        w = QCheckBox()
    elif opt.type is float:
        w = QDoubleSpinBox()
        w.setDecimals(2)
        w.setSingleStep(0.1)
        w.setRange(opt.minimum, opt.maximum)
    else:
        w = QSpinBox()
        w.setRange(int(opt.minimum), int(opt.maximum))
        w.setGroupSeparatorShown(opt.maximum > 9999 and opt.name != "seed")
        if opt.special:
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
            form.addRow(opt.label + ":", editor)
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
