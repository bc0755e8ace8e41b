import pytest

from core.accuracy import SetError, VARIANTS, demo_set, dragon_set, dragon_sets, variants
from core.accuracy.report import full_report, summary_table
from core.accuracy.runner import Answer, SetResult


def test_demo_set_pairs_every_report_with_its_gold_row():
    s = demo_set()
    assert len(s) == 12 and s.task.name.startswith("Chest CT")
    assert s.gold["ct_thorax_07.txt"] == {"nodule_present": True, "largest_diameter_mm": 7.5,
                                          "lobe": "middle lobe", "solidity": "solid"}
    assert s.gold["ct_thorax_03.txt"]["largest_diameter_mm"] is None  # no nodule: the right answer is null
    assert [rid for rid, _ in demo_set(limit=3).reports] == ["ct_thorax_01.txt", "ct_thorax_02.txt", "ct_thorax_03.txt"]


def test_dragon_sets_take_the_first_cases_and_their_ground_truth(dragon_dir):
    s = dragon_set("Task105_Example_ml_mc_clf", dragon_dir, limit=3)
    assert len(s) == 3 and s.dragon_task == "Task105_Example_ml_mc_clf"
    assert set(s.gold[s.reports[0][0]]) == {"diagnosis", "treatment"}
    ner = dragon_set("Task108_Example_sl_ner", dragon_dir, limit=2)
    assert all(isinstance(v, list) for v in ner.gold[ner.reports[0][0]].values())
    assert [x.dragon_task for x in dragon_sets(dragon_dir, limit=1)] == [
        f"Task10{i}_" + n for i, n in enumerate(
            ["Example_sl_bin_clf", "Example_sl_mc_clf", "Example_mednli", "Example_ml_bin_clf", "Example_ml_mc_clf",
             "Example_sl_reg", "Example_ml_reg", "Example_sl_ner", "Example_ml_ner"], start=1)]
    with pytest.raises(SetError, match="No DRAGON task matches 'Task999'"):
        dragon_sets(dragon_dir, tasks=["Task999"])


def test_variants_change_only_prompt_style_and_evidence():
    task = demo_set(limit=1).task
    ref = VARIANTS["reference"].apply(task)
    assert (ref.options.prompt_style, ref.options.evidence) == ("llm_extractinator", False)
    assert ref.fields == task.fields and ref.instructions == task.instructions
    assert VARIANTS["default"].apply(task) is task
    with pytest.raises(KeyError, match="Unknown variant 'best'"):
        variants(["reference", "best"])


def test_tables_count_fields_right_per_variant():
    s = demo_set(limit=2)
    gold = s.gold
    right = {rid: Answer("ok", dict(g), {}) for rid, g in gold.items()}
    wrong = {rid: Answer("ok", {**g, "largest_diameter_mm": 1.0}, {}) for rid, g in gold.items()}
    failed = {rid: Answer("failed", {}, {}, "no") for rid in gold}
    rs = [SetResult(s, VARIANTS[n], s.task, a) for n, a in
          (("reference", wrong), ("default", right), ("abstractor", failed))]
    assert [r.right for r in rs] == [6, 8, 0] and rs[0].total == 8 and rs[2].failed == 2
    assert rs[0].numbers()["largest_diameter_mm"]["other"] == 2
    text = full_report(rs)
    assert "largest_diameter_mm" in text and "6/8" in text and "failed reports" in text
    assert "| **all sets** | 6/8 | 8/8 | 0/8 |" in summary_table(rs, markdown=True)
