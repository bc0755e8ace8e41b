"""Start-up time: from a fresh Python process to a usable main window (no model).

The first start after installing compiles the modules' bytecode and reads
Qt's libraries from disk; the start that counts is the usual one after it,
so the script runs twice and the second time is recorded.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from core.bench.record import Measurement

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import time, sys
t0 = time.perf_counter()
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication(["abstractor"])
from gui.settings import Settings
from gui.app import create_window
settings = Settings(QSettings(sys.argv[1], QSettings.Format.IniFormat))
w = create_window([], settings, load_model=False)
app.processEvents()
t = time.perf_counter() - t0
loaded = sorted(m for m in ("llama_cpp", "gguf", "gui.review", "gui.builder") if m in sys.modules)
w.shutdown()
print(f"STARTUP {t:.3f} {','.join(loaded)}")
"""


def start_once(folder: Path) -> tuple[float, list[str]]:
    """Seconds to a usable window in a new process, and which heavy modules it had loaded."""
    env = dict(os.environ, ABSTRACTOR_DATA_DIR=str(folder / "data"))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = subprocess.run([sys.executable, "-c", SCRIPT, str(folder / "settings.ini")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    line = next((x for x in out.stdout.splitlines() if x.startswith("STARTUP")), None)
    if out.returncode != 0 or line is None:
        raise RuntimeError(f"the start-up script failed: {out.stderr[-2000:]}")
    _, seconds, *loaded = line.split()
    return float(seconds), (loaded[0].split(",") if loaded else [])


def measure_startup() -> Measurement:
    with tempfile.TemporaryDirectory() as tmp:
        start_once(Path(tmp))                      # compiles bytecode, warms the disk cache
        seconds, loaded = start_once(Path(tmp))
    return Measurement("startup_to_window_s", seconds, "s", 4.0, note="target 2 s; without the model",
                       details={"heavy_modules_loaded": loaded})
