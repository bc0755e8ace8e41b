from __future__ import annotations

import json

import pytest

from core.reports import read_dragon_dataset


def test_dragon_text_and_text_parts(tmp_path):
    cases = [
        {"uid": "Task101_case0", "text": "Verslag één"},
        {"uid": "Task101_case1", "text_parts": ["Deel 1", "Deel 2", "Deel 3"]},
        {"uid": "Task101_case2", "text": "   "},
        {"uid": "Task101_case0", "text": "dubbel"},
    ]
    path = tmp_path / "nlp-test-dataset.json"
    path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    reports = read_dragon_dataset(str(path))
    assert [(r.id, r.source, r.status, r.text, r.reason) for r in reports] == [
        ("Task101_case0", "nlp-test-dataset.json", "ready", "Verslag één", None),
        ("Task101_case1", "nlp-test-dataset.json", "ready", "Deel 1\n\nDeel 2\n\nDeel 3", None),
        ("Task101_case2", "nlp-test-dataset.json", "skipped", "", "This case has no report text"),
        ("Task101_case0~2", "nlp-test-dataset.json", "ready", "dubbel", None),
    ]
    assert reports[0].size == len("Verslag één".encode("utf-8"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"uid": "x", "text": "y"}', "expected a list of cases"),
        ('[{"text": "y"}]', "case 1 has no 'uid'"),
    ],
)
def test_dragon_rejects_files_that_are_not_datasets(tmp_path, content, message):
    path = tmp_path / "d.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_dragon_dataset(path)
