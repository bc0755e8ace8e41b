"""Scoring a project against gold labels: proposed mapping, alignment, nothing dropped silently."""
from __future__ import annotations

import json

import pytest

from core.evaluation import GoldImportError
from core.evaluation.project import evaluate, mappable_fields, read_gold_columns, value_text
from core.store.project import Project
from core.task import Task
from tests.core.evaluation.gold_project import N, add_reports, fill_project, make_task, write_gold_csv


@pytest.fixture
def task() -> Task:
    return make_task()


@pytest.fixture
def project(tmp_path, task):
    with Project(tmp_path / "p.abstractor") as p:
        yield fill_project(add_reports(p, N), task)


@pytest.fixture
def gold_csv(tmp_path):
    return write_gold_csv(tmp_path / "gold.csv")


def test_columns_and_proposed_mapping(task, gold_csv):
    gold = read_gold_columns(gold_csv, task)
    assert gold.columns == ["file", "Metastasis", "Histology", "Largest diameter", "grade", "Remarks"]
    assert gold.id_column == "file" and gold.rows == 11
    assert gold.mapping == {"Metastasis": "metastasis", "Histology": "histology", "Largest diameter": "size_mm",
                            "grade": "tumour.grade"}
    assert gold.examples["Metastasis"] == ["yes", "no"]
    assert ("tumour.grade", "Tumour › Grade") in mappable_fields(task)
    assert not any(p.startswith("lesions") for p, _ in mappable_fields(task))   # repeating groups: not scored


def test_evaluate_aligns_ids_and_keeps_every_problem(project, task, gold_csv):
    gold = read_gold_columns(gold_csv, task)
    ev = evaluate(project, task, gold_csv, id_column="file", mapping=gold.mapping)
    assert sorted(ev.gold) == [f"r{i:05d}.txt" for i in range(10)]       # stems aligned to report ids
    assert ev.unmatched == ["not_in_project.txt"]
    assert len(ev.problems) == 1 and "Row 5" in ev.problems[0] and "Largest diameter" in ev.problems[0]
    assert ev.no_result == ["r00008.txt"]
    assert [r.path for r in ev.results] == ["metastasis", "histology", "size_mm", "tumour.grade"]
    meta = ev.result("metastasis")
    assert (meta.n_gold, meta.n_pred_missing, meta.n_compared) == (10, 1, 9)
    assert meta.metrics["accuracy"] == pytest.approx(0.7)
    # the missing answer (r00008, gold no) is in the matrix, as "(empty)"
    assert meta.confusion == {"labels": ["no", "yes", "(empty)"], "matrix": [[3, 1, 1], [1, 4, 0], [0, 0, 0]]}
    assert sorted(meta.disagreements) == ["r00004.txt", "r00007.txt", "r00008.txt"]
    # the reviewer's correction counts, not the model's answer
    assert sorted(ev.result("histology").disagreements) == ["r00002.txt", "r00008.txt"]
    assert ev.result("size_mm").n_gold_missing == 2


def test_dragon_ground_truth_by_task_fields(tmp_path):
    from core.evaluation import load_dragon_task

    task = load_dragon_task("Task101_Example_sl_bin_clf")
    p = add_reports(Project(tmp_path / "d.abstractor"), 2)
    gt = tmp_path / "truth.json"
    gt.write_text(json.dumps([{"uid": "r00000.txt", "single_label_binary_classification_target": 1},
                              {"uid": "r00001.txt", "single_label_binary_classification_target": 0}]))
    ev = evaluate(p, task, gt)
    assert ev.result("lesion_over_20_mm").n_gold == 2
    assert ev.result("lesion_over_20_mm").n_pred_missing == 2      # nothing was run


def test_json_that_is_not_dragon_is_refused_plainly(tmp_path, project, task):
    gt = tmp_path / "labels.json"
    gt.write_text("[]")
    with pytest.raises(GoldImportError, match="not DRAGON ground truth"):
        evaluate(project, task, gt)


def test_value_text():
    assert [value_text(v) for v in (None, True, False, 12.0, ["a", "b"], "x", [])] == \
        ["(empty)", "yes", "no", "12", "a; b", "x", "(empty)"]
