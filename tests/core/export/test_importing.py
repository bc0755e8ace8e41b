"""Importing a reviewed spreadsheet (issue 14, the Excel round trip): edit the export with openpyxl, import."""
from __future__ import annotations

import openpyxl
import pytest

from core.export import export_xlsx
from core.export.importing import ImportRejected, import_review
from core.review import ReviewStatus, load_state

COMMENT = "Diameter 12 mm vs report 14 mm, check with radiologist"


def _edit(path, edits: dict[tuple[str, str], object], sheet="Results", extra_rows=()):
    """Set cells by (report, header) on the Results sheet, as a user would in Excel."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (rid, header), value in edits.items():
        ws.cell(rows[rid], headers.index(header) + 1).value = value
    for row in extra_rows:
        ws.append(row)
    wb.save(path)
    return path


def _results(path):
    ws = openpyxl.load_workbook(path)["Results"]
    headers = [c.value for c in ws[1]]
    return {r[0].value: {h: c.value for h, c in zip(headers, r)} for r in ws.iter_rows(min_row=2)}


def _snapshot(project, task):
    h = task.hash()
    return ({rid: (st.review_status, st.comment, st.values) for rid, st in
             ((r, load_state(project, r, h)) for r in project.report_ids())}, len(project.review_events(h)))


def test_round_trip_values_review_and_comment(project, task, tmp_path):
    path = export_xlsx(project, task, tmp_path / "reviewed.xlsx")
    _edit(path, {("ct/r2.txt", "Diagnosis"): "squamous", ("ct/r2.txt", "Largest diameter (mm)"): 14,
                 ("ct/r2.txt", "Review"): "flagged", ("ct/r2.txt", "Review comment"): COMMENT,
                 ("ct/r1.txt", "Sites: lung"): 1, ("ct/r1.txt", "Tumour.Grade"): "G3",
                 ("ct/r1.txt", "Exam date"): "06-05-2023",
                 ("ct/r3.txt", "Status"): "ok"})            # an information column: not read
    summary = import_review(project, path, reviewer="registry")
    assert (summary.values_changed, summary.corrected, summary.flagged, summary.accepted) == (
        5, ["ct/r1.txt", "ct/r2.txt"], ["ct/r2.txt"], [])
    assert summary.text() == ("Imported reviewed.xlsx: 5 values changed in 2 reports, 0 reports accepted, "
                              "1 flagged; 3 reports unchanged.")
    h = task.hash()
    r1, r2 = load_state(project, "ct/r1.txt", h), load_state(project, "ct/r2.txt", h)
    assert r1.value("sites") == ["liver", "lung", "bone"] and r1.value("tumour") == {"grade": "G3", "margin_mm": 1.5}
    assert r1.value("exam_date") == "2023-05-06" and r1.review_status is ReviewStatus.CORRECTED
    assert r2.value("diagnosis") == "squamous" and r2.value("size_mm") == 14.0
    assert (r2.review_status, r2.comment, r2.reviews["size_mm"].reviewer) == (ReviewStatus.FLAGGED, COMMENT,
                                                                               "registry")
    events = [e for e in project.review_events(h) if e["source"]]
    assert {e["source"] for e in events} == {"imported from reviewed.xlsx"} and len(events) == 6

    again = _results(export_xlsx(project, task, tmp_path / "again.xlsx"))
    assert (again["ct/r2.txt"]["Review"], again["ct/r2.txt"]["Review comment"]) == ("flagged", COMMENT)
    assert again["ct/r2.txt"]["Diagnosis"] == "squamous" and again["ct/r2.txt"]["Largest diameter (mm)"] == 14
    corr = [[c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "again.xlsx")["Corrections"].iter_rows()]
    assert ["ct/r2.txt", "Diagnosis", "diagnosis", "other, unspecified", "squamous", "registry"] in [
        r[:6] for r in corr]
    # importing the unchanged re-export changes nothing
    before = _snapshot(project, task)
    assert import_review(project, tmp_path / "again.xlsx").values_changed == 0
    assert _snapshot(project, task) == before


def test_invalid_cells_reject_the_whole_import(project, task, tmp_path):
    path = export_xlsx(project, task, tmp_path / "reviewed.xlsx")
    _edit(path, {("ct/r2.txt", "Comment"): "a valid change that must not be stored",
                 ("ct/r1.txt", "Diagnosis"): "adenocarcinom", ("ct/r2.txt", "Largest diameter (mm)"): 400,
                 ("ct/r2.txt", "Number of nodules"): 2.5, ("ct/r2.txt", "Review"): "done",
                 ("ct/r1.txt", "Sites: bone"): 2},
          extra_rows=[["ct/r9.txt"]])
    before = _snapshot(project, task)
    with pytest.raises(ImportRejected) as err:
        import_review(project, path)
    problems = err.value.problems
    assert problems == [
        "Row 2 (ct/r1.txt), Diagnosis: 'adenocarcinom' is not an option; choose one of: adenocarcinoma, "
        "squamous, other, unspecified",
        "Row 2 (ct/r1.txt), Sites: bone: '2' must be 1 (chosen) or 0 (not chosen)",
        "Row 3 (ct/r2.txt), Largest diameter (mm): 400 is out of range: the value must be between 0 and 300 mm",
        "Row 3 (ct/r2.txt), Number of nodules: 2.5 is not a whole number",
        "Row 3 (ct/r2.txt), Review: 'done' is not a review; choose one of: not reviewed, accepted, corrected, "
        "flagged",
        "Row 7 (ct/r9.txt): this project has no report of that name"]
    assert str(err.value).startswith("reviewed.xlsx was not imported, and nothing changed. Fix these 6 problems")
    assert _snapshot(project, task) == before


def test_reopen_accept_and_review_rules(project, task, tmp_path):
    path = export_xlsx(project, task, tmp_path / "reviewed.xlsx")
    _edit(path, {("ct/r1.txt", "Review"): "not reviewed", ("ct/r2.txt", "Review"): "accepted",
                 ("ct/r2.txt", "Review comment"): "fine"})
    summary = import_review(project, path)
    h = task.hash()
    assert summary.reopened == ["ct/r1.txt"] and summary.accepted == ["ct/r2.txt"]
    assert load_state(project, "ct/r1.txt", h).review_status is ReviewStatus.NOT_REVIEWED
    assert load_state(project, "ct/r1.txt", h).value("size_mm") == 13.0       # the correction stays
    r2 = load_state(project, "ct/r2.txt", h)
    assert (r2.review_status, r2.comment) == (ReviewStatus.ACCEPTED, "fine")

    path = export_xlsx(project, task, tmp_path / "second.xlsx")
    _edit(path, {("ct/r3.txt", "Review comment"): "no review given", ("ct/r4.pdf", "Review"): "accepted",
                 ("ct/r5.txt", "Review"): "accepted"})
    with pytest.raises(ImportRejected) as err:
        import_review(project, path)
    assert [p.split(":")[0] for p in err.value.problems] == [
        "Row 4 (ct/r3.txt), Review comment", "Row 5 (ct/r4.pdf)", "Row 6 (ct/r5.txt), Review"]


def test_changed_repeating_group_sheet_is_rejected(project, task, tmp_path):
    path = export_xlsx(project, task, tmp_path / "reviewed.xlsx")
    wb = openpyxl.load_workbook(path)
    wb["Target lesions measured on the"]["D2"].value = 15
    wb.save(path)
    with pytest.raises(ImportRejected, match="Sheet 'Target lesions measured on the': items of a repeating group"):
        import_review(project, path)


def test_a_failure_while_storing_leaves_nothing(project, task, tmp_path, monkeypatch):
    import core.export.importing as importing

    path = export_xlsx(project, task, tmp_path / "reviewed.xlsx")
    _edit(path, {("ct/r2.txt", "Diagnosis"): "squamous", ("ct/r2.txt", "Review"): "flagged"})
    before = _snapshot(project, task)

    def broken_flag(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(importing, "flag", broken_flag)
    with pytest.raises(OSError):
        import_review(project, path)
    assert _snapshot(project, task) == before


def test_sheet_for_another_task_version_is_rejected(project, task, tmp_path):
    path = export_xlsx(project, task, tmp_path / "reviewed.xlsx")
    other = task.model_copy(update={"name": "Other"})
    with pytest.raises(ImportRejected, match="exported for another version of the task"):
        import_review(project, path, task=other)
    (tmp_path / "notes.xlsx").write_text("not a workbook")
    with pytest.raises(ImportRejected, match="cannot be read as an Excel workbook"):
        import_review(project, tmp_path / "notes.xlsx")
