"""Shared fixtures.  The embedded model is part of the set-up: tests that
need it fail (not skip) when it is missing, so CI cannot pass without it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]  # tests/test_shared_data.py runs the fixtures below in a tree without ../shared

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def model_path() -> Path:
    from core.models import embedded_model_path

    p = embedded_model_path()
    if not p.is_file():
        pytest.fail(f"embedded model missing at {p}: run packaging/setup.sh")
    return p


@pytest.fixture(scope="session")
def dragon_dir() -> Path:
    d = SHARED / "dragon"
    if not d.is_dir():
        pytest.fail(f"DRAGON reference data missing at {d}")
    return d


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Keep tests out of the real user's data and cache folders."""
    base = tmp_path_factory.getbasetemp() / "userdirs"
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(base / "state"))   # the log file
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
