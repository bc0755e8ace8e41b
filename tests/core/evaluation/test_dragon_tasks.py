"""Bundled DRAGON tasks and conversion to DRAGON's prediction format."""
import json

import pytest

from core.evaluation import dragon_tasks as dt
from core.task import FieldType, Task


@pytest.mark.parametrize("name", sorted(dt.SPECS))
def test_bundled_task_loads_and_matches_spec(name):
    path = dt.task_file(name)
    task = Task.model_validate(json.loads(path.read_text("utf-8")))
    assert task.problems() == []
    assert path.read_text("utf-8") == json.dumps(task.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    spec = dt.SPECS[name]
    assert [f.key for f in task.fields] == list(spec.fields)
    expected_type = {"binary": FieldType.YES_NO, "multi_binary": FieldType.YES_NO, "class": FieldType.CHOICE,
                     "multi_class": FieldType.CHOICE, "regression": FieldType.DECIMAL,
                     "multi_regression": FieldType.DECIMAL, "ner": FieldType.TEXT_LIST,
                     "multi_ner": FieldType.TEXT_LIST}[spec.kind]
    assert {f.type for f in task.fields} == {expected_type}


def test_bundled_tasks_cover_all_gold_labels(dragon_dir):
    for name, spec in dt.SPECS.items():
        if spec.kind not in ("class", "multi_class"):
            continue
        task = dt.load_dragon_task(name)
        gold = dt.gold_from_ground_truth(dragon_dir / "ground-truth" / f"{name}.json")
        for key in spec.fields:
            used = {v[key] for v in gold.values()}
            assert used <= set(task.field_at(key).option_values()), (name, key)


def test_dragon_config(dragon_dir):
    cfg = dt.dragon_config(dragon_dir / "synthetic" / "Task108_Example_sl_ner-fold0")
    assert cfg["input_name"] == "text_parts"
    assert cfg["label_name"] == dt.SPECS["Task108_Example_sl_ner"].label_name
    for name, spec in dt.SPECS.items():
        cfg = dt.dragon_config(dragon_dir / "synthetic" / f"{name}-fold0")
        assert (cfg["task_name"], cfg["input_name"], cfg["label_name"]) == (name, spec.input_name, spec.label_name)


def test_bio_hand_made_round_trip():
    words = "Pain in left arm . Pain in left leg , pain killers .".split()
    spans = {"SITE": ["left leg", "left arm"], "SYMPTOM": ["Pain", "pain"]}
    tags = dt.spans_to_tags(words, spans)
    assert tags == ["B-SYMPTOM", "O", "B-SITE", "I-SITE", "O", "O", "O", "B-SITE", "I-SITE", "O",
                    "B-SYMPTOM", "O", "O"]
    # order: "left leg" first (cursor moves past it), "left arm" wraps to the start;
    # "pain" matches exactly at index 10 before the case-insensitive fallback.
    assert dt.tags_to_spans(words, tags) == {"SITE": ["left arm", "left leg"], "SYMPTOM": ["Pain", "pain"]}
    assert dt.spans_to_tags(words, dt.tags_to_spans(words, tags)) == tags
    # punctuation-insensitive fallback, unknown spans dropped, overlaps refused in single-label mode
    assert dt.spans_to_tags(["size", "2.1", "mm."], {"S": ["2.1 mm", "nothing"], "T": ["mm."]}) == \
        ["O", "B-S", "I-S"]


def test_bio_multi_label_ordered_types():
    words = "I+II lesion of 12 mm . III normal of 4 mm . IV lesion of 12 mm .".split()
    spans = {"0-lesion": ["12 mm"], "1-lesion": ["12 mm"], "2-lesion": [], "3-lesion": ["12 mm"]}
    # without anchors, lesion IV's "12 mm" is ambiguous and lands on the first free "12 mm"
    tags = dt.spans_to_tags(words, spans, multi=True, ordered_types=True)
    assert tags[3] == ["B-0-lesion", "B-1-lesion", "B-3-lesion"]
    # anchored on the Roman numeral headers, each size lands after its own header
    anchors = {"0-lesion": "I", "1-lesion": "II", "2-lesion": "III", "3-lesion": "IV"}
    tags = dt.spans_to_tags(words, spans, multi=True, ordered_types=True, anchors=anchors)
    assert tags[3] == ["B-0-lesion", "B-1-lesion"] and tags[4] == ["I-0-lesion", "I-1-lesion"]
    assert tags[15] == ["B-3-lesion"] and tags[16] == ["I-3-lesion"]
    assert sum(t != ["O"] for t in tags) == 4
    assert dt.tags_to_spans(words, tags, multi=True) == {"0-lesion": ["12 mm"], "1-lesion": ["12 mm"],
                                                         "3-lesion": ["12 mm"]}
    # the bundled Task109 mapping uses these anchors
    p = dt.prediction_from_values("Task109_Example_ml_ner", " ".join(words),
                                  {"lesion_1_size": "12 mm", "lesion_2_size": ["12 mm"], "lesion_4_size": ["12 mm"]})
    assert p == tags


@pytest.mark.parametrize("name", ["Task108_Example_sl_ner", "Task109_Example_ml_ner"])
def test_ground_truth_spans_convert_back_to_ground_truth_tags(dragon_dir, name):
    spec = dt.SPECS[name]
    records = json.loads((dragon_dir / "ground-truth" / f"{name}.json").read_text())
    n_entities = 0
    for r in records:
        values = dt.values_from_label(name, r[spec.label_name], r["text_parts"])
        n_entities += sum(len(v) for v in values.values())
        assert dt.prediction_from_values(name, r["text_parts"], values) == r[spec.label_name], r["uid"]
        assert dt.prediction_from_values(name, " ".join(r["text_parts"]), values) == r[spec.label_name]
    assert n_entities > len(records)


def test_predictions_from_values_formats(tmp_path):
    p = dt.predictions_from_values("Task101_Example_sl_bin_clf", [("u1", "t"), ("u2", "t"), ("u3", "t")],
                                   {"u1": {"lesion_over_20_mm": True}, "u2": {"lesion_over_20_mm": False}},
                                   {"u2": {"lesion_over_20_mm": 0.8}})
    assert p == [{"uid": "u1", "single_label_binary_classification": 1.0},
                 {"uid": "u2", "single_label_binary_classification": pytest.approx(0.2)},
                 {"uid": "u3", "single_label_binary_classification": 0.5}]
    p = dt.predictions_from_values("Task105_Example_ml_mc_clf", [("u", "t")], {"u": {"diagnosis": "Flu"}})
    assert p == [{"uid": "u", "multi_label_multi_class_classification": ["Flu", "antibiotics"]}]
    p = dt.predictions_from_values("Task107_Example_ml_reg", [("u", "t")], {"u": {"finding_2_size": 7}})
    assert p == [{"uid": "u", "multi_label_regression": [0.0, 7.0, 0.0, 0.0, 0.0]}]
    p = dt.predictions_from_values("Task102_Example_sl_mc_clf", [("u", "t")], {"u": {"lesions_over_20_mm": "2"}})
    assert p == [{"uid": "u", "single_label_multi_class_classification": "2"}]
    out = dt.write_predictions(tmp_path / "Task102_Example_sl_mc_clf-fold0", p)
    assert out.name == "nlp-predictions-dataset.json" and json.loads(out.read_text()) == p


def test_report_text_for_text_parts():
    assert dt.report_text("Task103_Example_mednli", {"text_parts": ["A.", "B."]}) == "Premise: A.\nHypothesis: B."
    assert dt.report_text("Task108_Example_sl_ner", {"text_parts": ["a", "b."]}) == "a b."
    assert dt.report_text("Task101_Example_sl_bin_clf", {"text": "x"}) == "x"
