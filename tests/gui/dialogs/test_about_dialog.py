"""Help › About: version, llama.cpp backend, and each bundled part's licence text."""
from __future__ import annotations

from core.locations import app_version
from gui.dialogs.about import AboutDialog


def test_shows_version_backend_and_the_selected_parts_licence(qtbot, model_path):
    dlg = AboutDialog(backend="CUDA")
    qtbot.addWidget(dlg)
    assert f"Abstractor {app_version()}" in dlg.summary.text() and "<b>CUDA</b>" in dlg.summary.text()
    rows = {dlg.table.item(r, 0).text(): dlg.table.item(r, 2).text() for r in range(dlg.table.rowCount())}
    assert rows["Qt (through PySide6)"] == "LGPL-3.0"
    assert rows["llama.cpp (through llama-cpp-python)"] == "MIT"
    assert any("SmolLM2" in name and lic == "Apache-2.0" for name, lic in rows.items())
    qt_row = list(rows).index("Qt (through PySide6)")
    dlg.table.selectRow(qt_row)
    text = dlg.licence.toPlainText()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Qt-relinking.md" in text


def test_the_help_menu_opens_it(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    window.menu_actions["about"].trigger()
    assert len(shown) == 1 and shown[0].parent() is window
    assert shown[0].backend in ("CPU", "CUDA", "Metal", "Vulkan", "ROCm", "HIP", "SYCL", "GPU")
