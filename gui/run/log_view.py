"""The run panel's message list: warnings and errors, never a pop-up."""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QStyle,
                               QVBoxLayout, QWidget)

LEVELS = ("info", "warning", "error")
_ICONS = {
    "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
    "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
}
MAX_ITEMS = 2000


class RunLog(QWidget):
    """A list of time-stamped messages; double-clicking a report's message asks to open it."""

    open_report_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setObjectName("run_log")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setAccessibleName("Run messages")
        self.list.itemActivated.connect(self._activated)
        self.title = QLabel("Messages", self)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Clear the messages (nothing stored is changed)")
        self.clear_button.clicked.connect(self.clear)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.clear_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addWidget(self.list, 1)
        self._update_title()

    @Slot(str, str)
    def add(self, level: str, text: str, report_id: str = "") -> None:
        level = level if level in LEVELS else "info"
        item = QListWidgetItem(self.style().standardIcon(_ICONS[level]), f"{time.strftime('%H:%M:%S')}  {text}")
        item.setData(Qt.ItemDataRole.UserRole, level)
        item.setData(Qt.ItemDataRole.UserRole + 1, report_id)
        item.setToolTip(text)
        self.list.addItem(item)
        while self.list.count() > MAX_ITEMS:
            self.list.takeItem(0)
        self.list.scrollToBottom()
        self._update_title()

    @Slot()
    def clear(self) -> None:
        self.list.clear()
        self._update_title()

    def messages(self, level: str | None = None) -> list[str]:
        """The message texts (without time stamps), optionally of one level."""
        out = []
        for i in range(self.list.count()):
            item = self.list.item(i)
            if level is None or item.data(Qt.ItemDataRole.UserRole) == level:
                out.append(item.toolTip())
        return out

    def _update_title(self) -> None:
        n = self.list.count()
        self.title.setText("Messages" if not n else f"Messages ({n})")
        self.clear_button.setEnabled(bool(n))

    def _activated(self, item: QListWidgetItem) -> None:
        rid = item.data(Qt.ItemDataRole.UserRole + 1)
        if rid:
            self.open_report_requested.emit(rid)
