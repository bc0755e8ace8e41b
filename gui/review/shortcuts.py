"""The review's keyboard shortcuts, and a small non-modal dialog listing them."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

# (action name, key sequences, what it does)
SHORTCUTS: list[tuple[str, list[str], str]] = [
    ("accept", ["Ctrl+Return", "Ctrl+Enter"], "Accept the report and go to the next one not yet reviewed"),
    ("flag", ["Ctrl+Shift+F"], "Flag the report with a comment (Enter saves, Esc cancels)"),
    ("reset", ["Ctrl+Shift+Backspace"], "Reset the report to the model's values"),
    ("next", ["Alt+Down"], "Next report (in the order of the overview)"),
    ("previous", ["Alt+Up"], "Previous report"),
    ("next_field", ["Tab"], "Next field (its evidence blinks in the report)"),
    ("previous_field", ["Shift+Tab"], "Previous field"),
    ("revert", ["Ctrl+Backspace"], "Revert the current field to the model's value"),
    ("empty", ["Ctrl+Delete"], "Empty the current field (not stated in the report)"),
    ("overview", ["Ctrl+G"], "Move between the form and the overview grid"),
    ("open", ["Enter"], "In the overview grid: open the report and field"),
    ("help", ["Ctrl+/"], "Show this list of shortcuts"),
]


def native(seq: str) -> str:
    return QKeySequence(seq).toString(QKeySequence.SequenceFormat.NativeText) or seq


def overview_text(rich: bool = False) -> str:
    """The shortcuts as text (plain, or an HTML table for a help window)."""
    if not rich:
        width = max(len(" / ".join(native(k) for k in keys)) for _, keys, _ in SHORTCUTS)
        return "\n".join(f"{' / '.join(native(k) for k in keys):<{width}}  {what}" for _, keys, what in SHORTCUTS)
    rows = "".join(f"<tr><td><b>{html.escape(' / '.join(native(k) for k in keys))}</b></td>"
                   f"<td>{html.escape(what)}</td></tr>" for _, keys, what in SHORTCUTS)
    return f"<table cellspacing='4'>{rows}</table>"


class ShortcutDialog(QDialog):
    """Non-modal: it may stay open beside the review."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Review shortcuts")
        self.setModal(False)
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setObjectName("shortcut_table")
        table.setHorizontalHeaderLabels(["Keys", "What it does"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (_name, keys, what) in enumerate(SHORTCUTS):
            table.setItem(r, 0, QTableWidgetItem(" / ".join(native(k) for k in keys)))
            table.setItem(r, 1, QTableWidgetItem(what))
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(table)
        lay.addWidget(buttons)
        self.resize(560, 380)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
