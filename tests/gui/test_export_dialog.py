"""File › Export: format, multiple-choice layout, live preview, target file, plain error messages."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialogButtonBox

from core.engine.result import Extraction
from core.export import columns
from core.task import Field, FieldType, Option, Task
from gui.export_dialog import ExportDialog


def _task() -> Task:
    return Task(name="Lung CT", fields=[
        Field(key="metastasis", label="Metastasis", type=FieldType.YES_NO),
        Field(key="size_mm", label="Largest diameter", type=FieldType.DECIMAL, unit="mm"),
        Field(key="sites", label="Sites", type=FieldType.MULTI_CHOICE,
              options=[Option(value="liver"), Option(value="lung"), Option(value="bone")]),
        Field(key="lesions", label="Target lesions", type=FieldType.GROUP_LIST,
              fields=[Field(key="location", label="Location", type=FieldType.TEXT)]),
    ])


@pytest.fixture
def task() -> Task:
    return _task()


@pytest.fixture
def project(make_project, task):
    p = make_project(8, skipped=1)
    h = p.save_task(task)
    run = p.start_run(task, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="test")
    for i, rid in enumerate(p.report_ids()[:6]):
        p.save_result(run, h, rid, Extraction(status="ok", values={
            "metastasis": i % 2 == 0, "size_mm": 10.5 + i, "sites": ["liver", "bone"][: i % 3],
            "lesions": [{"location": "RUL"}]}))
    p.finish_run(run, "finished")
    return p


@pytest.fixture
def dialog(qtbot, project, task, tmp_path):
    dlg = ExportDialog(project, task, tmp_path / "lung_ct.xlsx")
    qtbot.addWidget(dlg)
    return dlg


def test_xlsx_export_has_the_previewed_headers(qtbot, dialog, tmp_path, artifacts):
    dialog.show()
    qtbot.wait_exposed(dialog)
    assert dialog.format().key == "xlsx"
    assert dialog.preview_headers() == columns(dialog.task, multi_choice="columns")
    assert "Sites: liver" in dialog.preview_headers()
    assert dialog.preview_model.rowCount() == 5                       # the first reports only
    assert "the first 5 of 9 reports" in dialog.preview_label.text()
    assert "Target lesions" in dialog.preview_label.text()
    dialog.grab().save(str(artifacts / "export_dialog.png"))
    with qtbot.waitSignal(dialog.exported) as sig:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)  # present, not pressed
        dialog.export_button.click()
    target = tmp_path / "lung_ct.xlsx"
    assert sig.args[0] == [target] and dialog.result() == dialog.DialogCode.Accepted
    wb = load_workbook(target, read_only=True)
    headers = [c.value for c in next(wb["Results"].iter_rows(max_row=1))]
    wb.close()
    assert headers == dialog.preview_headers()


def test_joined_layout_updates_the_preview(dialog):
    dialog.set_multi_choice("joined")
    assert dialog.preview_headers() == columns(dialog.task, multi_choice="joined")
    assert "Sites" in dialog.preview_headers() and "Sites: liver" not in dialog.preview_headers()
    col = dialog.preview_headers().index("Sites")
    assert dialog.preview_model.index(2, col).data() == "liver; bone"


def test_format_sets_the_suffix_and_csv_writes_group_files(qtbot, dialog, tmp_path):
    dialog.set_format("csv_semicolon")
    assert dialog.path_edit.text().endswith("lung_ct.csv")
    assert not dialog.message_text()
    assert dialog.export_now() is not None
    assert (tmp_path / "lung_ct.csv").read_text("utf-8-sig").splitlines()[0].startswith("Report;Source file")
    assert (tmp_path / "lung_ct-lesions.csv").is_file()


def test_json_formats_preview_records_and_disable_the_layout(qtbot, dialog, tmp_path):
    dialog.set_format("dragon")
    assert not dialog.joined.isEnabled()
    assert dialog.preview_stack.currentWidget() is dialog.preview_json
    preview = json.loads(dialog.preview_json.toPlainText())
    assert preview[0]["uid"] == "r00000.txt" and preview[0]["metastasis"] is True
    dialog.set_path(tmp_path / "predictions")
    assert dialog.path() == tmp_path / "predictions.json"
    written = dialog.export_now()
    assert written == [tmp_path / "predictions.json"]
    assert len(json.loads(written[0].read_text("utf-8"))) == 9


def test_a_folder_at_the_target_is_explained_in_the_dialog(qtbot, dialog, tmp_path, artifacts):
    (tmp_path / "lung_ct.xlsx").mkdir()
    dialog.set_path(tmp_path / "lung_ct.xlsx")
    assert "folder" in dialog.path_note.text()
    dialog.show()
    assert dialog.export_now() is None
    msg = dialog.message_text()
    assert "Cannot write lung_ct.xlsx" in msg and "folder" in msg and "Traceback" not in msg
    assert dialog.message.isVisible() and dialog.isVisible()      # stays open to try another name
    dialog.grab().save(str(artifacts / "export_dialog_error.png"))
    dialog.set_path(tmp_path / "other.xlsx")
    assert not dialog.message_text()                             # a new name clears the message
    assert "already exists" not in dialog.path_note.text()


def test_empty_path_is_refused_plainly(dialog):
    dialog.set_path("")
    assert not dialog.export_button.isEnabled()
    assert dialog.export_now() is None
    assert dialog.message_text() == "Choose where to save the export first."


def test_file_export_menu_opens_the_dialog(qtbot, window, project, task, tmp_path):
    window.open_project(project.path)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    window.set_task(task)
    window.settings.set("last_dir", str(tmp_path))
    window.menu_actions["export"].trigger()
    dlg = window.export_dialog
    assert isinstance(dlg, ExportDialog) and dlg.isVisible()
    assert dlg.path() == tmp_path / "lung_ct.xlsx"
    with qtbot.waitSignal(dlg.exported):
        dlg.export_button.click()
    assert (tmp_path / "lung_ct.xlsx").is_file()
    assert window.status.currentMessage() == "Exported to lung_ct.xlsx"
