import json

import pytest

from core.task import FieldType
from core.task_import import TaskFileError, load_task_file

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
