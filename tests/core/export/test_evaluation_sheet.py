"""The Evaluation sheet: headers, numeric cells, formula-safe text, atomic save."""
from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from core.evaluation import FieldMetrics, evaluate_task
from core.export import ExportError
from core.evaluation.wording import COUNTING_RULES, COUNTS as WORDING, METRIC_HELP
from core.export.evaluation_sheet import COUNTS, add_evaluation_sheet, export_evaluation_xlsx, headers


@pytest.fixture
def results(task) -> list[FieldMetrics]:
    gold = {"a": {"metastasis": True, "diagnosis": "squamous", "size_mm": 12.0, "comment": "x"},
            "b": {"metastasis": False, "diagnosis": "squamous", "size_mm": None},
            "c": {"metastasis": True, "diagnosis": "adenocarcinoma", "size_mm": 30.0}}
    pred = {"a": {"metastasis": True, "diagnosis": "squamous", "size_mm": 12.0, "comment": "x"},
            "b": {"metastasis": True, "diagnosis": "squamous", "size_mm": 4.0},
            "c": {"metastasis": None, "diagnosis": "squamous", "size_mm": 20.0}}
    return evaluate_task(task, gold, pred)


def _table(ws) -> list[tuple]:
    """The rows of the table (up to the first empty row; the notes follow it)."""
    rows = []
    for r in ws.iter_rows(values_only=False):
        if all(c.value is None for c in r):
            break
        rows.append(r)
    return rows


def _by_path(ws) -> dict[str, dict]:
    rows = _table(ws)
    head = [c.value for c in rows[0]]
    return {r[0].value: dict(zip(head, r)) for r in rows[1:]}


def _notes(ws) -> list[tuple]:
    """The rows under the table, as values."""
    values = [tuple(c.value for c in r) for r in ws.iter_rows(values_only=False)]
    return [tuple(v for v in r if v is not None) for r in values[len(_table(ws)):]]


def test_export_writes_headers_and_numeric_cells(tmp_path, task, results):
    path = export_evaluation_xlsx(tmp_path / "eval.xlsx", task, results)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Evaluation"
    ws = wb["Evaluation"]
    head = [c.value for c in ws[1]]
    assert head == headers(results)
    assert head[:3] == ["Field", "Label", "Type"] and head[-1] == "Note"
    assert list(COUNTS.values()) == head[3:3 + len(COUNTS)]
    assert {"Accuracy", "Sensitivity", "Specificity", "Cohen's kappa", "Mean absolute error"} <= set(head)
    rows = _by_path(ws)
    assert len(rows) == len(results)
    meta = rows["metastasis"]
    assert meta["Label"].value == "Metastasis" and meta["Type"].value == "Yes/no"
    assert meta["Reports"].value == 3 and meta["Reports"].data_type == "n"
    assert meta["Answer missing"].value == 1
    assert meta["Accuracy"].data_type == "n" and meta["Accuracy"].value == pytest.approx(1 / 3)
    assert meta["Accuracy"].number_format == "0.0%"
    size = rows["size_mm"]
    assert size["Gold label missing"].value == 1
    assert size["Mean absolute error"].value == pytest.approx(5.0)   # (0 + 10) / 2
    assert size["Sensitivity"].value is None          # not a yes/no field: empty, not "None"
    assert rows["lesions"]["Note"].value.startswith("Repeating groups")
    assert "Confusion matrices" in wb.sheetnames and "Disagreements" in wb.sheetnames
    conf = [[c for c in r] for r in wb["Confusion matrices"].iter_rows(values_only=True)]
    assert any(r[0] == "Metastasis (metastasis)" for r in conf)
    dis = list(wb["Disagreements"].iter_rows(values_only=True))
    assert dis[0] == ("Field", "Report") and ("metastasis", "b") in dis
    wb.close()


def test_sheet_in_a_normal_workbook_and_text_never_a_formula(task):
    fm = FieldMetrics(path="x", label='=HYPERLINK("http://x","y")', type="choice", n_reports=2, n_gold=2,
                      n_compared=2, metrics={"accuracy": 0.5, "kappa": None, "custom_score": 0.25}, note="-note")
    wb = Workbook()
    ws = add_evaluation_sheet(wb, [fm])
    head = [c.value for c in ws[1]]
    assert head[-2] == "Custom score" and "Cohen's kappa" in head
    row = dict(zip(head, ws[2]))
    assert row["Label"].data_type == "s" and row["Label"].quotePrefix
    assert row["Note"].data_type == "s"
    assert row["Accuracy"].value == 0.5 and row["Accuracy"].data_type == "n"
    assert row["Cohen's kappa"].value is None


def test_unwritable_target_is_an_export_error(tmp_path, task, results):
    (tmp_path / "eval.xlsx").mkdir()
    with pytest.raises(ExportError, match="folder"):
        export_evaluation_xlsx(tmp_path / "eval.xlsx", task, results)
    assert [p.name for p in tmp_path.iterdir()] == ["eval.xlsx"]   # no temp file left behind


def test_the_sheet_shows_the_scored_count_and_the_counting_rule_in_the_dialogs_words(tmp_path, task, results):
    """Issue 14: how many reports were scored, and how missing answers and failed reports count."""
    from gui.evaluation.metrics_model import COUNTS as DIALOG_COUNTS, HELP as DIALOG_HELP

    ws = load_workbook(export_evaluation_xlsx(tmp_path / "eval.xlsx", task, results))["Evaluation"]
    rows = _by_path(ws)
    by_path = {fm.path: fm for fm in results}
    for path in ("metastasis", "size_mm", "diagnosis"):
        assert rows[path]["Scored"].value == by_path[path].n_scored and rows[path]["Scored"].data_type == "n"
    assert rows["size_mm"]["Scored"].value == 3       # b: gold empty, answer 4.0 (invented) still counts
    notes = _notes(ws)
    rule_at = notes.index(("Counting rule",))
    rule = " ".join(r[0] for r in notes[rule_at + 1:] if r and len(r) == 1)
    assert rule == COUNTING_RULES
    assert "failed or not-run report" in rule
    explained = {r[0]: r[1] for r in notes if len(r) == 2}
    # the dialog's headers and tooltips are the sheet's names and explanations, word for word
    for attr, head, tip in DIALOG_COUNTS:
        name, help_text = WORDING[attr]
        assert head.replace("\n", " ") == name and tip == help_text == explained[name]
    assert explained["Accuracy"] == METRIC_HELP["accuracy"] == DIALOG_HELP["accuracy"]
