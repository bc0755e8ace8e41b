"""One function finds the bundled files, from source and from a frozen bundle; the version has one source."""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

import core.locations as loc

ROOT = Path(__file__).resolve().parents[2]


def pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def test_from_source_the_resources_are_the_repositorys(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert not loc.is_frozen()
    assert loc.resources_dir() == ROOT / "resources"
    assert (loc.resources_dir() / "tasks" / "chest_ct_nodules.json").is_file()


def test_in_a_frozen_bundle_everything_comes_from_meipass(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delenv("ABSTRACTOR_EMBEDDED_MODEL", raising=False)
    assert loc.is_frozen()
    assert loc.resources_dir() == tmp_path / "resources"
    from core.models import embedded_model_path, models_dir

    assert models_dir() == tmp_path / "resources" / "models"
    assert embedded_model_path().parent == tmp_path / "resources" / "models"


def test_template_and_dragon_folders_are_under_the_one_resources_dir():
    from core import templates
    from core.evaluation import dragon_tasks

    assert templates.TASKS_DIR == loc.resources_dir() / "tasks"
    assert templates.demo_reports_dir() == loc.resources_dir() / "demo" / "reports"
    assert dragon_tasks.TASKS_DIR == loc.resources_dir() / "tasks" / "dragon"


def test_the_version_is_pyprojects():
    import core

    assert loc.app_version() == pyproject_version() == core.__version__


def test_without_package_metadata_the_bundled_pyproject_gives_the_version(monkeypatch, tmp_path):
    from importlib.metadata import PackageNotFoundError

    def no_metadata(name):
        raise PackageNotFoundError(name)

    monkeypatch.setattr(loc, "version", no_metadata)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert loc.app_version() == loc.UNKNOWN_VERSION
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "abstractor"\nversion = "9.8.7"\n')
    assert loc.app_version() == "9.8.7"


@pytest.mark.parametrize("module", ["core/templates.py", "core/models/__init__.py", "core/evaluation/dragon_tasks.py",
                                    "core/about.py", "core/selftest.py"])
def test_no_other_module_builds_resource_paths_from_its_own_file(module):
    text = (ROOT / module).read_text("utf-8")
    assert "__file__" not in text
