from __future__ import annotations

import datetime as dt
import os

import openpyxl
import pytest

from core.export import ExportError, export, export_xlsx
from export_sample import HOSTILE


def _open(path):
    return openpyxl.load_workbook(path)


def _table(ws, header_row=1):
    rows = list(ws.iter_rows(min_row=header_row))
    headers = [c.value for c in rows[0]]
    return headers, {r[0].value: dict(zip(headers, r)) for r in rows[1:]}


def _validation_columns(ws):
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.min_col] = dv
    return out


def test_results_sheet_typed_cells(project, task, tmp_path):
    path = export_xlsx(project, task, tmp_path / "results.xlsx")
    wb = _open(path)
    assert wb.sheetnames[:2] == ["Results", "Target lesions measured on the"]
    assert {"Corrections", "Task", "Run"} <= set(wb.sheetnames)
    ws = wb["Results"]
    headers, rows = _table(ws)
    assert headers[:3] == ["Report", "Source file", "Status"] and "Largest diameter (mm)" in headers
    assert all(ws.cell(1, i).font.bold for i in range(1, len(headers) + 1))
    r1 = rows["ct/r1.txt"]
    assert r1["Largest diameter (mm)"].value == 13.0 and r1["Largest diameter (mm)"].data_type == "n"
    assert r1["Number of nodules"].value == 3 and isinstance(r1["Number of nodules"].value, int)
    d = r1["Exam date"]
    assert d.is_date and d.value.date() == dt.date(2023, 4, 5) and d.number_format == "yyyy-mm-dd"
    assert r1["Metastasis"].value == "yes" and rows["ct/r2.txt"]["Metastasis"].value == "no"
    assert (r1["Sites: liver"].value, r1["Sites: lung"].value) == (1, 0)
    assert r1["Review time"].is_date
    assert rows["ct/r5.txt"]["Status"].value == "not run" and rows["ct/r5.txt"]["Diagnosis"].value is None
    assert rows["ct/r4.pdf"]["Status"].value == "skipped"
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(headers))}6"
    assert ws.column_dimensions["A"].width >= len("ct/r1.txt")


