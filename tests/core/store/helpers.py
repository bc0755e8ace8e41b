"""A small project for the store and review tests: three reports and one skipped file, one task."""
from __future__ import annotations

from pathlib import Path

from core.engine.result import Extraction
from core.reports import Report
from core.store.project import Project
from core.task import Field, FieldType, Task

TASK = Task(name="t", fields=[Field(key="size", type=FieldType.DECIMAL), Field(key="lobe", type=FieldType.TEXT)])


def reports(n: int = 3) -> list[Report]:
    return [Report(id=f"r{i}.txt", source=f"r{i}.txt", text=f"report {i}", status="ready", reason=None, size=8)
            for i in range(n)] + [Report(id="bad.pdf", source="bad.pdf", text="", status="skipped",
                                         reason="The PDF has no text layer", size=10)]


def start_run(p: Project, task: Task = TASK) -> int:
    return p.start_run(task, model_path="/m.gguf", model_name="m.gguf", model_size=1, model_sha256="abc",
                       backend="CPU", settings={"n_ctx": 2048}, app_version="test")


def project_with_reports(path: Path) -> tuple[Project, str]:
    p = Project(path)
    p.add_reports(reports())
    return p, p.save_task(TASK)


def store(p: Project, h: str, report_id: str, **values: object) -> None:
    """A new run that reads one report with *values*."""
    p.save_result(start_run(p), h, report_id, Extraction(status="ok", values=dict(values)))
