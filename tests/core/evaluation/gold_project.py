"""A project with stored results and a gold spreadsheet, for the evaluation tests (core and GUI).

Real Project, Task and Extraction objects; ``make_task()``, ``fill_project(p, task)`` and
``write_gold_csv(path)``.
"""
from __future__ import annotations

from pathlib import Path

from core.engine.result import Extraction
from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Option, Task

N = 12
HISTOLOGY = ("adenocarcinoma", "squamous", "small cell")


def make_task() -> Task:
    return Task(name="Lung CT", fields=[
        Field(key="metastasis", label="Metastasis", type=FieldType.YES_NO),
        Field(key="histology", label="Histology", type=FieldType.CHOICE,
              options=[Option(value=v) for v in HISTOLOGY]),
        Field(key="size_mm", label="Largest diameter", type=FieldType.DECIMAL, unit="mm"),
        Field(key="sites", label="Sites", type=FieldType.MULTI_CHOICE,
              options=[Option(value="liver"), Option(value="bone")]),
        Field(key="tumour", label="Tumour", type=FieldType.GROUP, fields=[
            Field(key="grade", label="Grade", type=FieldType.CHOICE,
                  options=[Option(value="G1"), Option(value="G2"), Option(value="G3")])]),
        Field(key="lesions", label="Lesions", type=FieldType.GROUP_LIST,
              fields=[Field(key="location", label="Location", type=FieldType.TEXT)]),
    ])


def gold_rows() -> list[list[str]]:
    """Gold for reports 0..9 (10, 11 unlabelled), plus a row naming no report and an unreadable cell."""
    rows = [["file", "Metastasis", "Histology", "Largest diameter", "grade", "Remarks"]]
    for i in range(10):
        rid = f"r{i:05d}.txt" if i % 2 else f"r{i:05d}"          # some by file name, some by stem
        rows.append([rid, "yes" if i < 5 else "no", HISTOLOGY[i % 3], "" if i == 9 else f"{10 + i}",
                     f"G{1 + i % 3}", "checked"])
    rows[4][3] = "abc"                                              # report 3: unreadable size
    rows.append(["not_in_project.txt", "no", "squamous", "5", "G1", ""])
    return rows


def add_reports(p: Project, n: int = N) -> Project:
    p.add_reports([Report.make_ready(f"r{i:05d}.txt", f"r{i:05d}.txt", f"Report {i}\nline two", 20 + i)
                   for i in range(n)])
    return p


def fill_project(p: Project, task: Task) -> Project:
    """Results for every report but r00008 (some answers wrong) and one reviewer correction."""
    h = p.save_task(task)
    run = p.start_run(task, model_path="m.gguf", model_name="m.gguf", model_size=1, model_sha256="0" * 64,
                      backend="cpu", settings={}, app_version="test")
    for i, rid in enumerate(p.report_ids()):
        if i == 8:
            continue                                               # never run: its answers are missing
        values = {"metastasis": i < 4 or i == 7,                     # wrong for 4 (no) and 7 (yes)
                  "histology": HISTOLOGY[i % 3] if i not in (2, 6) else "squamous",
                  "size_mm": 10.0 + i, "sites": ["liver"],
                  "tumour": {"grade": f"G{1 + i % 3}"}, "lesions": []}
        p.save_result(run, h, rid, Extraction(status="ok", values=values, confidence={"metastasis": 0.9}))
    p.finish_run(run, "finished")
    p.set_review_value("r00006.txt", h, "histology", "adenocarcinoma", "squamous", reviewer="dr_a")  # corrected
    return p


def write_gold_csv(path: Path) -> Path:
    path.write_text("\n".join(";".join(r) for r in gold_rows()) + "\n", "utf-8-sig")
    return path
