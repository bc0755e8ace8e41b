"""The report text, read-only, with a one-line header (file, size, status)."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextOption
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from core.reports.model import SKIPPED
from gui.browser.model import human_size

EMPTY_HINT = "Select a report in the list to read it here."


class ReportTextView(QWidget):
    """Shows one report.  Long lines wrap at word boundaries (or anywhere, for
    very long words); the report's own line breaks are kept."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.report_id: str | None = None
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text = QPlainTextEdit()
        self.text.setObjectName("reportText")
        self.text.setReadOnly(True)
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text.setPlaceholderText(EMPTY_HINT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.text, 1)
        self.clear()

    def clear(self) -> None:
        self.report_id = None
        self.header.setText("")
        self.header.hide()
        self.text.clear()

    def show_report(self, report, status: str | None = None) -> None:
        """*report*: a ``core.store.project.ReportRow`` with its text."""
        self.report_id = report.id
        bits = [f"<b>{html.escape(report.id)}</b>"]
        if report.source != report.id:
            bits.append(html.escape(report.source))
        bits.append(human_size(report.size))
        if status:
            bits.append(html.escape(status))
        self.header.setText(" &nbsp;·&nbsp; ".join(bits))
        self.header.show()
        if report.status == SKIPPED:
            self.text.setPlainText(f"This file was skipped: {report.reason or 'it could not be read'}.")
        else:
            self.text.setPlainText(report.text)
        self.text.moveCursor(QTextCursor.MoveOperation.Start)

    def plain_text(self) -> str:
        return self.text.toPlainText()
