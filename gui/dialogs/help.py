"""Help: the keyboard shortcuts list (Help › About is :mod:`gui.dialogs.about`)."""
from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what it does, keys) for every action with a shortcut, in the order given."""
    rows = []
    for a in actions:
        keys = [s.toString(QKeySequence.SequenceFormat.NativeText) for s in a.shortcuts() if not s.isEmpty()]
        if keys:
            rows.append((a.text().replace("&", "").rstrip("…").rstrip("."), ", ".join(keys)))
    return rows


def review_shortcut_rows() -> list[tuple[str, str]]:
    """The review's own shortcuts, when the review is part of this version."""
    try:
        from gui.review.shortcuts import SHORTCUTS, native
    except ImportError:
        return []
    return [(f"Review: {what}", ", ".join(native(k) for k in keys)) for _name, keys, what in SHORTCUTS]


class ShortcutsDialog(QDialog):
    def __init__(self, actions: list[QAction], parent=None, extra: list[tuple[str, str]] | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows(actions) + list(extra or [])
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 520)
