"""The line above the review: previous/next, report name, position, status, shortcuts."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class ReviewHeader(QWidget):
    previous_requested = Signal()
    next_requested = Signal()
    help_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.prev_button = QToolButton(self)
        self.prev_button.setArrowType(Qt.ArrowType.UpArrow)
        self.prev_button.setToolTip("Previous report (Alt+Up)")
        self.prev_button.clicked.connect(self.previous_requested)
        self.next_button = QToolButton(self)
        self.next_button.setArrowType(Qt.ArrowType.DownArrow)
        self.next_button.setToolTip("Next report (Alt+Down)")
        self.next_button.clicked.connect(self.next_requested)
        self.title = QLabel(self)
        self.title.setObjectName("review_title")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.position = QLabel(self)
        self.status = QLabel(self)
        self.status.setObjectName("review_status")
        self.help_button = QToolButton(self)
        self.help_button.setText("Shortcuts")
        self.help_button.setToolTip("Keyboard shortcuts of the review (Ctrl+/)")
        self.help_button.clicked.connect(self.help_requested)
        for b in (self.prev_button, self.next_button, self.help_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # the keyboard has shortcuts for these
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        for w in (self.prev_button, self.next_button, self.title, self.position):
            lay.addWidget(w)
        lay.addStretch(1)
        lay.addWidget(self.status)
        lay.addWidget(self.help_button)

    def show_report(self, report_id: str | None, row: int = -1, shown: int = 0, total: int = 0,
                    status: str = "", where: str = "overview") -> None:
        """*row* is the report's place in the *where* ("list" or "overview"), filtered and sorted (-1: filtered out)."""
        if not report_id:
            for lab in (self.title, self.position, self.status):
                lab.setText("")
            return
        self.title.setText(f"<b>{html.escape(report_id)}</b>")
        place = "the report list" if where == "list" else "the overview"
        if row >= 0:
            self.position.setText(f"{row + 1} of {shown}" + (f" (of {total})" if shown != total else "")
                                  + f" in {place}")
        else:
            self.position.setText(f"not in {place} ({shown} of {total} shown)")
        if where == "list":
            self.position.setToolTip("The report's place in the report list on the left, in its sort order and "
                                     "filter; Alt+Down and Alt+Up follow that order (within the overview's "
                                     "filter below).")
        else:
            self.position.setToolTip("The report's place in the overview grid below, in its sort order and "
                                     "filter; Alt+Down and Alt+Up follow that order.")
        self.status.setText(status)

    def say(self, text: str) -> None:
        self.status.setText(text)
