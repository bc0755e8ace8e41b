"""Abstractor's engine: pure Python, no Qt."""
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("abstractor")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
