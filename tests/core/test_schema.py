import datetime as dt
import json

import llguidance
import llguidance.llamacpp
import llama_cpp
import pytest

from core.schema import grammar, json_schema, output_model, quotable_text, split_answer
from core.task import Field, FieldType, Task
from core.validate import AnswerInvalid, plausibility_warnings, validate_values
from tests.core.all_types import REPORT, all_types_task

GOOD = {
    "summary": "twee noduli", "nodule_count": 2, "largest_mm": 8.0, "nodule_present": True,
    "scan_date": "2024-03-12", "lobe": "right upper lobe", "other_findings": ["emphysema"],
    "keywords": ["nodule"], "patient": {"age": 64, "smoker": True},
    "lesions": [{"location": "rechterbovenkwab", "size_mm": 8}, {"location": None, "size_mm": 4.0}],
}


@pytest.fixture(scope="module")
def lltok(model_path):
    vocab_model = llama_cpp.Llama(str(model_path), vocab_only=True, verbose=False)
    return vocab_model.tokenize, llguidance.llamacpp.lltokenizer_from_vocab(
        llama_cpp.llama_model_get_vocab(vocab_model.model))


def _accepts(lltok, g: str, text: str) -> bool:
    tokenize, tok = lltok
    m = llguidance.LLMatcher(tok, g)
    toks = tokenize(text.encode(), add_bos=False, special=False)
    return m.try_consume_tokens(toks) == len(toks) and m.is_accepting()


def test_json_schema_lists_every_field_in_order_with_quotes():
    t = all_types_task()
    t.options.quote_position = "before_value"
    s = json_schema(t)
    keys = list(s["properties"])
    assert keys[:4] == ["summary.quote", "summary", "nodule_count.quote", "nodule_count"]
    assert s["required"] == keys
    assert s["properties"]["nodule_present"]["type"] == "boolean"  # not optional: no null
    assert s["properties"]["lobe"]["enum"] == ["right upper lobe", "left lower lobe", None]
    assert s["properties"]["largest_mm"]["description"].endswith("(unit: mm)")
    items = s["properties"]["lesions"]["anyOf"][0]["items"]
    assert list(items["properties"]) == ["location", "size_mm"]
    assert "summary.quote" not in json_schema(all_types_task(evidence=False))["properties"]


def test_output_model_validates_and_rejects():
    values = validate_values(all_types_task(), GOOD)
    assert values["scan_date"] == "2024-03-12"
    assert values["lesions"][0]["size_mm"] == 8.0
    with pytest.raises(AnswerInvalid, match="lobe"):
        validate_values(all_types_task(), {**GOOD, "lobe": "middle lobe"})
    with pytest.raises(AnswerInvalid, match="scan_date"):
        validate_values(all_types_task(), {**GOOD, "scan_date": "2024-02-31"})
    with pytest.raises(AnswerInvalid, match="nodule_present"):
        validate_values(all_types_task(), {**GOOD, "nodule_present": None})
    model = output_model(all_types_task())
    assert model.model_validate(GOOD).scan_date == dt.date(2024, 3, 12)


def test_multi_choice_duplicates_are_collapsed():
    v = validate_values(all_types_task(), {**GOOD, "other_findings": ["emphysema", "emphysema"]})
    assert v["other_findings"] == ["emphysema"]


def test_plausibility_warnings_never_change_values():
    vals = {**GOOD, "largest_mm": 250.0, "scan_date": "2999-01-01",
            "lesions": [{"location": "x", "size_mm": 8}]}
    w = plausibility_warnings(all_types_task(), vals, today=dt.date(2025, 1, 1))
    assert w["largest_mm"] == ["250.0 mm is above the plausible maximum of 60 mm."]
    assert w["scan_date"] == ["2999-01-01 is in the future."]
    assert vals["largest_mm"] == 250.0


