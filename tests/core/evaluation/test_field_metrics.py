"""Per-field metrics on small hand-computed cases."""
import pytest

from core.evaluation.metrics import evaluate_field, evaluate_task, normalise_text, rsmape
from core.task import Field, FieldType, Option, Task

IDS6 = [f"r{i}" for i in range(6)]


def test_yes_no_counts_accuracy_sens_spec_kappa_auc():
    f = Field(key="smoker", type=FieldType.YES_NO)
    gold = [True, "ja", "yes", "nee", False, None]
    pred = [True, False, None, "no", True, True]
    conf = [0.9, 0.3, None, 0.7, 0.8, 0.5]
    m = evaluate_field(f, gold, pred, conf, report_ids=IDS6)
    assert (m.n_reports, m.n_gold, m.n_gold_missing, m.n_pred_missing) == (6, 5, 1, 1)
    assert (m.n_pred_when_gold_missing, m.n_compared, m.n_scored) == (1, 4, 6)
    # one rule: r2's missing answer is wrong, r5's answer where the gold is empty is invented, so wrong
    assert m.metrics["accuracy"] == pytest.approx(2 / 6)
    assert m.metrics["sensitivity"] == pytest.approx(1 / 3)   # r2's missing answer is a miss
    assert m.metrics["specificity"] == pytest.approx(1 / 2)
    # "(empty)" is a category: po = 2/6, pe = (2*2 + 3*3 + 1*1)/36
    assert m.metrics["kappa"] == pytest.approx(-1 / 11)
    # P(yes) .9, .7, .5 (missing answer) for gold yes vs .3, .8 for gold no: 4 of 6 pairs ordered
    assert m.metrics["auc"] == pytest.approx(4 / 6)
    assert m.disagreements == ["r1", "r2", "r4", "r5"]
    assert m.confusion == {"labels": ["no", "yes", "(empty)"], "matrix": [[1, 1, 0], [1, 1, 1], [0, 1, 0]]}


def test_an_answer_invented_where_the_gold_is_empty_is_penalised_in_every_metric():
    f = Field(key="smoker", type=FieldType.YES_NO)
    honest = evaluate_field(f, [True, False, None], [True, False, None], [0.9, 0.9, None])
    inventing = evaluate_field(f, [True, False, None], [True, False, True], [0.9, 0.9, 0.9])
    assert honest.metrics["accuracy"] == 1.0 and honest.n_scored == 2   # both empty: nothing to score
    assert inventing.metrics["accuracy"] == pytest.approx(2 / 3)
    assert inventing.metrics["kappa"] < honest.metrics["kappa"]
    size = Field(key="size", type=FieldType.INTEGER, unit="mm")
    assert evaluate_field(size, [10, None], [10, None]).metrics["rsmape"] == 1.0
    invented = evaluate_field(size, [10, None], [10, 12])
    assert invented.metrics["rsmape"] == pytest.approx(0.5) and invented.metrics["within_tolerance"] == 0.5
    assert invented.unit == "mm"


def test_yes_no_auc_needs_confidence_and_both_classes():
    f = Field(key="x", type=FieldType.YES_NO)
    assert evaluate_field(f, [True, False], [True, False], None).metrics["auc"] is None
    m = evaluate_field(f, [True, True], [True, False], [0.8, 0.8])
    assert m.metrics["auc"] is None and m.metrics["specificity"] is None
    assert m.metrics["sensitivity"] == pytest.approx(0.5)


CHOICE_GOLD = ["a", "a", "b", "c", "c"]
CHOICE_PRED = ["a", "b", "b", "c", "a"]


def _choice(ordered):
    return Field(key="grade", type=FieldType.CHOICE, ordered=ordered,
                 options=[Option(value="a"), Option(value="b"), Option(value="c")])


def test_ordered_choice_linear_kappa_and_confusion():
    m = evaluate_field(_choice(True), CHOICE_GOLD, CHOICE_PRED)
    # weighted disagreement: observed 3/5, expected 23/25 -> 1 - 0.6/0.92
    assert m.metrics["kappa"] == pytest.approx(8 / 23)
    assert m.metrics["accuracy"] == pytest.approx(3 / 5)
    assert m.confusion == {"labels": ["a", "b", "c"], "matrix": [[1, 1, 0], [0, 1, 0], [1, 0, 1]]}
    assert m.disagreements == ["1", "4"]


def test_unordered_choice_unweighted_kappa_and_case_insensitive_options():
    m = evaluate_field(_choice(False), [g.upper() for g in CHOICE_GOLD], CHOICE_PRED)
    assert m.metrics["kappa"] == pytest.approx((0.6 - 0.32) / 0.68)  # 7/17
    assert m.metrics["accuracy"] == pytest.approx(0.6)


def test_choice_unknown_prediction_is_wrong_and_listed():
    m = evaluate_field(_choice(False), ["a", "b"], ["a", "zzz"])
    assert m.metrics["accuracy"] == pytest.approx(0.5)
    assert m.confusion["labels"] == ["a", "b", "c", "zzz"]


