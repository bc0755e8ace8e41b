"""Abstractor's engine: pure Python, no Qt."""
from core.locations import app_version

__version__ = app_version()
