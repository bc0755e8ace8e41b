"""The DRAGON evaluator must reproduce the official evaluator's numbers exactly."""
import json
import math

import numpy as np
import pytest

from core.evaluation import dragon_tasks
from core.evaluation.dragon import (aggregate, evaluate_dragon, score_multi_label_f1, score_rsmape,
                                    score_task)

TOL = 1e-9


def _compare(got, want, path, seen):
    if isinstance(want, dict):
        assert isinstance(got, dict), path
        assert set(got) == set(want), f"{path}: keys differ: {set(got) ^ set(want)}"
        for k in want:
            _compare(got[k], want[k], f"{path}/{k}", seen)
    else:
        assert isinstance(want, (int, float)) and not isinstance(want, bool), path
        assert math.isfinite(got), path
        assert abs(got - want) <= TOL, f"{path}: got {got!r}, expected {want!r}"
        seen.append(path)


@pytest.fixture(scope="module")
def results(dragon_dir):
    return evaluate_dragon(dragon_dir / "eval-check" / "test-predictions", dragon_dir / "ground-truth")


def test_reproduces_every_number_of_expected_metrics(results, dragon_dir):
    expected = json.loads((dragon_dir / "eval-check" / "expected-metrics.json").read_text())
    seen: list[str] = []
    _compare(results, expected, "", seen)
    # 9 tasks x 5 folds + 9 tasks x (mean, std) + overall (mean, std)
    assert len(seen) == 45 + 18 + 2
    assert set(results) == {"case", "aggregates"}


def test_known_values(results):
    assert results["case"]["Task103_Example_mednli"]["Task103_Example_mednli-fold2"] == pytest.approx(0.825, abs=TOL)
    assert results["aggregates"]["overall"]["mean"] == pytest.approx(0.8029641421341148, abs=TOL)


def test_std_is_population_std(results):
    folds = list(results["case"]["Task101_Example_sl_bin_clf"].values())
    std = results["aggregates"]["Task101_Example_sl_bin_clf"]["std"]
    assert std == pytest.approx(np.std(folds, ddof=0), abs=1e-15)
    assert abs(std - np.std(folds, ddof=1)) > 1e-3


def test_task_subset_and_partial_names(dragon_dir):
    r = evaluate_dragon(dragon_dir / "eval-check" / "test-predictions", dragon_dir / "ground-truth",
                        task_names=["Task106"], folds=[0])
    assert list(r["case"]) == ["Task106_Example_sl_reg"]
    assert r["aggregates"]["Task106_Example_sl_reg"]["std"] == 0.0


def test_missing_prediction_is_an_error(dragon_dir, tmp_path):
    src = dragon_dir / "eval-check" / "test-predictions" / "Task101_Example_sl_bin_clf-fold0"
    records = json.loads((src / "nlp-predictions-dataset.json").read_text())
    dragon_tasks.write_predictions(tmp_path / "Task101_Example_sl_bin_clf-fold0", records[1:])
    with pytest.raises(ValueError, match="missing"):
        evaluate_dragon(tmp_path, dragon_dir / "ground-truth", ["Task101_Example_sl_bin_clf"], folds=[0])


def test_gold_values_converted_back_score_perfectly(dragon_dir, tmp_path):
    """ground truth -> Abstractor values -> DRAGON predictions -> score 1.0 for every task."""
    for name, spec in dragon_tasks.SPECS.items():
        records = json.loads((dragon_dir / "ground-truth" / f"{name}.json").read_text())
        gold = dragon_tasks.gold_from_ground_truth(dragon_dir / "ground-truth" / f"{name}.json")
        reports = [(r["uid"], r.get("text_parts") or r["text"]) for r in records]
        preds = dragon_tasks.predictions_from_values(name, reports, gold)
        assert len(preds) == len(records) and set(preds[0]) == {"uid", spec.prediction_name}
        dragon_tasks.write_predictions(tmp_path / f"{name}-fold0", preds)
    r = evaluate_dragon(tmp_path, dragon_dir / "ground-truth", folds=[0])
    for name in dragon_tasks.SPECS:
        assert r["case"][name][f"{name}-fold0"] == pytest.approx(1.0, abs=1e-12), name


def test_rsmape_hand_computed():
    # |10-12|/(10+12+4) = 2/26; |0-0|/(0+0+4) = 0; NaN target ignored
    assert score_rsmape([10, 0, float("nan")], [12, 0, 5], epsilon=4) == pytest.approx(1 - (2 / 26) / 2)


def test_regression_pools_multi_label_and_ignores_nan_targets():
    y_true = [[1.0, None], [3.0, 4.0]]
    y_pred = [[1.0, 99.0], [1.0, 4.0]]
    # terms: 0, |3-1|/(3+1+4)=0.25, 0 -> 1 - 0.25/3
    assert score_task("Task107_Example_ml_reg", y_true, y_pred) == pytest.approx(1 - 0.25 / 3)


def test_pooled_auc_and_kappas():
    assert score_task("Task104_Example_ml_bin_clf", [[True, False], [False, True]],
                      [[0.9, 0.2], [0.3, 0.25]]) == pytest.approx(0.75)  # pos {0.9,0.25} vs neg {0.2,0.3}: 3 of 4 pairs
    # linear kappa over sorted labels 0<1<2: see test_field_metrics for the same matrix by hand
    assert score_task("Task102_Example_sl_mc_clf", [0, 0, 1, 2, 2], [0, 1, 1, 2, 0]) == pytest.approx(8 / 23)
    assert score_task("Task105_Example_ml_mc_clf", [["a", "b"], ["a", "a"]],
                      [["a", "b"], ["b", "a"]]) == pytest.approx((0.75 - 0.5) / 0.5)


def test_multi_label_f1_weighted_by_support():
    y_true = [[["B-0-x"], ["I-0-x"], ["O"], ["B-1-x"]], [["B-1-x"], ["O"], ["O"], ["O"]]]
    y_pred = [[["B-0-x"], ["I-0-x"], ["O"], ["O"]], [["B-1-x"], ["O"], ["B-0-x"], ["O"]]]
    # type 0-x: tp 1, fp 1, fn 0 -> F1 2/3, support 1; type 1-x: tp 1, fn 1 -> F1 2/3, support 2
    assert score_multi_label_f1(y_true, y_pred) == pytest.approx(2 / 3)
    y_pred2 = [[["B-0-x"], ["I-0-x"], ["O"], ["B-1-x"]], [["O"], ["O"], ["O"], ["O"]]]
    # 0-x: F1 1 (support 1); 1-x: tp1 fn1 -> 2/3 (support 2) -> (1 + 4/3) / 3
    assert score_multi_label_f1(y_true, y_pred2) == pytest.approx((1 + 2 * 2 / 3) / 3)


def test_aggregate_overall_is_mean_of_task_means_and_stds():
    agg = aggregate({"A": {"f0": 0.0, "f1": 1.0}, "B": {"f0": 0.5, "f1": 0.5}})
    assert agg["A"] == {"mean": 0.5, "std": 0.5}
    assert agg["overall"] == {"mean": 0.5, "std": 0.25}
