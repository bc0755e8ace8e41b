"""The progress part of the run panel: bar, where the run is, counts, speed, time left."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from core.runner import Progress
from gui.run import format as fmt


class RunProgress(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.progress = Progress()
        self.last_read = ""
        self.bar = QProgressBar(self)
        self.bar.setObjectName("run_progress")
        self.bar.setFormat("%v of %m reports")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.current = QLabel(self)
        self.counts = QLabel(self)
        self.speed = QLabel(self)
        self.eta = QLabel(self)
        for lab in (self.current, self.counts, self.speed, self.eta):
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        stats = QGridLayout()
        stats.setContentsMargins(0, 0, 0, 0)
        stats.addWidget(self.current, 0, 0, 1, 2)
        stats.addWidget(self.counts, 1, 0)
        stats.addWidget(self.eta, 1, 1, Qt.AlignmentFlag.AlignRight)
        stats.addWidget(self.speed, 2, 0, 1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.bar)
        lay.addLayout(stats)
        self.show_progress(Progress(), live=False)

    def start(self, total: int) -> None:
        self.last_read = ""
        self.show_progress(Progress(total=total), live=True)

    def show_progress(self, p: Progress, live: bool, paused: bool = False) -> None:
        """*live*: a run is going on (show where it is and the time left)."""
        self.progress = p
        self.bar.setRange(0, max(p.total, 1))
        self.bar.setValue(p.done)
        self.bar.setFormat("%v of %m reports" if p.total else "No run yet")
        if live and p.done < p.total:
            if p.current:  # the worker is inside this report (a pause holds it between two tokens)
                text = f"{'Paused at' if paused else 'Reading'} report {p.done + 1} of {p.total}: {p.current}"
                if p.parts > 1:
                    text += f" (part {p.part} of {p.parts})"
            else:
                text = f"{'Paused before' if paused else 'Reading'} report {p.done + 1} of {p.total}"
            if not p.current and self.last_read:
                text += f" · last read: {self.last_read}"
            self.current.setText(text)
        else:
            self.current.setText("")
        self.current.setVisible(bool(self.current.text()))
        self.counts.setText(fmt.counts_text(p))
        self.speed.setText(fmt.speed_text(p))
        self.eta.setText(fmt.eta_text(p) if live and not paused else "")
