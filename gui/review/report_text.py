"""The report text with each field's evidence highlighted in its colour.

Offsets from the engine count Python characters in the stored report
text; Qt counts UTF-16 units and turns line breaks into block breaks, so
:func:`qt_positions` maps one to the other.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QGradient, QLinearGradient, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from gui.review.palette import line_colour

FLASH_STEPS = 6          # on/off phases
FLASH_INTERVAL_MS = 120


def display_text(text: str) -> str:
    """The text as shown: \\r\\n and \\r become \\n (Qt would count them differently)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def qt_positions(text: str) -> list[int]:
    """For each character offset 0..len(text) of the stored text, its Qt document position."""
    out = [0] * (len(text) + 1)
    pos = 0
    i = 0
    n = len(text)
    while i < n:
        out[i] = pos
        ch = text[i]
        if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
            out[i + 1] = pos  # the \n of a \r\n pair is the same break
            pos += 1
            i += 2
            continue
        pos += 2 if ord(ch) > 0xFFFF else 1
        i += 1
    out[n] = pos
    return out


class ReportText(QPlainTextEdit):
    """Read-only report view; ``set_evidence`` colours spans, ``flash`` shows one."""

    evidence_clicked = Signal(str)     # field key under a click on a highlight

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("report_text")
        self.setReadOnly(True)
        self.setAccessibleName("Report text")
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self._map: list[int] = [0]
        self._spans: dict[str, tuple[int, int]] = {}      # key -> Qt positions
        self._labels: dict[str, str] = {}
        self._colours: dict[str, QColor] = {}
        self.flashing_key: str | None = None
        self._flash_step = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._flash_tick)
        self.viewport().setMouseTracking(True)

    # ---- content ------------------------------------------------------------
    def set_report(self, text: str) -> None:
        self._flash_timer.stop()
        self.flashing_key = None
        self._map = qt_positions(text)
        self._spans = {}
        self.setPlainText(display_text(text))
        self.setExtraSelections([])

    def set_evidence(self, spans: dict[str, tuple[int, int] | None], labels: dict[str, str],
                     colours: dict[str, QColor]) -> None:
        """Highlight each field's evidence; offsets are into the stored report text."""
        self._labels, self._colours = dict(labels), dict(colours)
        self._spans = {}
        last = len(self._map) - 1
        for key, span in spans.items():
            if not span:
                continue
            s, e = max(0, min(span[0], last)), max(0, min(span[1], last))
            if e > s:
                self._spans[key] = (self._map[s], self._map[e])
        self._apply()

    def spans(self) -> dict[str, tuple[int, int]]:
        """Highlighted fields and their Qt document positions."""
        return dict(self._spans)

    def keys_at(self, position: int) -> list[str]:
        return [k for k, (s, e) in self._spans.items() if s <= position < e]

    def highlighted_text(self, key: str) -> str:
        s, e = self._spans[key]
        c = QTextCursor(self.document())
        c.setPosition(s)
        c.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
        return c.selectedText().replace("\u2029", "\n")

    # ---- flashing -----------------------------------------------------------
    def flash(self, key: str) -> bool:
        """Scroll to a field's evidence and make it blink; False when it has none."""
        if key not in self._spans:
            self._flash_timer.stop()
            self.flashing_key = None
            self._apply()
            return False
        s, e = self._spans[key]
        c = QTextCursor(self.document())
        c.setPosition(e)
        self.setTextCursor(c)
        self.ensureCursorVisible()
        c.setPosition(s)
        self.setTextCursor(c)
        self.centerCursor()
        self.flashing_key = key
        self._flash_step = 0
        self._apply()
        self._flash_timer.start()
        return True

    def _flash_tick(self) -> None:
        self._flash_step += 1
        if self._flash_step >= FLASH_STEPS:
            self._flash_timer.stop()
        self._apply()

    # ---- painting -----------------------------------------------------------
    def segments(self) -> list[tuple[int, int, list[str]]]:
        """The highlighted text cut where spans start or end: (start, end, keys covering it),
        keys longest span first.  Where two fields' evidence overlaps, both are drawn."""
        cuts = sorted({p for span in self._spans.values() for p in span})
        order = sorted(self._spans, key=lambda k: (-(self._spans[k][1] - self._spans[k][0]), k))
        out = []
        for a, b in zip(cuts, cuts[1:]):
            keys = [k for k in order if self._spans[k][0] <= a and b <= self._spans[k][1]]
            if keys:
                out.append((a, b, keys))
        return out

    def _colour(self, key: str) -> QColor:
        return self._colours.get(key, QColor("#DDDDDD"))

    def _format(self, keys: list[str]) -> QTextCharFormat:
        """One field: its colour behind the text, underlined in a darker shade.  Two or more
        (overlapping evidence): the background split into one horizontal band per field, and
        the inner field's underline dashed, so neither highlight hides the other."""
        fmt = QTextCharFormat()
        if len(keys) == 1:
            fmt.setBackground(self._colour(keys[0]))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        else:
            grad = QLinearGradient(0, 0, 0, 1)
            grad.setCoordinateMode(QGradient.CoordinateMode.ObjectBoundingMode)
            n = len(keys)
            for i, k in enumerate(keys):   # hard stops: equal bands, no blending
                grad.setColorAt(i / n, self._colour(k))
                grad.setColorAt(max(0.0, (i + 1) / n - 1e-6), self._colour(k))
            fmt.setBackground(QBrush(grad))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DashUnderline)
        fmt.setUnderlineColor(line_colour(self._colour(keys[-1])))
        fmt.setProperty(QTextFormat.Property.UserProperty, ",".join(keys))
        return fmt

    def _selection(self, s: int, e: int, fmt: QTextCharFormat) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        c = QTextCursor(self.document())
        c.setPosition(s)
        c.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = c
        sel.format = fmt
        return sel

    def _apply(self) -> None:
        blinking = self._flash_timer.isActive() and self._flash_step % 2 == 0
        sels = [self._selection(a, b, self._format(keys)) for a, b, keys in self.segments()]
        if self.flashing_key in self._spans and blinking:
            colour = line_colour(self._colour(self.flashing_key))
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            fmt.setForeground(QColor("#000000") if colour.lightness() > 110 else QColor("#ffffff"))
            fmt.setProperty(QTextFormat.Property.UserProperty, self.flashing_key)
            sels.append(self._selection(*self._spans[self.flashing_key], fmt))
        self.setExtraSelections(sels)

    # ---- hover and click ------------------------------------------------------
    def _keys_at_point(self, pos) -> list[str]:
        c = self.cursorForPosition(pos)
        p = c.position()
        rect = self.cursorRect(c)
        # cursorForPosition gives the nearest gap; use the character on the side of the pointer
        if pos.x() < rect.x() and p > 0:
            p -= 1
        return self.keys_at(p)

    def tooltip_at(self, pos) -> str:
        keys = self._keys_at_point(pos)
        return "\n".join(f"Evidence for: {self._labels.get(k, k)}" for k in keys)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if not self.textCursor().hasSelection():
            keys = self._keys_at_point(event.position().toPoint())
            if keys:
                self.evidence_clicked.emit(keys[-1])