def test_choice_and_yes_no_columns_have_validation(project, task, tmp_path):
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    ws = wb["Results"]
    headers = [c.value for c in ws[1]]
    dvs = _validation_columns(ws)
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert dvs[col["Metastasis"]].type == "list" and dvs[col["Metastasis"]].formula1 == '"yes,no"'
    assert dvs[col["Tumour.Grade"]].formula1 == '"G1,G2,G3"'
    # an option with a comma cannot go inline: the list lives on the hidden Lists sheet
    diag = dvs[col["Diagnosis"]]
    assert diag.type == "list" and "Lists" in diag.formula1 and diag.formula1.endswith("!$A$1:$A$3")
    lists = wb["Lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["A"]] == ["adenocarcinoma", "squamous", "other, unspecified"]
    assert dvs[col["Sites: liver"]].type == "whole"
    assert col["Comment"] not in dvs and col["Largest diameter (mm)"] not in dvs
    assert all(dv.showErrorMessage for dv in dvs.values())


def test_no_formula_cells_for_hostile_text(project, task, tmp_path):
    h = task.hash()
    project.set_review_value("ct/r1.txt", h, "comment", "@SUM(A1)", "stable", reviewer="=cmd|'/C calc'!A0")
    project.set_review_value("ct/r2.txt", h, "findings", ["\tX", "\rY"], HOSTILE[1:3], reviewer="dr_b")
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.add(c.value)
                    if c.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        assert c.quotePrefix, (ws.title, c.coordinate)
    assert HOSTILE[0] in texts                                    # comment on r2
    assert 'ct/=HYPERLINK("http://x","y").txt' in texts          # a source file name
    assert "@SUM(A1)" in texts and "=cmd|'/C calc'!A0" in texts
    assert "+1; -2+3" in texts and "-The output was not valid JSON" in texts
    _, rows = _table(wb["Results"])
    assert rows["ct/r2.txt"]["Findings"].value == "\tX; \rY"


def test_control_characters_are_replaced_not_fatal(project, task, tmp_path):
    project.set_review_value("ct/r1.txt", task.hash(), "comment", "page\x0cbreak\x00end\x1b", "stable")
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    _, rows = _table(wb["Results"])
    assert rows["ct/r1.txt"]["Comment"].value == "page break\ufffdend\ufffd"


def test_repeating_group_sheet(project, task, tmp_path):
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    ws = wb["Target lesions measured on the"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Report", "Item", "Location", "Size (mm)"]
    assert rows[1:] == [["ct/r1.txt", 1, "RUL", 12], ["ct/r1.txt", 2, "liver", 30], ["ct/r2.txt", 1, "@SUM(A1)", 5]]
    assert ws["C4"].data_type == "s" and ws["C4"].quotePrefix


def test_group_sheet_names_unique_and_short(project, task, tmp_path):
    from core.task import Field, FieldType
    t = task.model_copy(deep=True)
    t.fields.append(Field(key="more", label="Target lesions measured on the baseline CT scan [2]",
                          type=FieldType.GROUP_LIST, fields=[Field(key="x", type=FieldType.TEXT)]))
    t.fields.append(Field(key="run", label="Run", type=FieldType.GROUP_LIST, fields=[Field(key="x")]))
    names = _open(export_xlsx(project, t, tmp_path / "r.xlsx")).sheetnames
    assert len(names) == len(set(n.lower() for n in names))
    assert all(len(n) <= 31 for n in names)
    assert "Target lesions measured on (2)" in names and "Run (2)" in names and "Run" in names


def test_corrections_task_and_run_sheets(project, task, tmp_path):
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    corr = [[c.value for c in r] for r in wb["Corrections"].iter_rows()]
    assert corr[0] == ["Report", "Field", "Key", "Model value", "Reviewer value", "Reviewer", "Time"]
    assert len(corr) == 2      # the confirmed (unchanged) count is not a correction
    assert corr[1][:6] == ["ct/r1.txt", "Largest diameter", "size_mm", 12.5, 13, "dr_a"]   # numbers, not text
    assert isinstance(corr[1][6], dt.datetime)

    ws = wb["Task"]
    lead = {r[0].value: r[1].value for r in ws.iter_rows(max_row=5)}
    assert lead["Task"] == "Lung CT" and lead["Task version"] == task.hash()
    headers, rows = _table(ws, header_row=7)
    assert headers == ["Path", "Label", "Type", "Description", "Options", "Unit", "Minimum", "Maximum",
                       "May be absent"]
    assert rows["diagnosis"]["Options"].value == "adenocarcinoma: glandular; squamous; other, unspecified"
    assert rows["size_mm"]["Unit"].value == "mm" and rows["size_mm"]["Maximum"].value == 300
    assert rows["tumour.grade"]["Type"].value == "Single choice"
    assert rows["lesions.size_mm"]["May be absent"].value == "yes"

    run = [[c.value for c in r] for r in wb["Run"].iter_rows()]
    assert run[0] == ["Run", "Model file", "Size (bytes)", "SHA-256", "Backend", "App version", "Started", "Ended",
                      "State", "Runs on", "Endpoint"]
    assert run[1][1:5] == ["m.gguf", 1234, "ab" * 32, "cpu"] and run[1][8] == "finished"
    assert run[1][9:11] == ["this computer", None]
    assert isinstance(run[1][6], dt.datetime)
    settings = {r[0]: r[1] for r in run[3:] if r and r[0]}
    assert settings["Setting"] == "Run 1" and settings["Context size (tokens)"] == 4096
    counts = {r[0]: r[1] for r in run[3:] if r and r[0]}
    assert counts["ok"] == 2 and counts["failed"] == 1 and counts["skipped"] == 1 and counts["not run"] == 1
    assert counts["reviewed"] == 1 and counts["flagged"] == 0 and counts["total"] == 5


def test_target_is_a_folder(project, task, tmp_path):
    target = tmp_path / "results.xlsx"
    target.mkdir()
    with pytest.raises(ExportError, match="Cannot write results.xlsx"):
        export_xlsx(project, task, target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.abstractor", "p.abstractor-shm",
                                                           "p.abstractor-wal", "results.xlsx"]


def test_locked_target_keeps_old_file(project, task, tmp_path, monkeypatch):
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old")

    def locked(src, dst):  # what Windows does while Excel has the file open
        raise PermissionError(13, "The process cannot access the file", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportError) as err:
        export(project, task, target)
    assert str(err.value) == ("Cannot write results.xlsx: the file is open in another program (Excel?). "
                              "Close it and try again.")
    assert target.read_bytes() == b"old"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_missing_folder_and_unknown_suffix(project, task, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        export_xlsx(project, task, tmp_path / "nope" / "results.xlsx")
    with pytest.raises(ExportError, match=r"\.xlsx, \.csv or \.json"):
        export(project, task, tmp_path / "results.ods")


def test_export_replaces_existing_file(project, task, tmp_path):
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old")
    assert export(project, task, target, multi_choice="joined") == [target]
    headers = [c.value for c in _open(target)["Results"][1]]
    assert "Sites" in headers


def _corrections(wb):
    rows = [[c for c in r] for r in wb["Corrections"].iter_rows()]
    return {(r[0].value, r[2].value): r for r in rows[1:]}


def test_corrections_are_typed_and_empty_stays_empty(project, task, tmp_path):
    """Issue 14: model and reviewer value as typed cells; never "(empty)" as text for an empty value."""
    h = task.hash()
    project.set_review_value("ct/r2.txt", h, "exam_date", "2023-05-06", None, reviewer="dr_b")
    project.set_review_value("ct/r2.txt", h, "count", None, 0, reviewer="dr_b")
    project.set_review_value("ct/r2.txt", h, "metastasis", True, False, reviewer="dr_b")
    project.set_review_value("ct/r2.txt", h, "sites", ["lung"], [], reviewer="dr_b")
    corr = _corrections(_open(export_xlsx(project, task, tmp_path / "results.xlsx")))
    date = corr[("ct/r2.txt", "exam_date")]
    assert date[3].value is None and date[4].is_date and date[4].value.date() == dt.date(2023, 5, 6)
    count = corr[("ct/r2.txt", "count")]
    assert count[3].value == 0 and count[3].data_type == "n" and count[4].value is None
    assert [corr[("ct/r2.txt", "metastasis")][i].value for i in (3, 4)] == ["no", "yes"]
    assert [corr[("ct/r2.txt", "sites")][i].value for i in (3, 4)] == [None, "lung"]
    texts = [c.value for r in corr.values() for c in r]
    assert "(empty)" not in texts


def test_run_settings_are_readable_rows_without_contradictions(project, task, tmp_path):
    """Issue 14: the Run sheet showed a JSON blob with gpu_layers 0 beside n_gpu_layers -1, and
    max_output_tokens 0 where the task's limit (1024) applied."""
    # what the runner stores for a CPU run with the default settings
    stored = {"n_ctx": 2048, "n_threads": 0, "n_gpu_layers": -1, "n_batch": 256, "temperature": 0.0, "seed": 1234,
              "max_output_tokens": 0, "fast_forward": False, "reuse_prefix": True, "force_tokens": True,
              "think_budget": 1024, "gpu_layers": 0, "chat_template": "gguf"}
    run = project.start_run(task, model_path="/m.gguf", model_name="m.gguf", model_size=1, model_sha256="",
                            backend="CPU", settings=stored, app_version="0.1.0")
    project.finish_run(run, "finished")
    rows = [[c.value for c in r] for r in _open(export_xlsx(project, task, tmp_path / "r.xlsx"))["Run"].iter_rows()]
    start = next(i for i, r in enumerate(rows) if r[0] == "Setting")
    assert rows[start][:3] == ["Setting", "Run 1", f"Run {run}"]
    block = {r[0]: r[2] for r in rows[start + 1:] if r[0]}
    assert block["Layers on the GPU"] == 0 and block["CPU threads"] == "all cores"
    assert block["Longest answer (tokens)"] == task.options.max_output_tokens == 1024
    assert block["Context size (tokens)"] == 2048 and block["Reuse the shared start of the prompt"] == "yes"
    cells = [str(c) for r in rows for c in r if c is not None]
    assert not [c for c in cells if "n_gpu_layers" in c or "max_output_tokens" in c or c.startswith("{")]


def test_printing_landscape_fit_to_width_with_repeated_headers(project, task, tmp_path):
    """Issue 14: 12 rows printed on 23 pages."""
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    for ws in wb.worksheets:
        if ws.sheet_state == "hidden":
            continue
        ps = ws.page_setup
        assert (ps.orientation, ps.fitToWidth, ps.fitToHeight) == ("landscape", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == ("$7:$7" if ws.title == "Task" else "$1:$1"), ws.title
    task_sheet = wb["Task"]
    _, rows = _table(task_sheet, header_row=7)
    assert rows["diagnosis"]["Options"].alignment.wrap_text and rows["diagnosis"]["Label"].alignment.wrap_text


def test_review_column_and_confidence_cells(project, task, tmp_path):
    h = task.hash()
    from core.review import flag

    flag(project, "ct/r2.txt", h, "check with radiologist", reviewer="dr_b")
    wb = _open(export_xlsx(project, task, tmp_path / "results.xlsx"))
    ws = wb["Results"]
    headers, rows = _table(ws)
    col = {h: i + 1 for i, h in enumerate(headers)}
    dv = _validation_columns(ws)[col["Review"]]
    assert dv.type == "list" and dv.formula1 == '"not reviewed,accepted,corrected,flagged"' and dv.showErrorMessage
    r2 = rows["ct/r2.txt"]
    assert (r2["Review"].value, r2["Review comment"].value) == ("flagged", "check with radiologist")
    conf = rows["ct/r1.txt"]["Lowest confidence"]
    assert conf.value == 0.5 and conf.number_format == "0%"
    assert rows["ct/r3.txt"]["Lowest confidence"].value is None     # failed: no confidence to show
