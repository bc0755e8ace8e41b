"""The questions about the task the user sees: unsaved edits, and a saved task that changes a project.

* Start with unsaved edits in the task editor: "Save and run / Run the saved
  task / Cancel", so a run never silently uses another task than the one
  the user sees (:meth:`TaskEdits.confirm_run`).
* Quit with unsaved edits: "Save / Discard changes / Cancel"
  (:meth:`TaskEdits.may_quit`).
* Saving a changed task while the version in use has results or reviews:
  use the new version (the previous version keeps its results, shown again
  from *Task › Versions in this project*) or keep the previous version in
  the project (:meth:`TaskEdits.use_saved_version`).  Nothing is deleted
  either way.

Kept apart from :mod:`gui.main_window` like :mod:`gui.window_actions`; the
window calls these from its slots.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.task import Task
from gui.dialogs.choice import ask_choice

if TYPE_CHECKING:
    from gui.main_window import MainWindow


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


class TaskEdits:
    def __init__(self, window: MainWindow):
        self.w = window

    def _editor_name(self) -> str:
        return self.w.builder.task().name or "New task"

    def confirm_run(self) -> bool:
        """Before a run starts (the run panel's start check).  True: the run may start.

        With unsaved edits in the task editor: save them and run with them, run
        the task as last saved, or cancel.
        """
        w = self.w
        if not w.builder.is_modified():
            return True
        choices = [("save", "Save and run")]
        details = "“Save and run” saves the edits to your tasks and runs the task as it is in the editor."
        if w.task is not None:
            choices.append(("saved", "Run the saved task"))
            details += (f" “Run the saved task” runs “{w.task.name}” as it was last saved; the edits stay "
                        f"in the editor, not saved.")
        choices.append(("cancel", "Cancel"))
        choice = ask_choice(w, "Start run", f"The task “{self._editor_name()}” has changes that are not saved.",
                            choices, default="save", escape="cancel", details=details)
        if choice == "saved":
            return True
        if choice != "save":
            return False
        problems = w.builder.problems()
        if problems:
            w.tabs.setCurrentWidget(w.builder)
            w.inform("Start run", "The task can't be saved yet, so the run did not start:\n" + "\n".join(problems))
            return False
        edited = w.builder.task()
        if w.builder.save() is None:   # the editor says why (for example, the tasks folder is read-only)
            w.tabs.setCurrentWidget(w.builder)
            return False
        # the save made it current, unless the user kept the previous version for this project
        return w.task is not None and w.task.hash() == edited.hash()

    def may_quit(self) -> bool:
        """On quit with unsaved task edits: save them, discard them, or stay."""
        w = self.w
        if not w.builder.is_modified():
            return True
        choice = ask_choice(w, "Quit Abstractor", f"The task “{self._editor_name()}” has changes that are not saved.",
                            [("save", "Save"), ("discard", "Discard changes"), ("cancel", "Cancel")],
                            default="save", escape="cancel",
                            details="“Save” saves the task to your tasks before quitting.")
        if choice == "discard":
            return True
        if choice == "save":
            if w.builder.save() is not None:
                return True
            w.inform("Quit Abstractor", "The task can't be saved yet:\n" + "\n".join(w.builder.problems()))
        w.tabs.setCurrentWidget(w.builder)
        return False

    def use_saved_version(self, task: Task) -> bool:
        """Whether a task just saved becomes the project's task.

        Asks when the version in use has results or reviews in the project.
        Nothing is deleted either way: results and reviews stay stored with the
        version they were made under (*Task › Versions in this project*).
        """
        w = self.w
        if w.project is None or w.task is None or task.hash() == w.task.hash():
            return True
        try:
            old = w.project.task_version(w.task.hash())
        except KeyError:
            return True
        if old.empty:
            return True
        text = (f"{_plural(old.results, 'report')} {'has' if old.results == 1 else 'have'} results from the "
                f"version of “{w.task.name}” in use")
        reviewed = max(old.decided, old.corrected)
        text += f", {reviewed:,} of them reviewed or flagged." if reviewed else "."
        details = ("Use the new version: these results and reviews are kept, stored with the previous version "
                   "(Task › Versions in this project shows them again, to review or export). Under the new "
                   "version the reports are “not run” until you run them.\n\n"
                   "Keep the previous version: the new version is saved in your tasks; this project goes on "
                   "using the previous version and its results.")
        choice = ask_choice(w, "Task changed", text, [("new", "Use the new version"),
                                                       ("keep", "Keep the previous version")],
                            default="new", escape="keep", details=details)
        return choice == "new"
