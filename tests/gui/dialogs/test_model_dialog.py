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


def test_a_damaged_gguf_is_called_damaged_not_the_wrong_kind_of_file(qtbot, tmp_path):
    broken = tmp_path / "model.gguf"
    broken.write_text("<html>404 Not Found</html>", "utf-8")   # a download that saved an error page
    dlg = _dialog(qtbot)
    try:
        with qtbot.wait_signal(dlg.error_shown) as blocker:
            dlg.choose_file(broken)
        message = blocker.args[0]
        assert "model.gguf" in message and "damaged" in message
        assert "Pick a .gguf file" not in message
    finally:
        dlg.shutdown()


def test_a_truncated_gguf_gets_a_plain_message_not_a_reader_error(qtbot, tmp_path):
    broken = tmp_path / "cut.gguf"
    broken.write_bytes(embedded_model_path().read_bytes()[:4096])   # header begins, the rest is missing
    dlg = _dialog(qtbot)
    try:
        with qtbot.wait_signal(dlg.error_shown, timeout=30000) as blocker:
            dlg.choose_file(broken)
        message = blocker.args[0]
        assert "cut.gguf" in message and ("damaged" in message or "incomplete" in message)
        assert "download or copy the model again" in message
        for raw in ("numpy", "memmap", "Errno", "index ", "out of bounds", "buffer"):
            assert raw not in message
    finally:
        dlg.shutdown()
