"""The visual task builder: a tree of fields, a field editor, live checks,
a live preview of the prompt and schema, and "Try on this report".

``TaskBuilder`` is the widget; ``TaskDraft`` (pure Python) holds the task
being edited and ``gui.builder.commands`` holds the undoable edits.
"""
from gui.builder.builder import TaskBuilder
from gui.builder.draft import TaskDraft

__all__ = ["TaskBuilder", "TaskDraft"]
