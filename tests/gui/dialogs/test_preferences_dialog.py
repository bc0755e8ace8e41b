"""The preferences dialog loads and saves the declared options."""
from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QSpinBox

from gui.dialogs.preferences import PreferencesDialog


def test_loads_and_saves(qtbot, settings):
    settings.set("seed", 42)
    dlg = PreferencesDialog(settings)
    qtbot.addWidget(dlg)
    assert dlg.value("seed") == 42 and dlg.value("evidence") is True
    ctx = dlg.editors["n_ctx"]
    assert isinstance(ctx, QSpinBox) and ctx.text() == "Automatic"      # 0 shows as "Automatic"
    assert dlg.editors["n_gpu_layers"].text() == "All"
    assert dlg.editors["max_output_tokens"].text() == "Task default"
    dlg.set_value("temperature", 0.3)
    dlg.set_value("n_ctx", 16384)
    dlg.editors["evidence"].setChecked(False)
    dlg.accept()
    assert settings.get("temperature") == 0.3
    assert settings.get("n_ctx") == 16384
    assert settings.get("evidence") is False


def test_cancel_keeps_values_and_defaults_restore(qtbot, settings):
    settings.set("seed", 7)
    dlg = PreferencesDialog(settings)
    qtbot.addWidget(dlg)
    dlg.restore_defaults()
    assert dlg.value("seed") == 1234
    dlg.reject()
    assert settings.get("seed") == 7
    assert isinstance(dlg.editors["evidence"], QCheckBox)
