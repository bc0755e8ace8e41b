"""The "Server" choice of the model dialog: address, model name, API key, Test connection.

The key goes to the OS keyring (:mod:`core.secrets`) when the dialog is
accepted.  Where there is no OS keyring the panel says so and the key is
kept for this session only.  "Test connection" asks the server for its
models on a helper thread, so the dialog never freezes on a slow network.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

NOTICE_STYLE = ("QLabel { background: #fff4e5; color: #663c00; border: 1px solid #ffb74d;"
                " border-radius: 4px; padding: 6px; }")


class _Tester(QObject):
    done = Signal(list)       # model names
    failed = Signal(str)

    @Slot(object, str)
    def test(self, config, key: str) -> None:
        from core.remote.client import ServerClient
        from core.remote.errors import ServerError

        client = ServerClient(config, key or None)
        try:
            self.done.emit(client.list_models())
        except ServerError as exc:
            self.failed.emit(str(exc))
        finally:
            client.close()


class ServerPanel(QWidget):
    tested = Signal(list)     # the server's models after a successful test
    test_failed = Signal(str)
    _test = Signal(object, str)

    def __init__(self, url: str = "", model: str = "", concurrency: int = 4, timeout_s: int = 300, parent=None):
        super().__init__(parent)
        from core import secrets

        self.keyring = secrets.keyring_status()
        self.url = QLineEdit(url)
        self.url.setObjectName("server_url")
        self.url.setPlaceholderText("https://llm.example.org/v1  or  http://127.0.0.1:8080/v1")
        self.model = QComboBox()
        self.model.setObjectName("server_model")
        self.model.setEditable(True)
        self.model.setEditText(model)
        self.key = QLineEdit()
        self.key.setObjectName("server_key")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText("leave empty for a server without a key")
        self.concurrency = QSpinBox()
        self.concurrency.setRange(1, 64)
        self.concurrency.setValue(concurrency)
        self.concurrency.setToolTip("Requests sent at once; a server with several slots or GPUs answers faster")
        self.timeout = QSpinBox()
        self.timeout.setRange(5, 3600)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(timeout_s)
        self.timeout.setToolTip("How long to wait for one report's answer, waiting in the server's queue included; "
                                "after that the request is retried, and the run stops if the server stays silent")
        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("server_test")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("server_test_result")
        self.test_result.setWordWrap(True)
        self.key_note = QLabel()
        self.key_note.setObjectName("server_key_note")
        self.key_note.setWordWrap(True)
        self.privacy = QLabel()
        self.privacy.setObjectName("server_privacy")
        self.privacy.setWordWrap(True)
        self.privacy.setStyleSheet(NOTICE_STYLE)

        form = QFormLayout()
        form.addRow("Server address:", self.url)
        form.addRow("Model name:", self.model)
        form.addRow("API key:", self.key)
        form.addRow("", self.key_note)
        form.addRow("Requests at once:", self.concurrency)
        form.addRow("Time-out per report:", self.timeout)
        test = QHBoxLayout()
        test.addWidget(self.test_button)
        test.addWidget(self.test_result, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form)
        lay.addLayout(test)
        lay.addWidget(self.privacy)

        self._thread = QThread()
        self._thread.setObjectName("abstractor-server-test")
        self._tester = _Tester()
        self._tester.moveToThread(self._thread)
        self._test.connect(self._tester.test)
        self._tester.done.connect(self._on_tested)
        self._tester.failed.connect(self._on_failed)
        self.url.textChanged.connect(self._update_notes)
        self._update_notes()
        if url and self.keyring.available:          # the keyring is asked once, not per keystroke
            from core.remote.config import ServerConfigError

            try:
                if self._stored_key(url):
                    self.key.setPlaceholderText("a key for this server is stored in the keyring")
            except ServerConfigError:
                pass                                  # a remembered address that is no longer valid

    # ---- what the user chose -------------------------------------------------------------
    def config(self, *, allow_http: bool = False):
        """A checked :class:`core.remote.ServerConfig`; raises ServerConfigError with the reason."""
        from core.remote.config import ServerConfig

        return ServerConfig.create(self.url.text(), self.model.currentText(), concurrency=self.concurrency.value(),
                                   timeout_s=float(self.timeout.value()), allow_http=allow_http)

    def entered_key(self) -> str:
        return self.key.text().strip()

    # ---- test connection ---------------------------------------------------------------------
    @Slot()
    def test_connection(self) -> None:
        from core.remote.config import ServerConfig, ServerConfigError, normalise_url

        try:
            url = normalise_url(self.url.text())
            cfg = ServerConfig(url=url, model=self.model.currentText() or "-", timeout_s=15.0, retries=0,
                               allow_http=True)   # listing models sends no report text
        except ServerConfigError as exc:
            self._on_failed(str(exc))
            return
        self.test_button.setEnabled(False)
        self.test_result.setText("Connecting…")
        if not self._thread.isRunning():
            self._thread.start()
        self._test.emit(cfg, self.entered_key() or self._stored_key(url) or "")

    def _stored_key(self, url: str) -> str | None:
        from core import secrets

        return secrets.stored_key(url)

    @Slot(list)
    def _on_tested(self, models: list) -> None:
        self.test_button.setEnabled(True)
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems(models)
        self.model.setEditText(current if current in models or not models else models[0])
        self.test_result.setText(f"Connected. The server offers {len(models)} model(s): {', '.join(models)}"
                                 if models else "Connected, but the server lists no models.")
        self.tested.emit(models)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(f"Not connected: {message}")
        self.test_failed.emit(message)

    def _update_notes(self, *_):
        from core.remote.config import ServerConfigError, normalise_url
        from core.remote.runner import privacy_notice

        if self.keyring.available:
            self.key_note.setText(f"The key is stored in this computer's keyring ({self.keyring.backend}), "
                                  "never in a file.")
        else:
            self.key_note.setText(f"There is no system keyring here ({self.keyring.reason}), so the key is kept "
                                  "for this session only and asked again next time. It is never written to a file.")
        try:
            url = normalise_url(self.url.text())
        except ServerConfigError:
            self.privacy.setText("Report text will be sent to the server you enter here.")
            return
        from core.remote.config import ServerConfig

        cfg = ServerConfig(url=url, model=self.model.currentText() or "the chosen model", allow_http=True)
        self.privacy.setText(privacy_notice(cfg).replace("Report text leaves", "When you run, report text leaves")
                             .replace("Report text is sent", "When you run, report text is sent"))

    def shutdown(self) -> None:
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
