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


def test_reports_at_once_reads_as_words_with_its_help_and_fits_a_laptop_screen(qtbot, settings):
    """Issue 14: the "Reports at once" option (0 Automatic, 1 one at a time, N at once) shows well."""
    from PySide6.QtWidgets import QFormLayout, QLabel

    from gui.settings import OPTIONS

    settings.set("parallel", 4)
    dlg = PreferencesDialog(settings)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    box = dlg.editors["parallel"]
    assert box.text() == "4 reports" and dlg.value("parallel") == 4
    texts = {}
    for n in (0, 1, 2, 16):
        dlg.set_value("parallel", n)
        texts[n] = box.text()
    assert texts == {0: "Automatic", 1: "One at a time", 2: "2 reports", 16: "16 reports"}
    for typed, value in (("one at a time", 1), ("8 reports", 8), ("3", 3), ("Automatic", 0)):
        box.lineEdit().setText(typed)
        box.interpretText()
        assert box.value() == value, typed
    help_text = OPTIONS["parallel"].help
    label = dlg.findChild(QFormLayout).labelForField(box)
    assert isinstance(label, QLabel) and label.text() == "Reports at once:"
    assert box.toolTip() == help_text and label.toolTip() == help_text      # like every other option
    assert dlg.width() <= 1366 and dlg.height() <= 700
    assert box.width() >= box.fontMetrics().horizontalAdvance("One at a time")
    dlg.set_value("parallel", 1)
    dlg.accept()
    assert settings.get("parallel") == 1
