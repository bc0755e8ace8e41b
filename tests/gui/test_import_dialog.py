"""File › Import reviewed spreadsheet: an Excel export edited in Excel comes back as corrections and reviews."""
from __future__ import annotations

import openpyxl
import pytest

from core.engine.result import Extraction
from core.export import export_xlsx
from core.review import ReviewStatus, load_state
from core.task import Field, FieldType, Option, Task
from gui.import_dialog import ImportDialog

TASK = Task(name="Lung CT", fields=[
    Field(key="size_mm", label="Largest diameter", type=FieldType.DECIMAL, unit="mm", minimum=0, maximum=300),
    Field(key="solidity", label="Solidity", type=FieldType.CHOICE,
          options=[Option(value="solid"), Option(value="part-solid")]),
])


@pytest.fixture
def project(make_project):
    p = make_project(3)
    h = p.set_current_task(TASK)
    run = p.start_run(TASK, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="test")
    for i, rid in enumerate(p.report_ids()):
        p.save_result(run, h, rid, Extraction(status="ok", values={"size_mm": 10.0 + i, "solidity": "solid"}))
    p.finish_run(run, "finished")
    return p


def _edit(path, cells):
    wb = openpyxl.load_workbook(path)
    ws = wb["Results"]
    headers = [c.value for c in ws[1]]
    for (row, header), value in cells.items():
        ws.cell(row, headers.index(header) + 1).value = value
    wb.save(path)
    return path


def test_import_shows_the_summary_and_refreshes_the_window(qtbot, window, project, tmp_path):
    path = export_xlsx(project, TASK, tmp_path / "reviewed.xlsx")
    _edit(path, {(2, "Largest diameter (mm)"): 12.5, (3, "Review"): "flagged", (3, "Review comment"): "check"})
    window.open_project(project.path)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    window.set_task(TASK)
    window.settings.set("last_dir", str(tmp_path))
    action = window.menu_actions["import_review"]
    file_menu = window.menuBar().actions()[0].menu()
    assert action in file_menu.actions() and action.isEnabled()
    action.trigger()
    dlg = window.window_actions.import_dialog
    assert isinstance(dlg, ImportDialog) and dlg.isVisible() and not dlg.import_button.isEnabled()
    dlg.set_path(path)
    with qtbot.waitSignal(dlg.imported):
        dlg.import_button.click()
    text = ("Imported reviewed.xlsx: 1 value changed in 1 report, 0 reports accepted, 1 flagged; "
            "1 report unchanged.")
    assert dlg.result_text() == text and window.status.currentMessage() == text
    assert window.browser.model.status("r00001.txt") == "flagged"
    h = TASK.hash()
    assert load_state(window.project, "r00000.txt", h).value("size_mm") == 12.5
    assert load_state(window.project, "r00001.txt", h).review_status is ReviewStatus.FLAGGED


def test_rejected_import_lists_the_problems_and_changes_nothing(qtbot, project, tmp_path):
    path = export_xlsx(project, TASK, tmp_path / "reviewed.xlsx")
    _edit(path, {(2, "Solidity"): "hard", (3, "Largest diameter (mm)"): 12.5})
    events = len(project.review_events())
    dlg = ImportDialog(project, TASK, tmp_path)
    qtbot.addWidget(dlg)
    dlg.set_path(path)
    with qtbot.assertNotEmitted(dlg.imported):
        assert dlg.import_now() is None
    assert dlg.result_text() == (
        "reviewed.xlsx was not imported, and nothing changed. Fix this problem and import it again:\n"
        "  - Row 2 (r00000.txt), Solidity: 'hard' is not an option; choose one of: solid, part-solid")
    assert len(project.review_events()) == events
    assert load_state(project, "r00001.txt", TASK.hash()).value("size_mm") == 11.0
