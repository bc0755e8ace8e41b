"""``abstractor --version``: version, llama.cpp backend, and the licence of every bundled part."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.about import THIRD_PARTY_FILE, components, licenses_dir, notice_path, version_text
from core.locations import app_version

ROOT = Path(__file__).resolve().parents[2]


def test_every_part_has_a_licence_and_its_text_is_shipped(model_path):
    parts = {c.name.split(" (")[0]: c for c in components()}
    assert parts["Qt"].licence == "LGPL-3.0" and "relink" in parts["Qt"].note.lower()
    assert parts["llama.cpp"].licence == "MIT"
    assert parts["Abstractor"].licence == "Apache-2.0" and parts["Abstractor"].version == app_version()
    model = next(c for c in components() if c.notice == "SmolLM2-LICENSE.txt")
    assert model.licence == "Apache-2.0"
    for c in components():
        if c.notice != THIRD_PARTY_FILE:  # written by the installer build
            assert notice_path(c).is_file(), c
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (licenses_dir() / "LGPL-3.0.txt").read_text("utf-8")
    assert "Permission is hereby granted" in (licenses_dir() / "llama.cpp-MIT.txt").read_text("utf-8")
    assert "Apache License" in notice_path(model).read_text("utf-8")


def test_version_text_names_version_backend_and_licences():
    text = version_text(backend="Metal")
    assert text.splitlines()[0] == f"abstractor {app_version()}"
    assert "llama.cpp backend: Metal" in text
    assert "LGPL-3.0" in text and "MIT" in text and "Apache-2.0" in text


def test_the_cli_prints_the_backend_this_build_runs_on():
    out = subprocess.run([sys.executable, "-m", "core.cli", "--version"], cwd=ROOT, capture_output=True, text=True,
                         timeout=300, check=True).stdout
    from core.engine.engine import detect_backend

    assert out.startswith(f"abstractor {app_version()}\n")
    assert f"llama.cpp backend: {detect_backend()}\n" in out