def test_numbers_mae_rsmape_tolerance():
    f = Field(key="size", type=FieldType.DECIMAL, unit="mm")
    gold, pred = [10, "20", 0, "4,0", None], [11, 20.0, 0, None, 5]
    m = evaluate_field(f, gold, pred)
    assert (m.n_gold, m.n_pred_missing, m.n_gold_missing, m.n_compared, m.n_scored) == (4, 1, 1, 3, 5)
    assert m.metrics["accuracy"] == pytest.approx(2 / 5)
    assert m.metrics["within_tolerance"] == pytest.approx(2 / 5)  # 1 > 5 % of 10
    assert m.metrics["mae"] == pytest.approx(1 / 3)               # only where both gave a number
    # 0/0 term counts as 0; the missing (r3) and the invented (r4) number count as the largest error, 1
    assert m.metrics["rsmape"] == pytest.approx(1 - (1 / 21 + 2) / 5)
    assert m.disagreements == ["0", "3", "4"]
    m = evaluate_field(f, gold, pred, eps=4, rel_tol=0.1)
    assert m.metrics["rsmape"] == pytest.approx(1 - (1 / 25 + 2) / 5)
    assert m.metrics["within_tolerance"] == pytest.approx(3 / 5)
    assert evaluate_field(f, gold, pred, abs_tol=1).metrics["within_tolerance"] == pytest.approx(3 / 5)


def test_rsmape_function():
    assert rsmape([], []) is None
    assert rsmape([0.0], [0.0]) == 1.0
    assert rsmape([1.0], [-1.0]) == 0.0


def test_text_exact_and_normalised():
    f = Field(key="site", type=FieldType.TEXT)
    m = evaluate_field(f, ["Left lung", "right  Lobe.", "x", None], ["Left lung", "Right lobe", None, "y"])
    assert m.metrics["exact_match"] == pytest.approx(1 / 4)      # r3's answer is invented: wrong
    assert m.metrics["normalised_match"] == pytest.approx(2 / 4)
    assert m.disagreements == ["2", "3"]
    assert normalise_text("  PT2,  N0 (M-x)! ") == "pt2 n0 m x"


def test_text_list_micro_precision_recall_f1():
    f = Field(key="drugs", type=FieldType.TEXT_LIST)
    gold = [["a", "b"], ["c"], [], None]
    pred = [["A", "x"], None, [], ["z"]]
    m = evaluate_field(f, gold, pred)
    assert (m.n_gold, m.n_pred_missing, m.n_gold_missing, m.n_pred_when_gold_missing) == (3, 1, 1, 1)
    assert m.metrics["precision"] == pytest.approx(1 / 3)  # tp 1, fp 2 (x, and z invented where gold is empty)
    assert m.metrics["recall"] == pytest.approx(1 / 3)  # fn 2
    assert m.metrics["f1"] == pytest.approx(1 / 3)
    assert m.metrics["exact_set_match"] == pytest.approx(1 / 4)
    assert m.disagreements == ["0", "1", "3"]


def test_multi_choice_sets_from_strings():
    f = Field(key="m", type=FieldType.MULTI_CHOICE, options=[Option(value="x"), Option(value="y")])
    m = evaluate_field(f, ["x; y", ["x"]], [["y", "x"], ["x", "y"]])
    assert m.metrics["precision"] == pytest.approx(3 / 4)
    assert m.metrics["recall"] == pytest.approx(1.0)
    assert m.metrics["exact_set_match"] == pytest.approx(0.5)


def test_dates_compare_after_parsing():
    f = Field(key="d", type=FieldType.DATE)
    m = evaluate_field(f, ["01-02-2024", "2024-03-05"], ["2024-02-01", "2024-05-03"])
    assert m.metrics["accuracy"] == pytest.approx(0.5)
    assert m.disagreements == ["1"]


def test_evaluate_task_flattens_groups_and_notes_group_lists():
    task = Task(name="t", fields=[
        Field(key="smoker", type=FieldType.YES_NO),
        Field(key="tumour", type=FieldType.GROUP, fields=[Field(key="size", type=FieldType.INTEGER)]),
        Field(key="nodes", type=FieldType.GROUP_LIST, fields=[Field(key="n", type=FieldType.TEXT)]),
    ])
    gold = {"b": {"smoker": "no", "tumour.size": 12}, "a": {"smoker": "yes", "tumour": {"size": "30"}}}
    pred = {"a": {"smoker": True, "tumour": {"size": 30}}, "b": {"smoker": True, "tumour": {"size": None}}}
    conf = {"a": {"smoker": 0.9}, "b": {"smoker": 0.8}}
    res = {m.path: m for m in evaluate_task(task, gold, pred, conf)}
    assert list(res) == ["smoker", "tumour.size", "nodes"]
    assert res["smoker"].metrics["accuracy"] == pytest.approx(0.5)
    assert res["smoker"].disagreements == ["b"]
    assert res["smoker"].metrics["auc"] == pytest.approx(1.0)  # P(yes) .9 (yes) > .8 (no)
    assert res["tumour.size"].metrics["accuracy"] == pytest.approx(0.5)
    assert res["tumour.size"].n_pred_missing == 1 and res["tumour.size"].disagreements == ["b"]
    assert res["nodes"].metrics == {} and "not scored" in res["nodes"].note
    rows = res["smoker"].as_rows()
    assert {"field": "smoker", "label": "Smoker", "metric": "accuracy", "value": 0.5} in rows
    assert res["smoker"].as_dict()["n_gold"] == 2
