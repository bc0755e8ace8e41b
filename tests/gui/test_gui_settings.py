"""Options declared once with defaults; typed round trips through QSettings."""
from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from gui.settings import OPTIONS, PREFERENCES, RECENT_LIMIT, Settings


def test_defaults(settings):
    assert settings.preferences() == {"n_ctx": 0, "n_gpu_layers": -1, "n_threads": 0, "temperature": 0.0,
                                      "seed": 1234, "max_output_tokens": 0, "max_report_tokens": 32768, "parallel": 0,
                                      "evidence": True}
    assert settings.recent_models() == [] and settings.recent_projects() == []
    assert settings.get("window_geometry").isEmpty()
    assert set(PREFERENCES) <= set(OPTIONS)


def test_round_trip_through_an_ini_file(tmp_path):
    path = str(tmp_path / "s.ini")
    s = Settings(QSettings(path, QSettings.Format.IniFormat))
    s.set("temperature", 0.7)
    s.set("seed", 99)
    s.set("evidence", False)
    s.set("n_gpu_layers", 12)
    s.set("window_state", QByteArray(b"\x00\x01state"))
    s.add_recent_project("/a/one.abstractor")
    s.sync()
    again = Settings(QSettings(path, QSettings.Format.IniFormat))
    assert again.get("temperature") == 0.7 and again.get("seed") == 99
    assert again.get("evidence") is False and again.get("n_gpu_layers") == 12
    assert bytes(again.get("window_state")) == b"\x00\x01state"
    assert again.recent_projects() == ["/a/one.abstractor"]


def test_recent_lists_are_most_recent_first_and_bounded(settings):
    for i in range(RECENT_LIMIT + 3):
        settings.add_recent_model(f"/m/{i}.gguf")
    settings.add_recent_model("/m/5.gguf")
    recent = settings.recent_models()
    assert recent[0] == "/m/5.gguf" and len(recent) == RECENT_LIMIT and recent.count("/m/5.gguf") == 1
    settings.add_recent_project("/p/a.abstractor")
    settings.forget_recent_project("/p/a.abstractor")
    assert settings.recent_projects() == []


def test_out_of_range_and_garbage_fall_back(settings):
    settings.qsettings.setValue("temperature", "warm")
    settings.qsettings.setValue("seed", "-5")
    assert settings.get("temperature") == 0.0
    assert settings.get("seed") == 0  # clamped to the declared minimum


def test_engine_settings(settings):
    from core.engine.engine import EngineSettings

    s = settings.engine_settings()
    assert s.n_ctx == EngineSettings().n_ctx  # 0 = automatic: the runner sizes it
    settings.set("n_ctx", 8192)
    settings.set("temperature", 0.2)
    settings.set("max_output_tokens", 512)
    settings.set("max_report_tokens", 0)
    s = settings.engine_settings()
    assert (s.n_ctx, s.temperature, s.max_output_tokens, s.seed, s.n_gpu_layers) == (8192, 0.2, 512, 1234, -1)
    assert s.max_report_tokens == 0  # "No limit"
