"""Evaluate against gold labels: gold file, column mapping, results, disagreements, export."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from gui.evaluation import EvaluationDialog


@pytest.fixture
def dialog(qtbot, project, task, tmp_path):
    dlg = EvaluationDialog(project, task, start_dir=str(tmp_path))
    qtbot.addWidget(dlg)
    return dlg


def test_gold_columns_are_matched_to_fields(qtbot, dialog, gold_csv, artifacts):
    assert not dialog.evaluate_button.isEnabled()
    assert dialog.load_gold(str(gold_csv))
    page = dialog.mapping
    assert page.id_column() == "file"
    assert page.mapping() == {"Metastasis": "metastasis", "Histology": "histology",
                              "Largest diameter": "size_mm", "grade": "tumour.grade"}
    assert page.combo("Remarks").currentText() == "(not used)"
    assert page.combo("file") is None                             # the id column is not a field
    assert page.table.item(0, 2).text() == "the report id"
    assert "4 of 5 columns matched" in page.summary.text()
    assert dialog.evaluate_button.isEnabled()
    dialog.show()
    qtbot.wait_exposed(dialog)
    dialog.grab().save(str(artifacts / "evaluation_mapping.png"))
    page.set_field("Remarks", "histology")                         # the same field twice
    assert "one column only" in page.problem() and not dialog.evaluate_button.isEnabled()
    page.set_field("Remarks", None)
    page.set_id_column("Remarks")
    assert dialog.evaluate_button.isEnabled()
    page.id_combo.setCurrentIndex(0)
    assert "report's file name or id" in page.problem()


def test_results_confusion_matrix_and_disagreements(qtbot, dialog, gold_csv, tmp_path, artifacts):
    dialog.load_gold(gold_csv)
    dialog.show()
    qtbot.wait_exposed(dialog)
    ev = dialog.run_evaluation()
    assert ev is not None and dialog.on_results()
    res = dialog.results
    assert not dialog.evaluate_button.isVisible() and dialog.export_button.isVisible()
    assert "10 reports that have gold labels (of 12 in the project)" in res.summary.text()
    assert "1 labelled report has no result yet" in res.summary.text()
    assert "1 gold row matches no report" in res.summary.text()
    assert res.model.rowCount() == 4
    assert res.current_path() == "metastasis"                     # the first field with a matrix
    assert res.chart.labels == ["no", "yes", "(empty)"]
    assert res.chart.matrix == [[3, 1, 1], [1, 4, 0], [0, 0, 0]]     # the missing answer counts, as "(empty)"
    assert "the same for every metric" in res.rules.text()
    assert "1 without an answer (wrong)" in res.field_label.text()
    assert res.disagreement_ids() == ["r00004.txt", "r00007.txt", "r00008.txt"]
    assert "gold: yes" in res.disagreements.item(0).text() and "answer: no" in res.disagreements.item(0).text()
    assert res.unmatched.count() == 1 and res.unmatched.item(0).text() == "not_in_project.txt"
    assert res.tabs.isTabVisible(1) and res.tabs.isTabVisible(2)
    assert res.problems.count() == 1
    dialog.grab().save(str(artifacts / "evaluation_results.png"))

    res.chart.cell_clicked.emit("no", "yes")                       # one matrix cell
    assert res.disagreement_ids(visible_only=True) == ["r00007.txt"]
    res.chart.cell_clicked.emit("yes", "yes")                      # the diagonal: all again
    assert len(res.disagreement_ids(visible_only=True)) == 3

    item = res.disagreements.item(1)
    rect = res.disagreements.visualItemRect(item)
    qtbot.mouseClick(res.disagreements.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(dialog.open_report_requested) as sig:
        qtbot.mouseDClick(res.disagreements.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert sig.args == ["r00007.txt"]

    res.select_field("size_mm")
    assert res.chart.labels == [] and "not a yes/no" in res.chart.empty_text
    size = ev.result("size_mm")
    assert size.n_gold_missing == 2
    assert f"{size.n_pred_when_gold_missing} answered where the gold label is empty" in res.field_label.text()
    assert f"{size.n_reports - size.n_scored} without a gold label or an answer" in res.field_label.text()
    res.select_field("histology")
    assert res.chart.labels == ["adenocarcinoma", "squamous", "small cell", "(empty)"]
    dialog.grab().save(str(artifacts / "evaluation_results_choice.png"))

    written = dialog.export_to(tmp_path / "evaluation.xlsx")
    wb = load_workbook(written, read_only=True)
    head = [c.value for c in next(wb["Evaluation"].iter_rows(max_row=1))]
    assert head[:3] == ["Field", "Label", "Type"] and "Accuracy" in head
    wb.close()
    (tmp_path / "locked.xlsx").mkdir()
    assert dialog.export_to(tmp_path / "locked.xlsx") is None
    assert "folder" in dialog.message_text()

    dialog.back_button.click()
    assert not dialog.on_results() and dialog.evaluate_button.isVisible()


def test_unreadable_gold_files_are_explained(qtbot, dialog, tmp_path):
    bad = tmp_path / "gold.xlsx"
    bad.write_bytes(b"not a workbook")
    assert not dialog.load_gold(bad)
    assert dialog.message_text().startswith("gold.xlsx cannot be used") and "Traceback" not in dialog.message_text()
    assert not dialog.evaluate_button.isEnabled()
    assert not dialog.load_gold(tmp_path / "missing.csv")
    assert dialog.message_text() == "missing.csv was not found."
    other = tmp_path / "other.csv"
    other.write_text("file;Metastasis\nsomething_else.txt;yes\n", "utf-8")
    assert dialog.load_gold(other) and not dialog.message_text()
    assert dialog.run_evaluation() is None
    assert "None of the 1 gold rows matches a report" in dialog.message_text()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("file;Metastasis\nr00000.txt;maybe\n", "utf-8")
    dialog.load_gold(wrong)
    assert dialog.run_evaluation() is not None                     # an unreadable cell is listed, not fatal
    assert dialog.results.problems.count() == 1


def test_main_window_opens_the_evaluation_and_follows_double_clicks(qtbot, window, project, task, gold_csv):
    window.open_project(project.path)
    qtbot.wait_until(lambda: not window.workspace.is_loading())
    window.set_task(task)
    action = window.menu_actions["evaluate"]
    assert action.isEnabled() and action in window.menuBar().actions()[0].menu().actions()
    action.trigger()
    dlg = window.evaluation_dialog
    assert isinstance(dlg, EvaluationDialog) and dlg.isVisible() and not dlg.isModal()
    dlg.load_gold(gold_csv)
    dlg.run_evaluation()
    with qtbot.waitSignal(window.report_selected) as sig:
        dlg.open_report_requested.emit("r00007.txt")
    assert sig.args == ["r00007.txt"]
    dlg.close()


def test_accepted_then_rerun_scores_the_same_in_the_dialog_and_the_cli(qtbot, dialog, project, task, gold_csv,
                                                                        tmp_path, capsys):
    """Both score a report's values now: an accepted report keeps what was accepted after a re-run."""
    import json
    import time

    from core.cli import main as cli
    from core.engine.result import Extraction
    from core.review import accept

    th = project.set_current_task(task)
    rid = "r00000.txt"                                            # the model got it right; the reviewer accepted
    accept(project, rid, th)
    time.sleep(1.1)                                               # stored times have one-second resolution
    run = project.start_run(task, model_path="m2.gguf", model_name="m2.gguf", model_size=1,
                            model_sha256="1" * 64, backend="cpu", settings={}, app_version="test")
    project.save_result(run, th, rid, Extraction(status="ok", values={           # a later run gets it wrong
        "metastasis": False, "histology": "squamous", "size_mm": 99.0, "tumour": {"grade": "G3"}}))

    dialog.load_gold(gold_csv)
    ev = dialog.run_evaluation()
    assert ev is not None
    assert ev.pred[rid]["metastasis"] is True and ev.pred[rid]["size_mm"] == 10.0
    assert ev.result("metastasis").metrics["accuracy"] == pytest.approx(0.7)  # 0.6 if the re-run counted
    assert rid not in ev.result("histology").disagreements

    out = tmp_path / "cli.json"
    assert cli(["evaluate", "--project", str(project.path), "--gold", str(gold_csv), "--id-column", "file",
                "--out", str(out)]) == 0
    assert "10 labelled reports" in capsys.readouterr().out
    cli_results = json.loads(out.read_text("utf-8"))
    assert [r["path"] for r in cli_results] == [r.path for r in ev.results]
    assert json.dumps(cli_results) == json.dumps([r.as_dict() for r in ev.results])


