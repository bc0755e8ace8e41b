from __future__ import annotations

import datetime as dt

import pytest

from core.export import columns, group_columns
from core.export.table import build
from core.review import accept, flag


def test_columns_preview_headers(task):
    cols = columns(task)
    assert cols[:10] == ["Report", "Source file", "Status", "Reason", "Review", "Review comment", "Reviewer",
                         "Review time", "Lowest confidence", "Evidence warnings"]
    assert cols[10:] == [
        "Diagnosis", "Largest diameter (mm)", "Number of nodules", "Metastasis", "Exam date",
        "Sites: liver", "Sites: lung", "Sites: bone", "Findings", "Comment", "Tumour.Grade",
        "Tumour.Margin (mm)", "Target lesions measured on the baseline CT scan (number)"]
    joined = columns(task, multi_choice="joined")
    assert "Sites" in joined and "Sites: liver" not in joined
    assert group_columns(task) == {"lesions": ["Report", "Item", "Location", "Size (mm)"]}
    with pytest.raises(ValueError):
        columns(task, multi_choice="bits")


def test_rows_in_folder_order_with_effective_values(project, task):
    data = build(project, task)
    t = data.results
    rows = {r[0]: dict(zip(t.headers, r)) for r in t.rows}
    assert [r[0] for r in t.rows] == ["ct/r1.txt", "ct/r2.txt", "ct/r3.txt", "ct/r4.pdf", "ct/r5.txt"]
    assert [rows[k]["Status"] for k in rows] == ["ok", "ok", "failed", "skipped", "not run"]
    r1 = rows["ct/r1.txt"]
    assert r1["Largest diameter (mm)"] == 13.0          # the reviewer's value wins
    assert r1["Number of nodules"] == 3 and isinstance(r1["Number of nodules"], int)
    assert r1["Metastasis"] == "yes"
    assert r1["Exam date"] == dt.date(2023, 4, 5)
    assert (r1["Sites: liver"], r1["Sites: lung"], r1["Sites: bone"]) == (1, 0, 1)
    assert r1["Findings"] == "nodule RUL; effusion"
    assert r1["Tumour.Grade"] == "G2" and r1["Tumour.Margin (mm)"] == 1.5
    assert r1["Target lesions measured on the baseline CT scan (number)"] == 2
    assert r1["Review"] == "corrected" and r1["Reviewer"] == "dr_a"     # accepted, with a reviewer value
    assert r1["Lowest confidence"] == 0.5
    assert isinstance(r1["Review time"], dt.datetime) and r1["Review time"].tzinfo is None
    r2 = rows["ct/r2.txt"]
    assert r2["Metastasis"] == "no" and r2["Number of nodules"] == 0
    assert (r2["Sites: liver"], r2["Sites: bone"]) == (0, 0)
    assert r2["Review"] == "not reviewed" and r2["Reviewer"] is None and r2["Review comment"] is None
    assert rows["ct/r3.txt"]["Reason"].endswith("not valid JSON")
    assert rows["ct/r4.pdf"]["Reason"] == "The file contains no text"
    for rid in ("ct/r3.txt", "ct/r4.pdf", "ct/r5.txt"):
        assert rows[rid]["Diagnosis"] is None and rows[rid]["Sites: liver"] is None
    assert data.counts() == {"ok": 2, "failed": 1, "skipped": 1, "not run": 1}


def test_repeating_group_table(project, task):
    (g,) = build(project, task).groups
    assert g.path == "lesions" and g.name.startswith("Target lesions")
    assert g.rows == [["ct/r1.txt", 1, "RUL", 12], ["ct/r1.txt", 2, "liver", 30], ["ct/r2.txt", 1, "@SUM(A1)", 5]]


def test_joined_multi_choice_and_odd_reviewer_values(project, task):
    h = task.hash()
    project.set_review_value("ct/r2.txt", h, "count", "about 4", 0, reviewer="dr_b")
    project.set_review_value("ct/r2.txt", h, "exam_date", "2023-13", None, reviewer="dr_b")
    project.set_review_value("ct/r2.txt", h, "metastasis", "Yes", False, reviewer="dr_b")
    t = build(project, task, multi_choice="joined").results
    rows = {r[0]: dict(zip(t.headers, r)) for r in t.rows}
    assert rows["ct/r1.txt"]["Sites"] == "liver; bone"
    r2 = rows["ct/r2.txt"]
    assert r2["Sites"] == "" and r2["Number of nodules"] == "about 4" and r2["Exam date"] == "2023-13"
    assert r2["Metastasis"] == "yes" and r2["Reviewer"] == "dr_b"


def test_flagged_report_keeps_its_flag_and_comment(project, task):
    """Issue 14, problem 1: a flagged report exported as "ok" with no trace of the flag or its comment."""
    h = task.hash()
    comment = "Diameter 12 mm vs report 14 mm, check with radiologist"
    flag(project, "ct/r2.txt", h, comment, reviewer="dr_b")
    accept(project, "ct/r3.txt", h, reviewer="dr_b")
    t = build(project, task).results
    rows = {r[0]: dict(zip(t.headers, r)) for r in t.rows}
    r2 = rows["ct/r2.txt"]
    assert (r2["Status"], r2["Review"], r2["Review comment"], r2["Reviewer"]) == ("ok", "flagged", comment, "dr_b")
    assert rows["ct/r3.txt"]["Review"] == "accepted"
    assert rows["ct/r5.txt"]["Review"] == "not reviewed"
    assert [c.options for c in t.columns if c.header == "Review"] == [
        ("not reviewed", "accepted", "corrected", "flagged")]


def test_evidence_warning_for_a_value_its_quote_does_not_show(project, task):
    from core.engine.result import Extraction

    h = task.hash()
    run = project.start_run(task, model_path="m", model_name="m", model_size=1, model_sha256="", backend="cpu",
                            settings={}, app_version="0")
    project.save_result(run, h, "ct/r5.txt", Extraction(
        status="ok", values={"size_mm": 12.0, "count": 2}, quotes={"size_mm": "8 mm, unchanged.", "count": "2"}))
    rows = {r[0]: dict(zip(build(project, task).results.headers, r)) for r in build(project, task).results.rows}
    warning = rows["ct/r5.txt"]["Evidence warnings"]
    assert warning.startswith("Largest diameter: The value 12 mm is not the number in its quote")
    assert "Number" not in warning
    # a reviewer's value is the reviewer's word: no warning against the model's quote
    project.set_review_value("ct/r5.txt", h, "size_mm", 12.0, 12.0, reviewer="dr_b")
    rows = {r[0]: dict(zip(build(project, task).results.headers, r)) for r in build(project, task).results.rows}
    assert rows["ct/r5.txt"]["Evidence warnings"] is None
