"""Choose the model: a GGUF file on this computer (the default) or an inference server.

For a file, the model's metadata (architecture, size, quantization,
trained context, chat template) is read on a helper thread: it takes a few
seconds for models with large vocabularies.  The "Server" choice is
:class:`gui.dialogs.server_panel.ServerPanel`.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QRadioButton, QVBoxLayout,
                               QWidget)

from gui.browser.model import human_size

log = logging.getLogger(__name__)

MODEL_FILTER = "GGUF models (*.gguf);;All files (*)"
NOTICE_STYLE = ("QLabel { background: #fff4e5; color: #663c00; border: 1px solid #ffb74d;"
                " border-radius: 4px; padding: 6px; }")
ERROR_STYLE = ("QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5a8a0;"
               " border-radius: 4px; padding: 6px; }")
FIELDS = (("file", "File"), ("architecture", "Architecture"), ("parameters", "Parameters"),
          ("quantization", "Quantization"), ("context", "Trained context"), ("chat", "Chat template"))


class _InfoReader(QObject):
    done = Signal(str, object)    # path, core.models.info.ModelInfo
    failed = Signal(str, str)     # path, message

    @Slot(str)
    def read(self, path: str) -> None:
        from core.models.info import NotAModel, read_model_info

        try:
            self.done.emit(path, read_model_info(path))
        except NotAModel as exc:
            self.failed.emit(path, not_a_model_message(path, exc))
        except Exception:  # noqa: BLE001 - a damaged file must not crash the dialog; the log keeps the detail
            log.warning("Reading the model file %s failed", path, exc_info=True)
            self.failed.emit(path, damaged_model_message(path))


def damaged_model_message(path: str) -> str:
    """The plain message for a model file whose contents cannot be read (core.engine.faults),
    never the raw error of the GGUF reader."""
    from core.engine.faults import gguf_structure_problem

    name = Path(path).name
    try:
        problem = gguf_structure_problem(Path(path))
    except OSError:
        problem = None
    if problem and "header cannot be read" in problem:   # that message quotes the reader's raw error
        problem = None
    return problem or (f"The model file '{name}' is damaged or incomplete: it cannot be read as a GGUF "
                       "model. Fix: download or copy the model again.")


def not_a_model_message(path: str, exc: Exception) -> str:
    """A .gguf file that does not start like one is damaged (a failed download), not the wrong
    kind of file: say so instead of asking for a .gguf file."""
    p = Path(path)
    if p.suffix.lower() == ".gguf" and p.is_file():
        return (f"The model file '{p.name}' is damaged: it does not begin like a GGUF model (the download may "
                "have failed or saved an error page). Fix: download or copy the model again.")
    return str(exc)


def model_label(path: str) -> str:
    from core.models import EMBEDDED_MODEL_NAME, is_demo_model

    return f"{EMBEDDED_MODEL_NAME} – built in" if is_demo_model(path) else Path(path).name


class ModelDialog(QDialog):
    info_shown = Signal(object)   # ModelInfo of the selected file
    error_shown = Signal(str)
    _read = Signal(str)

    def __init__(self, current: str | Path | None = None, recent: list[str] | None = None, parent=None, *,
                 server: dict | None = None):
        super().__init__(parent)
        from core.models import DEMO_MODEL_NOTICE, embedded_model_path

        self.setWindowTitle("Choose a model")
        self._infos: dict[str, object] = {}
        self._errors: dict[str, str] = {}
        self._thread = QThread()
        self._thread.setObjectName("abstractor-model-info")
        self._reader = _InfoReader()
        self._reader.moveToThread(self._thread)
        self._read.connect(self._reader.read)
        self._reader.done.connect(self._on_info)
        self._reader.failed.connect(self._on_failed)
        self._thread.start()

        intro = QLabel("Choose the language model that reads your reports. It runs on this computer; "
                       "no report leaves it.")
        intro.setWordWrap(True)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(40)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        pick = QHBoxLayout()
        pick.addWidget(self.combo, 1)
        pick.addWidget(browse)

        box = QGroupBox("About this model")
        form = QFormLayout(box)
        self.values: dict[str, QLabel] = {}
        for key, label in FIELDS:
            value = QLabel("–")
            value.setWordWrap(True)
            value.setObjectName(f"model_{key}")
            self.values[key] = value
            form.addRow(label + ":", value)

        self.notice = QLabel(DEMO_MODEL_NOTICE)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Use this model", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        from gui.dialogs.server_panel import ServerPanel

        server = server or {}
        self.local_choice = QRadioButton("On this computer (a GGUF model file)")
        self.local_choice.setObjectName("choice_local")
        self.server_choice = QRadioButton("Server (OpenAI-compatible: vLLM, llama.cpp server, Ollama, a gateway)")
        self.server_choice.setObjectName("choice_server")
        choice = QButtonGroup(self)
        choice.addButton(self.local_choice)
        choice.addButton(self.server_choice)
        self.local_page = QWidget()
        local = QVBoxLayout(self.local_page)
        local.setContentsMargins(0, 0, 0, 0)
        local.addWidget(intro)
        local.addLayout(pick)
        local.addWidget(box)
        local.addWidget(self.notice)
        self.server_panel = ServerPanel(server.get("url", ""), server.get("model", ""),
                                        server.get("concurrency", 4), server.get("timeout_s", 300))
        layout = QVBoxLayout(self)
        layout.addWidget(self.local_choice)
        layout.addWidget(self.server_choice)
        layout.addWidget(self.local_page)
        layout.addWidget(self.server_panel)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._server: tuple | None = None
        (self.server_choice if server.get("active") else self.local_choice).setChecked(True)
        self.local_choice.toggled.connect(self._on_where)

        paths = [str(embedded_model_path())] if embedded_model_path().is_file() else []
        for p in ([str(current)] if current else []) + list(recent or []):
            if p not in paths and Path(p).is_file():
                paths.append(p)
        for p in paths:
            self._add_path(p)
        self.combo.currentIndexChanged.connect(self._on_choice)
        start = self.combo.findData(str(current)) if current else 0
        self.combo.setCurrentIndex(max(start, 0))
        self._on_where()

    # ---- local or server -----------------------------------------------------------------
    def use_server(self, on: bool = True) -> None:
        (self.server_choice if on else self.local_choice).setChecked(True)

    @Slot()
    def _on_where(self, *_):
        local = self.local_choice.isChecked()
        self.local_page.setVisible(local)
        self.server_panel.setVisible(not local)
        if local:
            self.ok.setText("Use this model")
            self._on_choice()
        else:
            self.error.hide()
            self.ok.setText("Use this server")
            self.ok.setEnabled(True)

    def selected_server(self):
        """(ServerConfig, key for this session) when a server was chosen and accepted, else None."""
        return self._server

    def accept(self) -> None:
        if self.local_choice.isChecked():
            self._server = None
            super().accept()
            return
        from core import secrets
        from core.remote.config import ServerConfigError

        panel = self.server_panel
        try:
            cfg = panel.config()
        except ServerConfigError as exc:
            if "not encrypted" not in str(exc):
                self._show_error(str(exc))
                self.ok.setEnabled(True)
                return
            if not self.confirm_plain_http(panel.url.text()):
                return
            cfg = panel.config(allow_http=True)
        key = panel.entered_key()
        if key and panel.keyring.available:
            secrets.set_key(cfg.url, key)
        self._server = (cfg, key or secrets.stored_key(cfg.url))
        super().accept()

    def confirm_plain_http(self, url: str) -> bool:
        """Plain http:// to another computer: report text and the key would travel unencrypted."""
        answer = QMessageBox.warning(
            self, "Unencrypted connection",
            f"{url} uses plain http:// and is not this computer. Report text and the API key would cross the "
            "network unencrypted, readable by anyone on the way.\n\nUse this server anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # ---- public -----------------------------------------------------------------------------
    def selected_path(self) -> str | None:
        return self.combo.currentData()

    def selected_info(self):
        return self._infos.get(self.selected_path() or "")

    def choose_file(self, path: str | Path) -> None:
        """Select *path* (adding it to the list), as if picked with Browse…."""
        path = str(Path(path).resolve())
        idx = self.combo.findData(path)
        if idx < 0:
            self._add_path(path)
            idx = self.combo.count() - 1
        self.combo.setCurrentIndex(idx)

    # ---- internals ---------------------------------------------------------------------------
    def _add_path(self, path: str) -> None:
        self.combo.addItem(model_label(path), path)
        self.combo.setItemData(self.combo.count() - 1, path, Qt.ItemDataRole.ToolTipRole)

    @Slot()
    def _browse(self) -> None:
        start = str(Path(self.selected_path()).parent) if self.selected_path() else ""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a GGUF model file", start, MODEL_FILTER)
        if path:
            self.choose_file(path)

    @Slot()
    def _on_choice(self, *_):
        from core.models import is_demo_model
        from core.models.info import NotAModel, check_gguf_file

        if not self.local_choice.isChecked():
            return
        path = self.selected_path()
        self.notice.setVisible(bool(path) and is_demo_model(path))
        for v in self.values.values():
            v.setText("–")
        if not path:
            self._show_error("No model is available. Click Browse… and choose a GGUF model file.")
            return
        self.values["file"].setText(Path(path).name)
        self.values["file"].setToolTip(path)
        if path in self._infos:
            self._show_info(self._infos[path])
            return
        if path in self._errors:
            self._show_error(self._errors[path])
            return
        try:
            check_gguf_file(path)  # instant: a clear message for a file that is not GGUF at all
        except NotAModel as exc:
            self._errors[path] = not_a_model_message(path, exc)
            self._show_error(self._errors[path])
            return
        self.error.hide()
        self.ok.setEnabled(False)
        for key in ("architecture", "parameters", "quantization", "context", "chat"):
            self.values[key].setText("reading…")
        if not self._thread.isRunning():
            self._thread.start()
        self._read.emit(path)

    @Slot(str, object)
    def _on_info(self, path: str, info) -> None:
        self._infos[path] = info
        if path == self.selected_path() and self.local_choice.isChecked():
            self._show_info(info)

    @Slot(str, str)
    def _on_failed(self, path: str, message: str) -> None:
        self._errors[path] = message
        if path == self.selected_path() and self.local_choice.isChecked():
            self._show_error(message)

    def _show_info(self, info) -> None:
        v = self.values
        v["file"].setText(f"{Path(info.path).name}  ({human_size(info.size_bytes)})")
        v["architecture"].setText(info.architecture)
        v["parameters"].setText(f"{info.parameters_label} ({info.parameters:,})")
        v["quantization"].setText(info.quantization)
        v["context"].setText(f"{info.context_length:,} tokens" if info.context_length else "unknown")
        v["chat"].setText("Yes" if info.has_chat_template else
                          "No – a generic prompt format will be used; answers may be worse")
        self.error.hide()
        self.ok.setEnabled(True)
        self.info_shown.emit(info)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.ok.setEnabled(False)
        self.error_shown.emit(message)

    # ---- lifetime ----------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the helper threads (waits for a read or a connection test in progress)."""
        self.server_panel.shutdown()
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()

    def done(self, result: int) -> None:
        self.shutdown()
        super().done(result)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)