def test_grammar_accepts_compact_answers_and_rejects_others(lltok):
    task = all_types_task(evidence=False)
    g = grammar(task)
    compact = json.dumps(GOOD, separators=(",", ":"), ensure_ascii=False)
    assert _accepts(lltok, g, compact)
    assert not _accepts(lltok, g, json.dumps(GOOD))  # whitespace is not allowed
    assert not _accepts(lltok, g, compact.replace('"right upper lobe"', '"middle lobe"'))
    reordered = {"nodule_count": 2, **{k: v for k, v in GOOD.items() if k != "nodule_count"}}
    assert not _accepts(lltok, g, json.dumps(reordered, separators=(",", ":")))


def test_quotes_are_bound_to_the_report_words(lltok):
    task = Task(name="t", fields=[Field(key="size", type=FieldType.DECIMAL)])
    g = grammar(task, REPORT)
    assert _accepts(lltok, g, '{"size":8,"size.quote":"Solide nodule van 8 mm"}')  # quotes after the values
    assert _accepts(lltok, g, '{"size":null,"size.quote":null}')
    assert not _accepts(lltok, g, '{"size":8,"size.quote":"nodule of 8 mm"}')
    task.options.quote_position = "before_value"
    g = grammar(task, REPORT)
    assert _accepts(lltok, g, '{"size.quote":"Solide nodule van 8 mm","size":8}')
    assert not _accepts(lltok, g, '{"size.quote":"nodule of 8 mm","size":8}')


def test_quotable_text_has_no_json_escapes():
    assert quotable_text('a "b"\\c\n\td') == "a b c d"


def test_split_answer_separates_quotes():
    task = Task(name="t", fields=[Field(key="a", type=FieldType.TEXT), Field(key="b", type=FieldType.TEXT)])
    values, quotes = split_answer({"a.quote": "x y", "a": "1", "b.quote": " ", "b": None}, task)
    assert values == {"a": "1", "b": None}
    assert quotes == {"a": "x y", "b": None}


def test_long_quotes_are_cut_but_always_closed(lltok):
    tokenize, tok = lltok
    task = Task(name="t", fields=[Field(key="size", type=FieldType.DECIMAL)])
    task = task.model_copy(update={"options": task.options.model_copy(
        update={"max_quote_chars": 40, "quote_position": "before_value"})})
    m = llguidance.LLMatcher(tok, grammar(task, REPORT))
    toks = tokenize(('{"size.quote":"' + REPORT.split("\n")[1]).encode(), add_bos=False, special=False)
    consumed = m.try_consume_tokens(toks)
    assert 0 < consumed < len(toks) and not m.is_error()
    forced = tok.decode_str(m.compute_ff_tokens())
    assert forced.startswith('","size'), forced  # the quote is closed, the next key follows


def test_quotes_after_values_put_every_value_first(lltok):
    t = all_types_task()
    t.options.quote_position = "after_values"
    keys = list(json_schema(t)["properties"])
    n = len(t.fields)
    assert keys[:n] == [f.key for f in t.fields] and keys[n:] == [f.key + ".quote" for f in t.fields]
    g = grammar(t, REPORT)
    values = json.dumps(GOOD, separators=(",", ":"), ensure_ascii=False)[:-1]
    quotes = ",".join(f'"{f.key}.quote":null' for f in t.fields)
    assert _accepts(lltok, g, values + "," + quotes + "}")
    first = ",".join(f'"{f.key}.quote":null' for f in t.fields[:1])
    assert not _accepts(lltok, g, "{" + first + values[1:] + "}")


def test_number_with_allowed_values_only_accepts_them(lltok):
    from core.task_import import task_from_dict

    t = task_from_dict({"Description": "d", "Parser_Format": {"pirads": {"type": "int", "literals": [1, 2, 3, 4, 5]}}})
    t.options.evidence = False
    g = grammar(t)
    assert _accepts(lltok, g, '{"pirads":4}')
    for bad in ("19", "11", "0", "6", '"4"', "4.0"):
        assert not _accepts(lltok, g, '{"pirads":' + bad + "}"), bad
