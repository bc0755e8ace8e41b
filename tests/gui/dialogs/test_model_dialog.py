"""The model dialog: metadata of the embedded model, a clear error for other files."""
from __future__ import annotations

from core.models import DEMO_MODEL_NOTICE, embedded_model_path
from gui.dialogs.model_dialog import ModelDialog


def _dialog(qtbot, **kw):
    dlg = ModelDialog(**kw)
    qtbot.addWidget(dlg)
    return dlg


def test_embedded_model_preselected_with_metadata(qtbot, model_path, artifacts):
    dlg = ModelDialog()
    qtbot.addWidget(dlg)
    try:
        assert dlg.selected_path() == str(embedded_model_path())
        qtbot.wait_until(lambda: dlg.selected_info() is not None, timeout=30000)
        v = dlg.values
        assert v["architecture"].text() == "llama"
        assert v["parameters"].text().startswith("135M")
        assert v["quantization"].text() == "Q4_1"
        assert v["context"].text() == "8,192 tokens"
        assert v["chat"].text() == "Yes"
        assert dlg.ok.isEnabled()
        assert not dlg.notice.isHidden() and dlg.notice.text() == DEMO_MODEL_NOTICE
        assert dlg.error.isHidden()
        dlg.show()
        qtbot.wait_exposed(dlg)
        dlg.grab().save(str(artifacts / "model_dialog.png"))
    finally:
        dlg.shutdown()


def test_not_a_gguf_file_gets_a_clear_message(qtbot, tmp_path, artifacts):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model", "utf-8")
    dlg = _dialog(qtbot)
    try:
        with qtbot.wait_signal(dlg.error_shown) as blocker:
            dlg.choose_file(notes)
        assert "notes.txt" in blocker.args[0] and "not a GGUF model file" in blocker.args[0]
        assert not dlg.error.isHidden()
        assert not dlg.ok.isEnabled()
        assert dlg.notice.isHidden()
        dlg.show()
        qtbot.wait_exposed(dlg)
        dlg.grab().save(str(artifacts / "model_dialog_error.png"))
    finally:
        dlg.shutdown()


def test_recent_models_listed(qtbot, tmp_path, model_path):
    copy = tmp_path / "other.gguf"
    copy.write_bytes(b"GGUF" + b"\0" * 64)  # a damaged GGUF: listed, but its metadata cannot be read
    dlg = _dialog(qtbot, current=str(copy), recent=[str(copy), str(tmp_path / "gone.gguf")])
    try:
        paths = [dlg.combo.itemData(i) for i in range(dlg.combo.count())]
        assert paths == [str(embedded_model_path()), str(copy)]   # missing files are left out
        assert dlg.selected_path() == str(copy)
        qtbot.wait_until(lambda: not dlg.error.isHidden(), timeout=30000)
        assert "other.gguf" in dlg.error.text()
        assert not dlg.ok.isEnabled()
    finally:
        dlg.shutdown()
