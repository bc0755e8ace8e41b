"""The Python API: what the CLI does, as plain functions.

>>> from core import api
>>> task = api.load_task("chest_ct_nodules")            # bundled name or a file
>>> summary = api.run(task, "reports/", project="study.abstractor")
>>> api.export("study.abstractor", "results.xlsx")
"""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from core.engine.engine import EngineSettings
from core.models import require_embedded_model
from core.remote.config import ServerConfig
from core.reports import read_dragon_dataset, read_folder, read_path
from core.runner import Progress, RunCallbacks, RunControl, Runner, RunSummary
from core.store.project import Project
from core.task import Task
from core.task_import import TaskFileError, load_task_file


def load_task(name_or_path: str | Path) -> Task:
    """A task from a file (Abstractor or llm_extractinator JSON) or a bundled template name."""
    p = Path(name_or_path)
    if p.is_file():
        return load_task_file(p)
    from core.templates import load_bundled

    try:
        return load_bundled(str(name_or_path))
    except KeyError:
        raise TaskFileError(f"No task file or bundled template called '{name_or_path}'.") from None


def read_reports(source: str | Path) -> list:
    """Reports from a folder, one tabular file, or a DRAGON nlp-test-dataset.json."""
    source = Path(source)
    if source.is_dir():
        return list(read_folder(source))
    if source.is_file():
        if source.suffix == ".json" and source.name.startswith("nlp-"):
            return read_dragon_dataset(source)
        return read_path(source, source.parent)
    raise FileNotFoundError(f"Reports not found: {source}")


def open_project(path: str | Path | None) -> Project:
    if path is None:
        tmp = Path(tempfile.mkdtemp(prefix="abstractor-")) / "run.abstractor"
        return Project(tmp)
    return Project(path)


def run(task: Task, reports: str | Path | None, *, project: str | Path | Project | None = None,
        model: str | Path | None = None, settings: EngineSettings | None = None, which: str = "not_run",
        control: RunControl | None = None, on_progress: Callable[[Progress], None] | None = None,
        on_warning: Callable[[str], None] | None = None, server: ServerConfig | None = None,
        api_key: str | None = None) -> tuple[Project, RunSummary]:
    """Add ``reports`` (if given) to the project and run ``task`` over them.

    With ``server`` (a :class:`core.remote.ServerConfig`) an inference server does the model work
    instead of the in-process engine; ``api_key`` is its key (see :mod:`core.secrets`)."""
    proj = project if isinstance(project, Project) else open_project(project)
    if reports is not None:
        proj.add_reports(read_reports(reports))
    proj.set_current_task(task)
    callbacks = RunCallbacks()
    if on_progress:
        callbacks.progress = on_progress
    if on_warning:
        callbacks.warning = on_warning
    if server is not None:
        from core.remote.runner import RemoteRunner

        return proj, RemoteRunner(proj, task, server, api_key, control=control, callbacks=callbacks).run(which)
    model_path = Path(model) if model else require_embedded_model()
    runner = Runner(proj, task, model_path, settings, control=control, callbacks=callbacks)
    try:
        summary = runner.run(which)
    finally:
        if runner.engine is not None:
            runner.engine.close()
    return proj, summary


def export(project: str | Path | Project, out: str | Path, task: Task | None = None, **options) -> Path:
    from core.export import export as _export

    proj = project if isinstance(project, Project) else Project(project)
    try:
        task = task or proj.current_task()
        if task is None:
            raise ValueError("This project has no task yet: run a task first.")
        _export(proj, task, Path(out), **options)
    finally:
        if proj is not project:  # opened here: closed here
            proj.close()
    return Path(out)
