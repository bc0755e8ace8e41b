"""The design card's rules, checked: core never imports Qt; the layers hold; no god modules."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_core_never_imports_qt_and_layers_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    r = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "The core engine never imports Qt or the GUI KEPT" in r.stdout
    assert "Layers: gui -> cli -> api" in r.stdout
    assert "2 kept, 0 broken" in r.stdout


def test_no_module_over_500_lines():
    big = {str(p.relative_to(ROOT)): n for p in list((ROOT / "core").rglob("*.py")) + list((ROOT / "gui").rglob("*.py"))
           if (n := len(p.read_text("utf-8").splitlines())) > 500}
    assert big == {}
