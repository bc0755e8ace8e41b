"""Start-up: command line, the model chosen at start, time to a usable window."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from gui.app import initial_model_path, parse_args

ROOT = Path(__file__).resolve().parents[2]

STARTUP_SCRIPT = r"""
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


def test_parse_args():
    assert parse_args([]) == (False, None)
    assert parse_args(["--demo"]) == (True, None)
    assert parse_args(["/data/ct", "--demo"]) == (True, "/data/ct")


def test_initial_model_is_the_last_used_else_the_demo(settings, tmp_path, model_path):
    assert initial_model_path(settings) == (str(model_path), None)
    mine = tmp_path / "mine.gguf"
    mine.write_bytes(b"GGUF")
    settings.set("model_path", str(mine))
    assert initial_model_path(settings) == (str(mine), None)
    mine.unlink()
    path, note = initial_model_path(settings)
    assert path == str(model_path) and "mine.gguf was not found" in note


def test_window_is_usable_quickly(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ABSTRACTOR_DATA_DIR=str(tmp_path / "data"))
    # The first start after installing compiles the modules' bytecode and reads Qt's libraries from
    # disk (5 s seen on a fresh clone); the start that counts is the usual one, after that.
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", STARTUP_SCRIPT, str(tmp_path / "s.ini")], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=120)
    line = [x for x in out.stdout.splitlines() if x.startswith("STARTUP")]
    assert line, out.stderr[-2000:]
    seconds = float(line[0].split()[1])
    print(f"\nstart-up to a usable window: {seconds:.2f} s (without the model); modules: {line[0].split()[2:]}")
    assert seconds < 4.0  # target 2 s; 4 s bound for busy CI machines
