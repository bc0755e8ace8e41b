"""``abstractor bench parallel``: the pieces that are not wall-clock numbers.  The batched read
and its floor replay run on the embedded model (two short reports, a few seconds); the counts of
differing and right fields are checked on hand-made values."""
from __future__ import annotations

import pytest

from core.accuracy.sets import demo_set
from core.bench.parallel import differing_fields, right_fields, together
from core.engine.engine import Engine, EngineSettings
from core.templates import demo_task

TASK = demo_task()


def test_differing_fields_counts_each_changed_value_and_each_field_of_a_failed_report():
    a = [{"nodule_present": True, "largest_diameter_mm": 12, "lobe": None, "solidity": "solid"}, None, None]
    b = [{"nodule_present": True, "largest_diameter_mm": 14, "lobe": None, "solidity": "solid"},
         {"nodule_present": False}, None]
    assert differing_fields(a, b, TASK) == 1 + len(TASK.fields) + 0
    assert differing_fields(a, a, TASK) == 0


def test_right_fields_scores_demo_reports_against_their_gold_labels():
    labelled = demo_set()
    rid, text = labelled.reports[0]
    gold = labelled.gold[rid]
    perfect = {f.key: gold.get(f.key) for f in TASK.fields}
    assert right_fields([perfect, None], [text, text], TASK) == (len(TASK.fields), 2 * len(TASK.fields))
    assert right_fields([perfect], ["not a demo report"], TASK) == (0, 0)


@pytest.mark.model
def test_batched_read_gives_every_report_a_result_and_its_floor_replays(model_path):
    engine = Engine(model_path, EngineSettings(n_ctx=1024, n_threads=1, parallel=1))
    try:
        texts = ["CT thorax: solid nodule of 6 mm in the right upper lobe.",
                 "CT thorax: geen noduli. Conclusie: normaal onderzoek."]
        res = together(engine, TASK, texts, 2)
    finally:
        engine.close()
    assert len(res.values) == 2 and all(v is not None for v in res.values)
    assert res.output_tokens > 0 and res.total_s > 0 and res.floor_s > 0
