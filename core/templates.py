"""Bundled task templates, the demo reports, and the user's own saved tasks.

Bundled templates are JSON task files in ``resources/tasks/`` (the
``dragon/`` subfolder belongs to :mod:`core.evaluation.dragon_tasks` and is
not listed here).  The demo is a folder of synthetic chest CT reports in
``resources/demo/reports/`` with gold labels in
``resources/demo/chest_ct_gold.csv`` for the ``chest_ct_nodules`` template.

User tasks live in ``<user data dir>/tasks`` (platformdirs
``user_data_dir("abstractor")``; the environment variable
``ABSTRACTOR_DATA_DIR`` replaces the data dir, e.g. for tests or a portable
install).
"""
from __future__ import annotations

import logging
import os
import re
import unicodedata
from pathlib import Path

from platformdirs import user_data_dir

from core.locations import resources_dir
from core.task import Task
from core.task_import import TaskFileError, load_task_file

log = logging.getLogger(__name__)

RESOURCES_DIR = resources_dir()  # source tree or frozen bundle (core.locations)
TASKS_DIR = RESOURCES_DIR / "tasks"
DEMO_DIR = RESOURCES_DIR / "demo"
DEMO_TASK_NAME = "chest_ct_nodules"
DEMO_GOLD_FILE = "chest_ct_gold.csv"
DATA_DIR_ENV = "ABSTRACTOR_DATA_DIR"


# ---------------------------------------------------------------------------
# bundled templates
# ---------------------------------------------------------------------------
def bundled_task_files() -> list[Path]:
    """The bundled template files (top level of ``resources/tasks``), sorted by stem."""
    return sorted(TASKS_DIR.glob("*.json"), key=lambda p: p.stem)


def bundled_tasks() -> list[tuple[str, Task]]:
    """``(stem, task)`` for every bundled template, sorted by stem."""
    return [(p.stem, load_task_file(p)) for p in bundled_task_files()]


def bundled_names() -> list[str]:
    return [p.stem for p in bundled_task_files()]


def load_bundled(name: str) -> Task:
    """Load a bundled template by its file stem, e.g. ``"chest_ct_nodules"``."""
    path = TASKS_DIR / f"{name}.json"
    if not name or Path(name).name != name or not path.is_file():
        raise KeyError(f"No bundled task template {name!r}; available: {', '.join(bundled_names())}")
    return load_task_file(path)


# ---------------------------------------------------------------------------
# demo
# ---------------------------------------------------------------------------
def demo_dir() -> Path:
    return DEMO_DIR


def demo_reports_dir() -> Path:
    """Folder of synthetic chest CT reports (``ct_thorax_01.txt`` ...)."""
    return DEMO_DIR / "reports"


def demo_gold_file() -> Path:
    """Gold labels for the demo reports (``;``-separated CSV, column ``report`` = file name)."""
    return DEMO_DIR / DEMO_GOLD_FILE


def demo_task() -> Task:
    """The task that goes with the demo reports (the chest CT nodules template)."""
    return load_bundled(DEMO_TASK_NAME)


# ---------------------------------------------------------------------------
# user tasks
# ---------------------------------------------------------------------------
def user_data_root() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(user_data_dir("abstractor"))


def user_tasks_dir() -> Path:
    """Folder for the user's own task files; created when missing."""
    d = user_data_root() / "tasks"
    d.mkdir(parents=True, exist_ok=True)
    return d


def user_tasks() -> list[tuple[Path, Task]]:
    """``(path, task)`` for every readable task file in :func:`user_tasks_dir`, sorted by file name.

    Files that cannot be read as a task are skipped (and logged), so one bad
    file never hides the others.
    """
    out: list[tuple[Path, Task]] = []
    for path in sorted(user_tasks_dir().glob("*.json"), key=lambda p: p.name.casefold()):
        try:
            out.append((path, load_task_file(path)))
        except TaskFileError as exc:
            log.warning("Skipping user task file %s: %s", path, exc)
    return out


_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def slugify(name: str, max_len: int = 60) -> str:
    """A file-name-safe slug: ``"Chest CT – nodules (v2)"`` -> ``"chest_ct_nodules_v2"``."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = _SLUG_DROP.sub("_", s).strip("_")[:max_len].strip("_")
    return s or "task"


def _same_task(path: Path, task: Task) -> bool:
    try:
        return load_task_file(path).hash() == task.hash()
    except TaskFileError:
        return False


def save_user_task(task: Task, replace: Path | None = None) -> Path:
    """Save ``task`` in :func:`user_tasks_dir` under a slug of its name and return the path.

    ``replace``: a file in the user's tasks folder this task is a new version of
    (the builder saving the same task again); it is overwritten.  Otherwise an
    existing file holding the same task is reused, and a file holding a
    different task is never overwritten: a numeric suffix is added instead
    (``name_2.json``, ``name_3.json``, ...).
    """
    folder = user_tasks_dir()
    if replace is not None and Path(replace).resolve().parent == folder.resolve():
        task.save(Path(replace))
        return Path(replace)
    slug = slugify(task.name)
    n = 1
    while True:
        path = folder / (f"{slug}.json" if n == 1 else f"{slug}_{n}.json")
        if not path.exists():
            break
        if _same_task(path, task):
            return path
        n += 1
    task.save(path)
    return path
