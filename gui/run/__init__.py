"""The run panel (start, pause, cancel, progress, messages)."""
from gui.run.panel import RunPanel

__all__ = ["RunPanel"]
