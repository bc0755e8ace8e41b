"""Opening folders and projects: where the project file goes, background reading."""
from __future__ import annotations

import pytest

from gui.workspace import Workspace, WorkspaceError, demo_project_path, project_path_for


def _folder(tmp_path, n=3, name="CT 2024"):
    d = tmp_path / name
    d.mkdir()
    for i in range(n):
        (d / f"r{i}.txt").write_text(f"report {i}", "utf-8")
    return d


def test_project_file_lives_beside_the_folder(tmp_path):
    folder = _folder(tmp_path)
    assert project_path_for(folder) == tmp_path / "CT 2024.abstractor"


def test_read_only_parent_uses_the_user_data_folder(tmp_path, user_data, monkeypatch):
    folder = _folder(tmp_path)
    monkeypatch.setattr("gui.workspace.os.access", lambda path, mode: False)  # a read-only share
    path = project_path_for(folder)
    assert path.parent == user_data / "projects" and path.suffix == ".abstractor"
    assert path.name.startswith("ct_2024-")


def test_demo_project_in_user_data(user_data):
    assert demo_project_path() == user_data / "demo" / "demo.abstractor"


def test_open_folder_reads_in_background_and_reopens(qtbot, tmp_path):
    folder = _folder(tmp_path, 7)
    ws = Workspace()
    with qtbot.wait_signal(ws.loading_finished, timeout=10000) as blocker:
        project = ws.open_folder(folder)
    assert blocker.args == [7, 0]
    assert project.report_count() == 7
    assert project.get_meta("source_folder") == str(folder.resolve())
    ws.close()
    (folder / "new.txt").write_text("another", "utf-8")
    with qtbot.wait_signal(ws.loading_finished, timeout=10000) as blocker:
        project = ws.open_project(tmp_path / "CT 2024.abstractor")
    assert blocker.args == [1, 0]  # the new file only
    assert project.report_count() == 8
    ws.close()


def test_project_without_its_folder_still_opens(qtbot, tmp_path):
    folder = _folder(tmp_path, 2)
    ws = Workspace()
    with qtbot.wait_signal(ws.loading_finished, timeout=10000):
        ws.open_folder(folder)
    ws.close()
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    with qtbot.wait_signal(ws.message) as blocker:
        project = ws.open_project(tmp_path / "CT 2024.abstractor")
    assert "not available" in blocker.args[0]
    assert project.report_count() == 2 and not ws.is_loading()
    ws.close()


def test_clear_errors(tmp_path):
    ws = Workspace()
    with pytest.raises(WorkspaceError, match="not a folder"):
        ws.open_folder(tmp_path / "missing")
    bad = tmp_path / "bad.abstractor"
    bad.write_text("this is not a database " * 100, "utf-8")
    with pytest.raises(WorkspaceError, match="not an Abstractor project"):
        ws.open_project(bad)
    with pytest.raises(WorkspaceError, match="does not exist"):
        ws.open_project(tmp_path / "nothing.abstractor")
    assert ws.project is None


def test_opening_a_folder_says_where_the_project_is_stored(qtbot, tmp_path):
    folder = _folder(tmp_path, 2)
    ws = Workspace()
    said: list[str] = []
    ws.message.connect(said.append)
    with qtbot.wait_signal(ws.loading_finished, timeout=10000):
        ws.open_folder(folder)
    path = tmp_path / "CT 2024.abstractor"
    assert any(f"stored in {path}" in m and m.startswith("New project") for m in said)
    ws.close()


def test_a_read_only_share_stores_the_project_in_the_data_folder_and_says_so(qtbot, tmp_path, user_data,
                                                                              monkeypatch):
    folder = _folder(tmp_path, 2)
    monkeypatch.setattr("gui.workspace.os.access", lambda path, mode: False)  # a read-only share
    ws = Workspace()
    said: list[str] = []
    ws.message.connect(said.append)
    with qtbot.wait_signal(ws.loading_finished, timeout=10000):
        project = ws.open_folder(folder)
    assert not (tmp_path / "CT 2024.abstractor").exists()       # nothing written beside the folder
    assert project.path.parent == user_data / "projects"
    note = next(m for m in said if "cannot be written" in m)
    assert "your data folder" in note and str(project.path) in note
    ws.close()
