"""``abstractor export``: a stored project's results to .csv, .xlsx or .json, in one line of
output, and one-line errors for what the user can fix."""
from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from core.cli import main
from core.engine.result import Extraction
from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Option, Task

TASK = Task(name="Nodules", fields=[
    Field(key="size_mm", type=FieldType.DECIMAL, unit="mm"),
    Field(key="sites", type=FieldType.MULTI_CHOICE, options=[Option(value=v) for v in ("lung", "liver", "bone")]),
])


@pytest.fixture
def project_file(tmp_path):
    """r1 read and corrected by a reviewer, r2 failed, r3 not yet run."""
    path = tmp_path / "study.abstractor"
    p = Project(path)
    p.add_reports([Report.make_ready(f"r{i}.txt", f"r{i}.txt", f"Report {i}", 10) for i in (1, 2, 3)])
    h = p.set_current_task(TASK)
    run = p.start_run(TASK, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="test")
    p.save_result(run, h, "r1.txt", Extraction(status="ok", values={"size_mm": 8.0, "sites": ["lung", "bone"]}))
    p.save_result(run, h, "r2.txt", Extraction(status="failed", reason="The answer did not finish"))
    p.finish_run(run, "finished")
    p.set_review_value("r1.txt", h, "size_mm", 9.5, 8.0, reviewer="dr_a")
    p.close()
    return path


def test_csv_has_one_row_per_report_with_the_reviewers_values(project_file, tmp_path, capsys):
    out = tmp_path / "results.csv"
    assert main(["export", "--project", str(project_file), "--out", str(out)]) == 0
    assert capsys.readouterr().err.strip() == f"wrote {out}"
    text = out.read_text("utf-8-sig")
    rows = {r["Report"]: r for r in csv.DictReader(text.splitlines(), delimiter=";")}
    assert set(rows) == {"r1.txt", "r2.txt", "r3.txt"}
    assert rows["r1.txt"]["Size mm (mm)"] == "9.5"                      # the correction, not the model's 8.0
    assert (rows["r1.txt"]["Sites: lung"], rows["r1.txt"]["Sites: liver"], rows["r1.txt"]["Sites: bone"]) == \
        ("1", "0", "1")
    assert rows["r2.txt"]["Status"] == "failed" and rows["r2.txt"]["Size mm (mm)"] == ""
    assert rows["r3.txt"]["Size mm (mm)"] == ""


def test_xlsx_with_joined_multiple_choice(project_file, tmp_path):
    out = tmp_path / "results.xlsx"
    assert main(["export", "--project", str(project_file), "--out", str(out), "--multi-choice", "joined"]) == 0
    wb = openpyxl.load_workbook(out, read_only=True)       # read-only: holds the file until closed
    try:
        rows = list(wb["Results"].iter_rows(values_only=True))
    finally:
        wb.close()
    head = list(rows[0])
    r1 = next(r for r in rows[1:] if r[0] == "r1.txt")
    assert "Sites" in head and not any(str(h).startswith("Sites:") for h in head)   # one column, not three
    assert r1[head.index("Sites")] == "lung; bone"
    assert r1[head.index("Size mm (mm)")] == 9.5


def test_json_records(project_file, tmp_path):
    out = tmp_path / "results.json"
    assert main(["export", "--project", str(project_file), "--out", str(out)]) == 0
    records = {r["report"]: r for r in json.loads(out.read_text("utf-8"))}
    assert records["r1.txt"]["status"] == "ok" and records["r1.txt"]["fields"]["size_mm"] == 9.5
    assert records["r2.txt"]["status"] == "failed" and records["r2.txt"]["reason"] == "The answer did not finish"


def test_problems_are_one_line_and_status_1(project_file, tmp_path, capsys):
    cases = [
        (["--project", str(tmp_path / "missing.abstractor"), "--out", str(tmp_path / "x.csv")], "Project not found"),
        (["--project", str(project_file), "--out", str(tmp_path / "x.txt")], "choose a file ending in .xlsx"),
    ]
    empty = Project(tmp_path / "empty.abstractor")
    empty.close()
    cases.append((["--project", str(tmp_path / "empty.abstractor"), "--out", str(tmp_path / "x.csv")],
                  "no task yet"))
    for args, words in cases:
        assert main(["export", *args]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("abstractor: ") and words in err[0], err
    assert not (tmp_path / "missing.abstractor").exists()              # nothing is created by a typo
