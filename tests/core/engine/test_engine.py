"""The real engine with the embedded SmolLM2-135M model."""
import pytest

from core.bench.latency import cancel_latency
from core.engine.chat import choose_template
from core.engine.engine import Engine, EngineSettings, ModelLoadError
from core.schema import output_model
from core.task import Field, FieldType, Option, Task, TaskOptions
from tests.core.all_types import REPORT, all_types_task

CT = Task(name="Chest CT", instructions="Extract the pulmonary nodule findings.", fields=[
    Field(key="nodule_present", type=FieldType.YES_NO, description="Is a pulmonary nodule described?"),
    Field(key="largest_diameter_mm", type=FieldType.DECIMAL, unit="mm", description="Largest nodule diameter"),
    Field(key="lobe", type=FieldType.CHOICE, options=[Option(value=v) for v in (
        "right upper lobe", "middle lobe", "right lower lobe", "left upper lobe", "left lower lobe")]),
])
REPORTS = [
    "CT thorax: solide nodule van 8 mm in de rechterbovenkwab. Geen pleuravocht.",
    "CT thorax: geen noduli. Normale longen, geen pleuravocht.",
    "CT chest: part-solid nodule of 12 mm in the left lower lobe.",
]


@pytest.mark.parametrize("evidence", [True, False])
def test_every_field_type_gives_schema_valid_output(engine, evidence):
    task = all_types_task(evidence=evidence)
    ex = engine.extract(task, REPORT)
    assert ex.status == "ok", (ex.reason, ex.raw_output)
    output_model(task).model_validate(ex.values)  # raises if not schema-valid
    assert set(ex.values) == {f.key for f in task.fields}
    assert set(ex.confidence) == {f.key for f in task.fields}
    assert all(0.0 < c <= 1.0 for c in ex.confidence.values())
    if evidence:
        for key, span in ex.evidence.items():
            if ex.quotes[key] is not None:  # quotes are bound to the report's words, so they always align
                assert span is not None, (key, ex.quotes[key])
                s, e = span
                assert 0 <= s < e <= len(REPORT)
    else:
        assert ex.evidence == {} and ex.quotes == {}


def test_prefix_is_reused_from_one_report_to_the_next(engine):
    first = engine.extract(CT, "Onderzoek: CT thorax zonder contrast.\n" + REPORTS[0])
    second = engine.extract(CT, REPORTS[1])
    assert second.cached_tokens > 0.8 * (first.prompt_tokens - 40)
    assert second.prompt_tokens - second.cached_tokens < first.prompt_tokens - first.cached_tokens
    # the whole fixed part (system message) is cached: only the report and the turn markers are new
    assert second.prompt_tokens - second.cached_tokens < engine.count_tokens(REPORTS[1]) + 15


def test_speed_does_not_change_answers(model_path):
    """The engine's defaults (prefix reuse, forced tokens appended without sampling) give
    exactly the answers of plain constrained decoding (no reuse, every token sampled)."""
    plain = Engine(model_path, EngineSettings(n_ctx=2048, reuse_prefix=False, force_tokens=False))
    try:
        slow = [plain.extract(CT, r) for r in REPORTS]
    finally:
        plain.close()
    fast_engine = Engine(model_path, EngineSettings(n_ctx=2048))
    try:
        fast = [fast_engine.extract(CT, r) for r in REPORTS]
    finally:
        fast_engine.close()
    assert [f.values for f in fast] == [s.values for s in slow]
    assert [f.quotes for f in fast] == [s.quotes for s in slow]
    assert sum(f.forced_tokens for f in fast) > 0
    assert sum(s.forced_tokens for s in slow) == 0
    assert sum(f.cached_tokens for f in fast) > 0 and sum(s.cached_tokens for s in slow) == 0


def test_cancel_stops_the_extraction_and_the_engine_reads_on(engine):
    """A cancel set during a long report ends it with Cancelled (``cancel_latency`` raises
    otherwise); the engine then reads the next report as usual.  How soon the cancel lands
    is measured by ``abstractor bench cancel`` (target under 0.5 s)."""
    long_report = "\n".join([REPORTS[0]] * 40)
    latency = cancel_latency(engine, CT, long_report, delay_s=0.3)
    print(f"cancel latency {latency * 1000:.0f} ms")
    after = engine.extract(CT, REPORTS[2])
    assert after.status == "ok", after.reason
    assert set(after.values) == {f.key for f in CT.fields}


def test_long_report_is_truncated_with_a_visible_warning(model_path):
    e = Engine(model_path, EngineSettings(n_ctx=1024))
    try:
        task = CT.model_copy(update={"options": TaskOptions(max_output_tokens=200)})
        ex = e.extract(task, "\n".join([REPORTS[0]] * 80))
    finally:
        e.close()
    assert any("longer than the model's context" in w for w in ex.warnings[""])


