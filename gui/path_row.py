"""A file path box with its "Choose…" button, as the export, import and gold-label dialogs use it."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton


def path_row(edit: QLineEdit, choose: Callable[[], None]) -> QHBoxLayout:
    """*edit* stretched, then a "Choose…" button that calls *choose* (which opens a file dialog)."""
    button = QPushButton("Choose…")
    button.clicked.connect(choose)
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row
