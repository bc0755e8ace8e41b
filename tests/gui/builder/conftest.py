"""Fixtures for the task builder tests (offscreen Qt)."""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from core.task import Field, FieldType, Option, Task  # noqa: E402


@pytest.fixture
def builder(qtbot):
    from gui.builder import TaskBuilder

    b = TaskBuilder()
    qtbot.addWidget(b)
    b.resize(1400, 820)
    return b


@pytest.fixture
def nested_task() -> Task:
    """A small task with a choice, a number and a repeating group."""
    return Task(name="Liver CT", fields=[
        Field(key="lesion_type", label="Lesion type", type=FieldType.CHOICE,
              options=[Option(value="cyst"), Option(value="metastasis", description="metastase")]),
        Field(key="largest_size", type=FieldType.DECIMAL, unit="mm", minimum=1, maximum=200),
        Field(key="lesions", type=FieldType.GROUP_LIST, fields=[
            Field(key="segment", type=FieldType.INTEGER),
            Field(key="size_mm", type=FieldType.DECIMAL, unit="mm"),
        ]),
        Field(key="remarks", type=FieldType.TEXT),
    ])
