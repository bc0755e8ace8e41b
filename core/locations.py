"""Where Abstractor's own files are: a source tree, an installed package, or a frozen bundle.

Everything that reads a bundled file (task templates, demo reports, the
embedded model, licence notices, the version) finds it through
:func:`resources_dir` or :func:`bundle_root`; nothing else builds paths from
``__file__``.  In a PyInstaller bundle the files sit under ``sys._MEIPASS``
(the ``_internal`` folder next to the executable, or ``Contents/Resources``
in a macOS app); from source they sit in the repository root.

The install folder is read-only as far as the app is concerned: settings,
projects and caches go to the user's folders (platformdirs, QSettings).
"""
from __future__ import annotations

import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DIST_NAME = "abstractor"
UNKNOWN_VERSION = "0.0.0+unknown"


def is_frozen() -> bool:
    """True inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def bundle_root() -> Path:
    """The folder holding ``core/``'s siblings: ``resources/`` and ``pyproject.toml``."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]  # set by PyInstaller's bootloader
    return Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    """The bundled resources: ``tasks/``, ``demo/``, ``models/``, ``licenses/``."""
    return bundle_root() / "resources"


def app_version() -> str:
    """Abstractor's version; its one source is ``pyproject.toml``.

    Read from the installed package's metadata (the frozen bundle carries it
    too); where there is none (a source tree that was never installed, or a
    bundle built without it) from the ``pyproject.toml`` beside the code,
    which the bundle also carries.
    """
    try:
        return version(DIST_NAME)
    except PackageNotFoundError:
        pass
    try:
        with (bundle_root() / "pyproject.toml").open("rb") as f:
            return str(tomllib.load(f)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return UNKNOWN_VERSION
