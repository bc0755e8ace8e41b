"""Start-up: command line and the model chosen at start (time to a usable window: gui/bench)."""
from __future__ import annotations

from gui.app import initial_model_path, parse_args


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
