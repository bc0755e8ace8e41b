"""The model dialog's "Server" choice without a server: defaults, checks, the plain-http confirmation and
the session-only key where there is no OS keyring."""
from __future__ import annotations

import keyring
import keyring.core
import pytest
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.dialogs.model_dialog import ModelDialog


@pytest.fixture
def no_os_keyring(monkeypatch, tmp_path):
    """What headless Linux with keyrings.alt installed looks like: only a plain-text file backend."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    previous = keyring.get_keyring()
    kr = PlaintextKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


def _dialog(qtbot, **kw):
    dlg = ModelDialog(None, [], None, **kw)
    qtbot.addWidget(dlg)
    return dlg


def _answer_message_box(button):
    def click():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        box.button(button).click()
    QTimer.singleShot(0, click)


def test_local_is_the_default_and_server_fields_are_remembered(qtbot, no_os_keyring):
    dlg = _dialog(qtbot, server={"url": "https://llm.example.org/v1", "model": "qwen", "concurrency": 8})
    assert dlg.local_choice.isChecked() and dlg.server_panel.isHidden()
    dlg.use_server(True)
    assert not dlg.server_panel.isHidden() and dlg.local_page.isHidden()
    sp = dlg.server_panel
    assert sp.url.text() == "https://llm.example.org/v1" and sp.model.currentText() == "qwen"
    assert sp.concurrency.value() == 8
    assert "leaves this workstation for llm.example.org" in sp.privacy.text()
    dlg.shutdown()


def test_a_server_without_model_name_is_not_accepted(qtbot, no_os_keyring):
    dlg = _dialog(qtbot)
    dlg.use_server(True)
    dlg.server_panel.url.setText("http://127.0.0.1:8080")
    dlg.ok.click()
    assert dlg.result() == 0 and dlg.selected_server() is None
    assert "model name" in dlg.error.text() and not dlg.error.isHidden()
    dlg.shutdown()


def test_plain_http_to_another_host_needs_confirmation(qtbot, no_os_keyring):
    dlg = _dialog(qtbot)
    dlg.use_server(True)
    dlg.server_panel.url.setText("http://10.20.30.40:8000/v1")
    dlg.server_panel.model.setEditText("llama-70b")
    _answer_message_box(QMessageBox.StandardButton.No)
    dlg.ok.click()
    assert dlg.selected_server() is None and dlg.result() == 0        # refused: the dialog stays open
    _answer_message_box(QMessageBox.StandardButton.Yes)
    dlg.ok.click()
    cfg, key = dlg.selected_server()
    assert cfg.allow_http and cfg.insecure and cfg.host == "10.20.30.40" and key is None
    dlg.shutdown()


def test_without_an_os_keyring_the_key_is_for_this_session_only(qtbot, no_os_keyring, tmp_path):
    dlg = _dialog(qtbot)
    dlg.use_server(True)
    sp = dlg.server_panel
    assert "no system keyring here" in sp.key_note.text() and "this session only" in sp.key_note.text()
    sp.url.setText("https://llm.example.org")
    sp.model.setEditText("qwen")
    sp.key.setText("sk-session-only")
    dlg.ok.click()
    cfg, key = dlg.selected_server()
    assert key == "sk-session-only" and cfg.url == "https://llm.example.org/v1"
    # nothing went to the plain-text keyring file (or anywhere else under the data folder)
    for p in (tmp_path / "data").rglob("*"):
        assert not p.is_file() or b"sk-session-only" not in p.read_bytes()
    dlg.shutdown()
