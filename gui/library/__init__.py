"""The task library: bundled templates and the user's own tasks."""
from gui.library.entries import LibraryEntry, load_entries
from gui.library.model import TaskLibraryModel
from gui.library.panel import TaskLibrary

__all__ = ["LibraryEntry", "TaskLibrary", "TaskLibraryModel", "load_entries"]
