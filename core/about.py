"""What this copy of Abstractor is: its version, the llama.cpp backend, and every bundled part's licence.

One source for ``abstractor --version`` and the About dialog
(:mod:`gui.dialogs.about`).  The licence texts are files under
``resources/licenses/``; ``third-party.txt`` there is written by the
installer build (``packaging/collect_licenses.py``) and lists every Python
package the bundle carries.
"""
from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from core.locations import app_version, is_frozen, resources_dir

THIRD_PARTY_FILE = "third-party.txt"


@dataclass(frozen=True)
class Component:
    """One bundled part: what it is, its version, its licence and the file holding the licence text."""

    name: str
    version: str
    licence: str
    notice: str            # file name under resources/licenses/
    note: str = ""         # what the user may do or must know (for example: how to relink Qt)


def licenses_dir() -> Path:
    return resources_dir() / "licenses"


def _dist_version(*names: str) -> str:
    for name in names:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "not installed"


def llama_backend() -> str:
    """Where llama.cpp runs in this build on this computer: CPU, CUDA, Metal, ...

    A CUDA build on a computer without a usable NVIDIA GPU reports CPU: it falls back to it.
    """
    from core.engine.engine import detect_backend

    return detect_backend()


def components() -> list[Component]:
    from core.models import EMBEDDED_MODEL_NAME, embedded_model_path

    model = embedded_model_path()
    qt = _dist_version("PySide6-Essentials", "PySide6")
    parts = [
        Component("Abstractor", app_version(), "Apache-2.0", "Apache-2.0.txt"),
        Component("Qt (through PySide6)", qt, "LGPL-3.0", "LGPL-3.0.txt",
                  "Qt and PySide6 are loaded as separate shared libraries; you may replace them with "
                  "your own build of the same Qt version. How: Qt-relinking.md."),
        Component("llama.cpp (through llama-cpp-python)", _dist_version("llama_cpp_python", "llama-cpp-python"),
                  "MIT", "llama.cpp-MIT.txt"),
        Component("llguidance", _dist_version("llguidance"), "MIT", THIRD_PARTY_FILE),
        Component("Python", platform.python_version(), "PSF-2.0", THIRD_PARTY_FILE),
    ]
    if model.is_file():
        parts.append(Component(EMBEDDED_MODEL_NAME, "", "Apache-2.0", "SmolLM2-LICENSE.txt",
                               f"HuggingFaceTB SmolLM2-135M-Instruct ({model.name}); for demonstrations "
                               "and tests only."))
    parts.append(Component("Other Python packages", "", "BSD, MIT, Apache-2.0, ... (each in the file)",
                           THIRD_PARTY_FILE,
                           "numpy, pydantic, openpyxl, scikit-learn and the rest, each with its licence text."))
    return parts


def notice_path(component: Component) -> Path:
    """The file with the component's licence text (the model's sits next to the model)."""
    if component.notice == "SmolLM2-LICENSE.txt":
        from core.models import models_dir

        return models_dir() / component.notice
    return licenses_dir() / component.notice


def version_text(backend: str | None = None) -> str:
    """What ``abstractor --version`` prints: version, backend, and one line per bundled part."""
    backend = llama_backend() if backend is None else backend
    where = "installed bundle" if is_frozen() else "Python package"
    lines = [f"abstractor {app_version()}",
             f"llama.cpp backend: {backend}",
             f"running as: {where} ({platform.system()} {platform.machine()})",
             "bundled parts and their licences:"]
    for c in components():
        ver = f" {c.version}" if c.version else ""
        path = notice_path(c)
        missing = "" if path.is_file() else ", not in this copy: the installer build writes it"
        lines.append(f"  {c.name}{ver}: {c.licence} ({path}{missing})")
    return "\n".join(lines)
