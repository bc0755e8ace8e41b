"""The task library as plain data: bundled templates and the user's own tasks.

Pure Python (no Qt): the Qt model in :mod:`gui.library.model` only adapts
this list.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.task import Task

BUNDLED = "bundled"
USER = "user"
KIND_LABELS = {BUNDLED: "Template", USER: "My task"}


@dataclass
class LibraryEntry:
    task: Task
    kind: str                 # BUNDLED | USER
    path: Path | None = None  # the user task's file; the template file for bundled ones

    @property
    def title(self) -> str:
        return self.task.name

    @property
    def editable_file(self) -> bool:
        return self.kind == USER

    def field_count(self) -> int:
        return sum(1 for _ in self.task.walk())


def load_entries() -> list[LibraryEntry]:
    """Bundled templates first (sorted by name), then the user's tasks."""
    from core.templates import TASKS_DIR, bundled_tasks, user_tasks

    bundled = [LibraryEntry(t, BUNDLED, TASKS_DIR / f"{stem}.json") for stem, t in bundled_tasks()]
    bundled.sort(key=lambda e: e.title.casefold())
    return bundled + [LibraryEntry(t, USER, p) for p, t in user_tasks()]


def copy_name(name: str, taken: set[str]) -> str:
    """``"Copy of X"``, then ``"Copy of X (2)"``… avoiding names in *taken*."""
    base = name if name.startswith("Copy of ") else f"Copy of {name}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base} ({n})", n + 1
    return candidate
