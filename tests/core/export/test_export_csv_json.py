from __future__ import annotations

import csv
import json

import pytest

from core.export import ExportError, export, export_csv, export_extractinator_json, export_json
from export_sample import HOSTILE, R1_VALUES


def _read_csv(path, delimiter):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")            # UTF-8 BOM for Excel
    return list(csv.reader(raw[3:].decode("utf-8").splitlines(), delimiter=delimiter))


def test_csv_bom_delimiter_and_values(project, task, tmp_path):
    written = export_csv(project, task, tmp_path / "results.csv")
    assert written == [tmp_path / "results.csv", tmp_path / "results-lesions.csv"]
    rows = _read_csv(written[0], ";")
    head = rows[0]
    assert head[:3] == ["Report", "Source file", "Status"] and "Largest diameter (mm)" in head
    by = {r[0]: dict(zip(head, r)) for r in rows[1:]}
    r1 = by["ct/r1.txt"]
    assert r1["Largest diameter (mm)"] == "13.0" and r1["Number of nodules"] == "3"
    assert r1["Exam date"] == "2023-04-05" and r1["Metastasis"] == "yes"
    assert r1["Sites: liver"] == "1" and r1["Sites: lung"] == "0"
    assert r1["Findings"] == "nodule RUL; effusion"
    assert by["ct/r5.txt"]["Status"] == "not run" and by["ct/r5.txt"]["Diagnosis"] == ""
    assert by["ct/r2.txt"]["Diagnosis"] == "other, unspecified"
    lesions = _read_csv(written[1], ";")
    assert lesions == [["Report", "Item", "Location", "Size (mm)"], ["ct/r1.txt", "1", "RUL", "12"],
                       ["ct/r1.txt", "2", "liver", "30"], ["ct/r2.txt", "1", "'@SUM(A1)", "5"]]


def test_csv_formula_safety(project, task, tmp_path):
    h = task.hash()
    project.set_review_value("ct/r1.txt", h, "comment", "\tX", "stable", reviewer="dr_a")
    project.set_review_value("ct/r2.txt", h, "count", -2, 0, reviewer="dr_a")
    (path, _) = export_csv(project, task, tmp_path / "r.csv", delimiter=",")
    rows = _read_csv(path, ",")
    by = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by["ct/r2.txt"]["Comment"] == "'" + HOSTILE[0]
    assert by["ct/r2.txt"]["Source file"] == 'ct/=HYPERLINK("http://x","y").txt'   # starts with "ct/": safe
    assert by["ct/r2.txt"]["Findings"] == "'+1; -2+3"
    assert by["ct/r1.txt"]["Comment"] == "'\tX"
    assert by["ct/r3.txt"]["Reason"] == "'-The output was not valid JSON"
    assert by["ct/r2.txt"]["Number of nodules"] == "-2"    # a real number is left alone
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")) or value.lstrip("-").isdigit()


def test_csv_options(project, task, tmp_path):
    (path, _) = export(project, task, tmp_path / "r.csv", delimiter=";", decimal=",", multi_choice="joined")
    rows = _read_csv(path, ";")
    by = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert by["ct/r1.txt"]["Largest diameter (mm)"] == "13,0" and by["ct/r1.txt"]["Sites"] == "liver; bone"
    with pytest.raises(ValueError):
        export_csv(project, task, tmp_path / "x.csv", delimiter=",", decimal=",")
    with pytest.raises(ValueError):
        export_csv(project, task, tmp_path / "x.csv", delimiter="ab")


def test_json_records(project, task, tmp_path):
    path = export_json(project, task, tmp_path / "out.json")
    recs = json.loads(path.read_text("utf-8"))
    # the command line passes --multi-choice whatever the suffix: ignored for JSON
    assert export(project, task, tmp_path / "same.json", multi_choice="columns") == [tmp_path / "same.json"]
    assert json.loads((tmp_path / "same.json").read_text("utf-8")) == recs
    assert [r["report"] for r in recs] == ["ct/r1.txt", "ct/r2.txt", "ct/r3.txt", "ct/r4.pdf", "ct/r5.txt"]
    assert all(set(r) == {"report", "source", "status", "reason", "review", "comment", "fields", "evidence",
                          "confidence"} for r in recs)
    r1, r2, r3, r4, r5 = recs
    assert (r1["review"], r1["comment"], r2["review"]) == ("corrected", None, "not reviewed")
    assert r1["status"] == "ok" and r1["reason"] is None and r1["source"] == "ct/r1.txt"
    assert r1["fields"] == {**R1_VALUES, "size_mm": 13.0}       # reviewer's value
    assert r1["evidence"]["size_mm"] == [7, 12] and r1["evidence"]["count"] is None
    assert r1["evidence"]["diagnosis"] is None and set(r1["evidence"]) == set(R1_VALUES)
    assert r1["confidence"] == {"size_mm": 0.91, "count": 0.5}
    assert r2["fields"]["comment"] == HOSTILE[0]                 # JSON keeps text exactly
    assert r3["status"] == "failed" and r3["reason"] == "-The output was not valid JSON"
    assert r4 == {"report": "ct/r4.pdf", "source": "ct/r4.pdf", "status": "skipped",
                  "reason": "The file contains no text", "review": "not reviewed", "comment": None, "fields": {},
                  "evidence": {}, "confidence": {}}
    assert r5["status"] == "not run" and r5["fields"] == {}


def test_extractinator_json(project, task, tmp_path):
    path = export(project, task, tmp_path / "nlp-predictions-dataset.json", shape="extractinator")[0]
    recs = json.loads(path.read_text("utf-8"))
    assert recs[0] == {"uid": "ct/r1.txt", **R1_VALUES, "size_mm": 13.0}
    assert recs[4] == {"uid": "ct/r5.txt", **{f.key: None for f in task.fields}}
    assert len(recs) == 5
    direct = export_extractinator_json(project, task, tmp_path / "direct.json")
    assert json.loads(direct.read_text("utf-8")) == recs


def test_json_and_csv_target_errors(project, task, tmp_path):
    (tmp_path / "out.json").mkdir()
    with pytest.raises(ExportError, match="Cannot write out.json: there is a folder"):
        export(project, task, tmp_path / "out.json")
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(ExportError, match="Cannot write out.csv"):
        export(project, task, tmp_path / "out.csv")
    with pytest.raises(ValueError):
        export(project, task, tmp_path / "x.json", shape="yaml")
    with pytest.raises(TypeError):
        export(project, task, tmp_path / "x.json", colour="red")


def test_json_and_csv_keep_a_flag_and_its_comment(project, task, tmp_path):
    """Issue 14, problem 1, for the other formats: the flag and its comment are part of every export."""
    from core.review import flag

    flag(project, "ct/r2.txt", task.hash(), "check with radiologist", reviewer="dr_b")
    recs = {r["report"]: r for r in json.loads(export_json(project, task, tmp_path / "o.json").read_text("utf-8"))}
    assert (recs["ct/r2.txt"]["review"], recs["ct/r2.txt"]["comment"]) == ("flagged", "check with radiologist")
    (path, _) = export_csv(project, task, tmp_path / "r.csv")
    rows = _read_csv(path, ";")
    by = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    assert (by["ct/r2.txt"]["Review"], by["ct/r2.txt"]["Review comment"]) == ("flagged", "check with radiologist")
