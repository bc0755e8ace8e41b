"""The fields × metrics table model."""
from __future__ import annotations

from PySide6.QtCore import Qt

from core.evaluation.project import evaluate, read_gold_columns
from gui.evaluation.metrics_model import FIXED, SORT_ROLE, UNDEFINED, MetricsModel, format_metric


def _results(project, task, gold_csv):
    gold = read_gold_columns(gold_csv, task)
    return evaluate(project, task, gold_csv, id_column="file", mapping=gold.mapping).results


def test_model_passes_qtmodeltester(qtmodeltester, project, task, gold_csv):
    model = MetricsModel()
    model.set_results(_results(project, task, gold_csv))
    assert model.rowCount() == 4
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    model.set_results([])                          # the testers watch the reset too
    assert model.rowCount() == 0 and model.columnCount() == 7


def test_cells_show_counts_and_metrics_in_plain_words(project, task, gold_csv):
    model = MetricsModel()
    model.set_results(_results(project, task, gold_csv))
    heads = [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ") for c in range(model.columnCount())]
    assert heads[:FIXED] == ["Field", "Type", "Scored", "Gold labels", "Answer missing", "Invented",
                             "Compared"]
    assert {"Accuracy", "Sensitivity", "Specificity", "Cohen's kappa", "Mean error"} <= set(heads)
    assert "unit" in model.headerData(heads.index("Mean error"), Qt.Orientation.Horizontal,
                                      Qt.ItemDataRole.ToolTipRole)
    row = model.row_of("metastasis")
    assert model.index(row, 0).data() == "Metastasis" and model.index(row, 1).data() == "Yes/no"
    assert model.index(row, model.column_of("n_pred_missing")).data() == "1"
    acc = model.index(row, model.column_of("accuracy"))
    assert acc.data() == "70.0 %" and acc.data(SORT_ROLE) == 0.7
    size = model.row_of("size_mm")
    sens = model.index(size, model.column_of("sensitivity"))
    assert sens.data() == UNDEFINED and sens.data(Qt.ItemDataRole.ToolTipRole)
    fm = model.result(size)
    assert model.index(size, model.column_of("n_scored")).data() == str(fm.n_scored)
    assert model.index(size, model.column_of("n_pred_when_gold_missing")).data() == str(fm.n_pred_when_gold_missing)
    mae = model.index(size, model.column_of("mae"))
    assert fm.unit == "mm" and mae.data().endswith(" mm")              # errors have units
    assert "mm" in mae.data(Qt.ItemDataRole.ToolTipRole)
    rsmape_tip = model.headerData(model.column_of("rsmape"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "1 means every number is exact" in rsmape_tip
    tip = model.index(model.row_of("tumour.grade"), 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Grade (tumour.grade; single choice)")


def test_format_metric():
    assert format_metric("accuracy", 0.8125) == "81.2 %"
    assert format_metric("kappa", 0.5) == "0.500"
    assert format_metric("mae", 1.234) == "1.23"
    assert format_metric("auc", None) == UNDEFINED
