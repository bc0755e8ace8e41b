import json
import re
from pathlib import Path

import pytest

from core.task import FieldType
from core.task_import import TaskFileError, load_task_file

ROOT = Path(__file__).resolve().parents[2]

EXTRACTINATOR = {
    "Task": "Nested measurements",
    "Description": "Extract every measurement stated in a radiology report.",
    "Data_Path": "reports_en.json",
    "Input_Field": "text",
    "Parser_Format": {
        "measurements": {"type": "list", "description": "Every measurement", "items": {
            "type": "dict", "properties": {
                "structure": {"type": "str", "description": "What was measured"},
                "size_mm": {"type": "float", "description": "Size in mm"},
                "comparison": {"type": "str", "optional": True}}}},
        "severity": {"type": "str", "literals": ["normal", "mild", "severe"]},
        "findings": {"type": "list", "items": {"type": "str", "literals": ["a", "b"]}},
        "notes": {"type": "list", "items": {"type": "str"}},
        "count": {"type": "int", "optional": True},
        "urgent": {"type": "bool"},
        "Patient Info": {"type": "dict", "properties": {"age": {"type": "int"}}},
    },
}


def test_extractinator_inline_spec_becomes_a_task(tmp_path):
    p = tmp_path / "Task104_nested.json"
    p.write_text(json.dumps(EXTRACTINATOR), "utf-8")
    t = load_task_file(p)
    assert t.name == "Nested measurements"
    assert t.instructions.startswith("Extract every measurement")
    types = {f.key: f.type for f in t.fields}
    assert types == {"measurements": FieldType.GROUP_LIST, "severity": FieldType.CHOICE,
                     "findings": FieldType.MULTI_CHOICE, "notes": FieldType.TEXT_LIST,
                     "count": FieldType.INTEGER, "urgent": FieldType.YES_NO, "patient_info": FieldType.GROUP}
    m = t.field_at("measurements")
    assert [c.key for c in m.fields] == ["structure", "size_mm", "comparison"]
    assert m.fields[2].optional and not m.fields[0].optional
    assert t.field_at("severity").option_values() == ["normal", "mild", "severe"]
    assert t.field_at("patient_info").label == "Patient info"
    assert t.is_valid()


def test_python_parser_is_refused_not_executed(tmp_path):
    evil = tmp_path / "parser.py"
    evil.write_text("raise SystemExit('executed!')")
    p = tmp_path / "Task001.json"
    p.write_text(json.dumps({"Description": "x", "Parser_Format": "parser.py"}))
    with pytest.raises(TaskFileError, match="never runs code"):
        load_task_file(p)


@pytest.mark.parametrize("content, msg", [
    ("{not json", "not valid JSON"),
    ("[]", "JSON object"),
    ('{"Parser_Format": {"x": {"type": "complex"}}}', "unknown type 'complex'"),
    ('{"name": "x", "fields": [{"key": "a", "type": "nonsense"}]}', "Not a valid Abstractor task"),
])
def test_bad_task_files_give_a_reason(tmp_path, content, msg):
    p = tmp_path / "t.json"
    p.write_text(content)
    with pytest.raises(TaskFileError, match=msg):
        load_task_file(p)


def test_missing_file(tmp_path):
    with pytest.raises(TaskFileError, match="not found"):
        load_task_file(tmp_path / "nope.json")


# ---- every Parser_Format feature, with llm_extractinator's meaning ------------------------------
from core.schema import json_schema  # noqa: E402
from core.task_import import task_from_dict, to_extractinator  # noqa: E402
from core.validate import AnswerInvalid, validate_values  # noqa: E402


def _one(spec: dict, name: str = "x"):
    return task_from_dict({"Description": "d", "Parser_Format": {name: spec}}).fields[0]


def test_int_literals_become_typed_allowed_values_and_are_enforced():
    t = task_from_dict({"Description": "Prostate MRI", "Parser_Format": {
        "pirads": {"type": "int", "literals": [1, 2, 3, 4, 5], "description": "PI-RADS score"}}})
    f = t.fields[0]
    assert f.type is FieldType.INTEGER and f.allowed_values() == [1, 2, 3, 4, 5]
    assert json_schema(t, evidence=False)["properties"]["pirads"]["enum"] == [1, 2, 3, 4, 5]
    assert validate_values(t, {"pirads": 4}) == {"pirads": 4}
    for bad in (19, 11, 0, 6):
        with pytest.raises(AnswerInvalid, match="pirads"):
            validate_values(t, {"pirads": bad})
    assert t.is_valid()


