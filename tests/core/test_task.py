import json

import pytest

from core.task import Field, FieldType, Option, Task, TASK_FORMAT_VERSION


def _task(**kw):
    return Task(name="CT", fields=[
        Field(key="nodule", type=FieldType.YES_NO),
        Field(key="lobe", type=FieldType.CHOICE, options=[Option(value="RUL"), Option(value="LUL")]),
        Field(key="lesions", type=FieldType.GROUP_LIST, fields=[
            Field(key="organ", type=FieldType.TEXT), Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")]),
    ], **kw)


def test_save_load_round_trip_keeps_format_version(tmp_path):
    t = _task(instructions="Lees het verslag.")
    p = tmp_path / "t.json"
    t.save(p)
    data = json.loads(p.read_text("utf-8"))
    assert data["format_version"] == TASK_FORMAT_VERSION
    assert Task.load(p) == t
    assert Task.load(p).hash() == t.hash()


def test_hash_changes_with_content():
    assert _task().hash() != _task(instructions="x").hash()


def test_newer_format_version_is_refused():
    with pytest.raises(ValueError, match="newer"):
        Task(name="x", format_version=TASK_FORMAT_VERSION + 1)


def test_problems_name_each_invalid_field():
    t = Task(name="", fields=[
        Field(key="a", type=FieldType.TEXT),
        Field(key="a", type=FieldType.TEXT),
        Field(key="Bad Key", type=FieldType.TEXT),
        Field(key="c", type=FieldType.CHOICE),
        Field(key="g", type=FieldType.GROUP),
        Field(key="n", type=FieldType.DECIMAL, minimum=5, maximum=1),
    ])
    msgs = {(p.path, p.message.split(".")[0]) for p in t.problems()}
    assert ("", "The task needs a name") in msgs
    assert ("a", "Duplicate key 'a' at this level") in msgs
    assert any(path == "Bad Key" and "lowercase" in m for path, m in
               [(p.path, p.message) for p in t.problems()])
    assert ("c", "A choice field needs at least one option") in msgs
    assert ("g", "A group needs at least one field") in msgs
    assert ("n", "The plausible minimum is above the maximum") in msgs
    assert not t.is_valid()
    assert _task().is_valid()


def test_walk_gives_dotted_paths():
    assert [p for p, _ in _task().walk()] == ["nodule", "lobe", "lesions", "lesions.organ", "lesions.size_mm"]


def test_number_fields_with_allowed_values():
    from core.task import Field, FieldType, Option, Task

    pirads = Field(key="pirads", type=FieldType.INTEGER, options=[Option(value=str(i)) for i in range(1, 6)])
    assert pirads.allowed_values() == [1, 2, 3, 4, 5] and pirads.type.allows_options
    assert Task(name="t", fields=[pirads]).is_valid()
    bad = Field(key="pirads", type=FieldType.INTEGER, options=[Option(value="4.5")])
    msgs = [p.message for p in Task(name="t", fields=[bad]).problems()]
    assert msgs == ["Allowed values must be numbers: '4.5' is not a whole number."]
    dup = Field(key="x", type=FieldType.DECIMAL, options=[Option(value="1"), Option(value="1.0")])
    assert [p.message for p in Task(name="t", fields=[dup]).problems()] == ["Allowed values must be unique."]
    halves = Field(key="x", type=FieldType.DECIMAL, options=[Option(value="0.5"), Option(value="2")])
    assert halves.allowed_values() == [0.5, 2.0]
