"""The status bar: model, backend, report count and run state, always visible."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFrame, QLabel, QStatusBar

DEMO_STYLE = "QLabel { background: #ffe0b2; color: #5d3200; border-radius: 3px; padding: 0 6px; }"
FAILED_STYLE = "QLabel { background: #fdecea; color: #611a15; border-radius: 3px; padding: 0 6px; }"
PLAIN_STYLE = "QLabel { padding: 0 6px; }"


def _label(name: str, tip: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setToolTip(tip)
    label.setStyleSheet(PLAIN_STYLE)
    return label


def _separator() -> QFrame:
    line = QFrame()
    line.setFrameShape(QFrame.Shape.VLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


class AppStatusBar(QStatusBar):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.model_label = _label("statusModel", "The language model in use")
        self.backend_label = _label("statusBackend", "Where the model runs")
        self.reports_label = _label("statusReports", "Reports in the open project")
        self.run_label = _label("statusRun", "What the model is doing")
        for i, w in enumerate((self.reports_label, self.model_label, self.backend_label, self.run_label)):
            if i:
                self.addPermanentWidget(_separator())
            self.addPermanentWidget(w)
        self.set_model(None)
        self.set_backend(None)
        self.set_report_count(None)
        self.set_run_state("idle")

    def set_model(self, path: str | None, state: str = "loaded") -> None:
        """*state*: loading | loaded | failed."""
        from core.models import DEMO_MODEL_NOTICE, is_demo_model

        if not path:
            self.model_label.setText("No model")
            self.model_label.setStyleSheet(PLAIN_STYLE)
            self.model_label.setToolTip("Choose a model: Run › Choose model…")
            return
        name = Path(path).name
        demo = is_demo_model(path)
        if demo:
            name = "⚠ Demo model (SmolLM2-135M)"
        text = {"loading": f"{name} – loading…", "failed": f"{name} – could not be loaded"}.get(state, name)
        self.model_label.setText(text)
        style = FAILED_STYLE if state == "failed" else DEMO_STYLE if demo else PLAIN_STYLE
        self.model_label.setStyleSheet(style)
        self.model_label.setToolTip(DEMO_MODEL_NOTICE if demo else str(path))

    def set_backend(self, backend: str | None, gpu_layers: int = 0) -> None:
        if not backend:
            self.backend_label.setText("–")
            return
        if backend == "CPU":
            self.backend_label.setText(f"{backend}")
        else:
            self.backend_label.setText(f"{backend} · {gpu_layers} GPU layers")

    def set_report_count(self, count: int | None, reading: bool = False) -> None:
        if count is None:
            self.reports_label.setText("No project open")
            return
        text = f"{count:,} report" + ("" if count == 1 else "s")
        self.reports_label.setText(text + (" – reading…" if reading else ""))

    def set_run_state(self, text: str) -> None:
        self.run_label.setText(text)
