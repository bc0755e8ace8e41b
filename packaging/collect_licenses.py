"""Write the licence notices of every Python package the bundle carries.

    python packaging/collect_licenses.py [OUT]     (default: build/licenses/third-party.txt)

The packages are Abstractor's run-time requirements (with the ``gui``
extra), followed transitively through the installed metadata, plus Python
itself.  For each: name, version, declared licence, and the text of every
licence/notice file its distribution ships.  The installer build bundles the
result as ``resources/licenses/third-party.txt``, which the About dialog and
``abstractor --version`` point to.
"""
from __future__ import annotations

import re
import sys
import sysconfig
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
LICENSE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)
ROOT_DIST = "abstractor"
ROOT_EXTRAS = {"gui"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def runtime_dists() -> list:
    """The installed distributions Abstractor (with its GUI) needs, sorted by name."""
    seen: dict[str, object] = {}
    todo = [(ROOT_DIST, ROOT_EXTRAS)]
    while todo:
        name, extras = todo.pop()
        key = _norm(name)
        if key in seen:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue  # an optional dependency for another platform
        seen[key] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            env_ok = any(req.marker is None or req.marker.evaluate({"extra": e}) for e in (extras or {""}))
            if env_ok and (req.marker is None or "extra" not in str(req.marker) or extras):
                todo.append((req.name, set(req.extras)))
    seen.pop(_norm(ROOT_DIST), None)
    return sorted(seen.values(), key=lambda d: _norm(d.metadata["Name"]))


def declared_licence(dist) -> str:
    md = dist.metadata
    expr = md.get("License-Expression")
    if expr:
        return expr
    lic = (md.get("License") or "").strip()
    if lic and "\n" not in lic and len(lic) < 80:
        return lic
    classifiers = [c.split("::")[-1].strip() for c in md.get_all("Classifier") or [] if c.startswith("License ::")]
    return ", ".join(classifiers) or "see the text below"


def licence_texts(dist) -> list[tuple[str, str]]:
    out = []
    for f in dist.files or []:
        if LICENSE_FILE.search(str(f)):
            path = Path(dist.locate_file(f))
            if path.is_file():
                out.append((str(f), path.read_text("utf-8", errors="replace")))
    return out


def python_licence() -> str:
    path = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
    return path.read_text("utf-8", errors="replace") if path.is_file() else (
        "Python Software Foundation License Version 2: https://docs.python.org/3/license.html")


def write(out: Path) -> Path:
    dists = runtime_dists()
    parts = ["Abstractor: licences of the bundled third-party software",
             "=" * 60, "",
             f"Python {sys.version.split()[0]}: PSF-2.0", ""]
    parts += [f"  {d.metadata['Name']} {d.version}: {declared_licence(d)}" for d in dists]
    parts += ["", "Qt/PySide6 (LGPL-3.0): see LGPL-3.0.txt, GPL-3.0.txt and Qt-relinking.md.",
              "llama.cpp (MIT): see llama.cpp-MIT.txt.", ""]
    parts += ["=" * 60, f"Python {sys.version.split()[0]}", "=" * 60, python_licence(), ""]
    for d in dists:
        parts += ["=" * 60, f"{d.metadata['Name']} {d.version} ({declared_licence(d)})", "=" * 60]
        texts = licence_texts(d)
        if not texts:
            parts.append(f"(no licence file shipped; declared licence: {declared_licence(d)})")
        for name, text in texts:
            parts += [f"--- {name}", text.rstrip(), ""]
        parts.append("")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "licenses" / "third-party.txt"
    print(f"[licences] {write(target)}: {len(runtime_dists())} packages", file=sys.stderr)