def test_a_busy_indicator_shows_while_the_scores_are_computed(qtbot, dialog, gold_csv, monkeypatch):
    import threading

    import gui.evaluation.dialog as dialog_module

    seen = {}
    real = dialog_module.evaluate

    def spy(*args, **kwargs):            # the real evaluation, noting where and when it ran
        seen["thread"] = threading.current_thread()
        seen["busy_shown"] = dialog.busy.isVisible() and not dialog.buttons.isEnabled()
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "evaluate", spy)
    dialog.load_gold(gold_csv)
    dialog.show()
    qtbot.wait_exposed(dialog)
    states = []
    dialog.busy_changed.connect(states.append)
    assert dialog.run_evaluation() is not None
    assert states == [True, False]
    assert seen["busy_shown"] and dialog.busy_bar.maximum() == 0          # a moving bar, no end known
    assert seen["thread"] is not threading.main_thread()                   # the window keeps painting
    assert dialog.busy.isHidden() and dialog.buttons.isEnabled()


def test_the_dialog_fits_a_1366x768_laptop_screen_with_its_title_bar(qtbot, project, task, tmp_path, monkeypatch):
    from PySide6.QtCore import QRect

    import gui.screen_fit
    from gui.screen_fit import ASSUMED_FRAME

    free = QRect(0, 0, 1366, 768 - 40)      # a 40 px task bar
    monkeypatch.setattr(gui.screen_fit, "available_area", lambda _window: QRect(free))
    dlg = EvaluationDialog(project, task, start_dir=str(tmp_path))
    qtbot.addWidget(dlg)
    framed = QRect(0, 0, dlg.width(), dlg.height()).marginsAdded(ASSUMED_FRAME)
    assert framed.width() <= free.width() and framed.height() <= free.height(), dlg.size()
    assert dlg.width() >= 1000       # as wide as it was: only the height had to give