def test_float_literals_become_typed_allowed_values():
    f = _one({"type": "float", "literals": [0.5, 1, 2.5], "optional": True})
    assert f.type is FieldType.DECIMAL and f.allowed_values() == [0.5, 1.0, 2.5] and f.optional
    t = task_from_dict({"Description": "d", "Parser_Format": {"x": {"type": "float", "literals": [0.5, 2.5]}}})
    assert validate_values(t, {"x": 2.5}) == {"x": 2.5}
    with pytest.raises(AnswerInvalid):
        validate_values(t, {"x": 1.5})


def test_optional_means_nullable_and_required_means_not():
    t = task_from_dict({"Description": "d", "Parser_Format": {
        "a": {"type": "str", "optional": True}, "b": {"type": "int"}}})
    assert t.field_at("a").optional and not t.field_at("b").optional
    assert validate_values(t, {"a": None, "b": 1}) == {"a": None, "b": 1}
    with pytest.raises(AnswerInvalid, match="b"):
        validate_values(t, {"a": "x", "b": None})


def test_nested_dicts_and_descriptions_at_every_level():
    t = task_from_dict({"Description": "d", "Parser_Format": {"patient": {
        "type": "dict", "description": "The patient", "properties": {
            "age": {"type": "int", "description": "Age in years"},
            "address": {"type": "dict", "properties": {"city": {"type": "str", "description": "City"}}}}}}})
    p = t.field_at("patient")
    assert p.type is FieldType.GROUP and p.description == "The patient"
    assert t.field_at("patient.age").description == "Age in years"
    assert t.field_at("patient.address").type is FieldType.GROUP
    assert t.field_at("patient.address.city").description == "City"


@pytest.mark.parametrize("items, ftype", [
    ({"type": "str"}, FieldType.TEXT_LIST),
    ({"type": "str", "literals": ["a", "b"]}, FieldType.MULTI_CHOICE),
    ({"type": "dict", "properties": {"n": {"type": "float"}}}, FieldType.GROUP_LIST),
])
def test_lists(items, ftype):
    assert _one({"type": "list", "items": items}).type is ftype


@pytest.mark.parametrize("spec, msg", [
    ({"type": "list", "items": {"type": "int"}}, "lists of 'int' cannot be represented"),
    ({"type": "list", "items": {"type": "float", "literals": [1.0]}}, "lists of 'float'"),
    ({"type": "list"}, "needs 'items'"),
    ({"type": "list", "items": {"type": "str"}, "literals": ["a"]}, "put them on the list's 'items'"),
    ({"type": "int", "literals": [1, "2"]}, "must all be whole numbers; '2' is not"),
    ({"type": "int", "literals": [1.5]}, "must all be whole numbers"),
    ({"type": "int", "literals": [True]}, "whole numbers"),
    ({"type": "str", "literals": [1, 2]}, "must all be non-empty texts"),
    ({"type": "float", "literals": "abc"}, "must be a list"),
    ({"type": "bool", "literals": [True]}, "cannot be represented"),
    ({"type": "str", "literals": ["a", "a"]}, "repeated"),
    ({"type": "any"}, "type 'any'"),
    ({"description": "no type"}, "has no 'type'"),
    ({"type": "dict", "properties": {}}, "needs 'properties'"),
])
def test_unrepresentable_constraints_are_refused_with_a_reason(spec, msg):
    with pytest.raises(TaskFileError, match=re.escape(msg)):
        _one(spec)


def test_keys_that_collide_after_cleaning_are_refused():
    with pytest.raises(TaskFileError, match="would both become 'psa'"):
        task_from_dict({"Description": "d", "Parser_Format": {"PSA": {"type": "float"}, "psa": {"type": "float"}}})


def test_bool_with_both_literals_is_a_plain_yes_no():
    assert _one({"type": "bool", "literals": [True, False]}).type is FieldType.YES_NO


def test_imported_tasks_use_the_llm_extractinator_prompt_style(tmp_path):
    p = tmp_path / "Task001_x.json"
    p.write_text(json.dumps({**EXTRACTINATOR, "Example_Path": "ex.json"}), "utf-8")
    t = load_task_file(p)
    assert t.options.prompt_style == "llm_extractinator"
    assert "few-shot examples (ex.json) are not used" in t.description


def _constraints(task):
    return [(p, f.type, f.allowed_values() if f.type.allows_options else None, f.optional,
             f.description.split(" (unit:")[0]) for p, f in task.walk()]


@pytest.mark.parametrize("path", sorted((ROOT / "resources" / "tasks" / "dragon").glob("*.json")), ids=lambda p: p.stem)
def test_each_dragon_task_survives_the_llm_extractinator_format(path):
    """Every DRAGON task written as an llm_extractinator task file imports back with
    the same fields, types, options (allowed values), optionality and descriptions."""
    task = load_task_file(path)
    again = task_from_dict(json.loads(json.dumps(to_extractinator(task))))
    assert _constraints(again) == _constraints(task)
    assert again.instructions == task.instructions
    assert again.options.prompt_style == "llm_extractinator"