def test_answer_that_does_not_finish_is_failed_not_invented(engine):
    task = CT.model_copy(update={"options": TaskOptions(max_output_tokens=6)})
    ex = engine.extract(task, REPORTS[0])
    assert ex.status == "failed"
    assert "did not finish within 6 tokens, nor within 24 on a second try" in ex.reason
    assert "Fix: simplify the task" in ex.reason
    assert ex.values == {}
    assert ex.raw_output  # the partial output is kept for the reviewer


def test_runaway_answer_is_retried_once_with_a_larger_budget(engine):
    task = CT.model_copy(update={"options": TaskOptions(max_output_tokens=12, evidence=False)})
    ex = engine.extract(task, REPORTS[0])
    assert ex.status == "ok", (ex.reason, ex.raw_output)
    assert 12 < ex.output_tokens <= 48          # it needed the second, larger budget
    assert set(ex.values) == {f.key for f in CT.fields}


def test_quotes_are_capped_and_always_closed(engine):
    task = Task(name="Finding", instructions="Radiology report.", fields=[
        Field(key="finding", type=FieldType.TEXT, description="The main finding, in a few words")],
        options=TaskOptions(max_quote_chars=40, max_output_tokens=200))
    run_on = " ".join(["er is een solide nodule van acht millimeter in de rechterbovenkwab zonder"] * 12)
    ex = engine.extract(task, run_on)
    assert ex.status == "ok", (ex.reason, ex.raw_output)
    quote = ex.quotes["finding"]
    assert quote is not None and quote in " ".join(run_on.split())
    assert engine.count_tokens(quote) <= 40 // 5 + 1   # a sentence, not a paragraph


def test_parts_are_announced_in_order(model_path):
    e = Engine(model_path, EngineSettings(n_ctx=1024, n_threads=1))
    try:
        task = CT.model_copy(update={"options": TaskOptions(max_output_tokens=200, long_report_policy="split")})
        filler = "Geen afwijkingen in dit segment.\n" * 60
        report = filler + REPORTS[2] + "\n" + filler
        planned = e.plan_parts(task, e.count_tokens(report))
        seen: list[tuple[int, int]] = []
        ex = e.extract(task, report, on_part=lambda k, m: seen.append((k, m)))
    finally:
        e.close()
    m = seen[0][1]
    assert m >= 2 and seen == [(k, m) for k in range(1, m + 1)]
    assert abs(planned - m) <= 1            # the plan (for the time left) is close to what happened
    assert any(f"read in {m} parts" in w for w in ex.warnings[""])


def test_engine_reports_backend_and_template(engine):
    d = engine.describe()
    assert d["backend"] == "CPU" and d["chat_template"] == "gguf" and d["n_ctx"] == 2048
    assert engine.info.architecture == "llama" and engine.info.has_chat_template


def test_non_gguf_file_gives_a_clear_message(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"not a model at all")
    with pytest.raises(ModelLoadError, match="not a GGUF model file"):
        Engine(bad)
    with pytest.raises(ModelLoadError, match="not found"):
        Engine(tmp_path / "missing.gguf")


def test_missing_chat_template_is_chosen_by_architecture_with_a_warning():
    t = choose_template({"general.architecture": "gemma3"})
    assert t.name == "gemma" and not t.from_gguf and "no chat template" in t.warning
    assert choose_template({"general.architecture": "qwen2"}).name == "chatml"
    assert choose_template({"tokenizer.chat_template": "{{ x }}<think>"}).reasoning


def test_split_policy_reads_long_reports_in_parts(model_path):
    from core.engine.split import split_text

    filler = "Geen afwijkingen in dit segment.\n" * 30
    report = filler + REPORTS[2] + "\n" + filler
    e = Engine(model_path, EngineSettings(n_ctx=1024, n_threads=1))
    try:
        parts = split_text(report, 120, e.count_tokens)
        assert len(parts) >= 3
        assert "".join(p for _, p in parts) == report            # nothing lost, nothing repeated
        assert all(report[o: o + len(p)] == p for o, p in parts)  # offsets are true
        task = CT.model_copy(update={"options": TaskOptions(max_output_tokens=200, long_report_policy="split")})
        ex = e.extract(task, report)
    finally:
        e.close()
    assert any("read in" in w and "parts" in w for w in ex.warnings[""])
    assert ex.status == "ok", ex.reason
    assert set(ex.values) == {f.key for f in CT.fields}
    for key, span in ex.evidence.items():
        if span is not None:
            assert report[span[0]:span[1]].split()[0] in ex.quotes[key]
