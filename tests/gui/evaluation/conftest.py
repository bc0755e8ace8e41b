"""A project with stored results and a gold spreadsheet (see tests/core/evaluation/gold_project.py)."""
from __future__ import annotations

import pytest

from core.task import Task
from tests.core.evaluation.gold_project import N, fill_project, make_task, write_gold_csv


@pytest.fixture
def task() -> Task:
    return make_task()


@pytest.fixture
def project(make_project, task):
    return fill_project(make_project(N), task)


@pytest.fixture
def gold_csv(tmp_path):
    return write_gold_csv(tmp_path / "gold.csv")
