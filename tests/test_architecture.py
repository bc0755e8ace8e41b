"""The design card's rules, checked: core never imports Qt; the layers hold; no god modules."""
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_core_never_imports_qt_and_layers_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "The core engine never imports Qt or the GUI KEPT" in r.stdout
    assert "Layers: gui -> cli -> api" in r.stdout
    assert "2 kept, 0 broken" in r.stdout


def test_every_core_module_sits_in_a_layer():
    """A module the layers contract does not name is not checked by it: each new module or
    package directly under core/ must be placed in a layer (pyproject.toml)."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"]
    layers = next(c["layers"] for c in contracts if c["type"] == "layers")
    named = {m.strip("() ") for layer in layers for m in re.split(r"[:|]", layer)}
    modules = {f"core.{p.stem}" for p in (ROOT / "core").glob("*.py") if p.stem != "__init__"}
    modules |= {f"core.{p.parent.name}" for p in (ROOT / "core").glob("*/__init__.py")}
    assert modules - named == set()


def test_no_module_over_500_lines():
    big = {str(p.relative_to(ROOT)): n for p in list((ROOT / "core").rglob("*.py")) + list((ROOT / "gui").rglob("*.py"))
           if (n := len(p.read_text("utf-8").splitlines())) > 500}
    assert big == {}
