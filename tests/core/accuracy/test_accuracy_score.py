import pytest

from core.accuracy import dragon_score, number_outcome, same
from core.task import Field, FieldType, Option

NUM = Field(key="n", type=FieldType.DECIMAL, unit="mm")
CHOICE = Field(key="c", type=FieldType.CHOICE, options=[Option(value="solid"), Option(value="part-solid")])
LIST = Field(key="l", type=FieldType.TEXT_LIST)


@pytest.mark.parametrize("field, pred, gold, right", [
    (NUM, 7.5, 7.5, True), (NUM, 7.5000000001, 7.5, True), (NUM, 75.0, 7.5, False),
    (NUM, None, None, True), (NUM, 3.0, None, False), (NUM, None, 3.0, False),
    (NUM, None, float("nan"), True),                       # DRAGON: a NaN target means "not there"
    (CHOICE, "solid", "solid", True), (CHOICE, "part-solid", "solid", False),
    (Field(key="b", type=FieldType.YES_NO), True, True, True),
    (Field(key="b", type=FieldType.YES_NO), False, True, False),
    (Field(key="t", type=FieldType.TEXT), "Right upper lobe.", "right upper lobe", True),
    (LIST, ["8 mm", "3 mm"], ["3 mm", "8 mm"], True), (LIST, ["8 mm"], ["3 mm", "8 mm"], False),
    (LIST, [], [], True), (LIST, None, [], True),
])
def test_same(field, pred, gold, right):
    assert same(field, pred, gold) is right


@pytest.mark.parametrize("pred, gold, outcome", [
    (8.4, 8.4, "right"), (None, None, "right"), (12.0, None, "invented"), (None, 8.4, "null"),
    (1.2, 12.0, "unit"), (120.0, 12.0, "unit"), (0.0084, 8.4, "unit"),
    (8.0, 8.4, "decimal"), (84.0, 8.4, "decimal"), (4.0, 8.4, "decimal"),
    (9.0, 8.4, "other"), (1.0, 7.5, "other"),
])
def test_number_outcome(pred, gold, outcome):
    assert number_outcome(pred, gold) == outcome


def test_dragon_score_uses_the_dragon_evaluator_on_exactly_these_cases(dragon_dir):
    import json

    gt = json.loads((dragon_dir / "ground-truth" / "Task106_Example_sl_reg.json").read_text())[:4]
    records = {str(r["uid"]): r for r in gt}
    label = "single_label_regression_target"
    perfect = [{"uid": u, "single_label_regression": r[label]} for u, r in records.items()]
    assert dragon_score("Task106_Example_sl_reg", records, perfect) == pytest.approx(1.0)
    off = [{"uid": u, "single_label_regression": r[label] + 4} for u, r in records.items()]
    expected = 1 - sum(4 / (abs(r[label]) + abs(r[label] + 4) + 4) for r in records.values()) / 4
    assert dragon_score("Task106_Example_sl_reg", records, off) == pytest.approx(expected)
    # AUC is undefined on cases of one class: None, not a crash
    gt101 = json.loads((dragon_dir / "ground-truth" / "Task101_Example_sl_bin_clf.json").read_text())
    one_class = {str(r["uid"]): r for r in gt101 if r["single_label_binary_classification_target"] == 1}
    preds = [{"uid": u, "single_label_binary_classification": 0.9} for u in list(one_class)[:3]]
    assert dragon_score("Task101_Example_sl_bin_clf", dict(list(one_class.items())[:3]), preds) is None
