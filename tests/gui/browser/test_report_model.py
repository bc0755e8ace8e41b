"""The report table model, its filter proxy, lazy loading and statuses."""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from core.engine.result import Extraction
from core.review import accept, flag
from gui.browser.model import COL_STATUS, PAGE, ReportTableModel, human_size
from gui.browser.proxy import ReportFilterProxy


def _store(project, task, report_id, status="ok", reason=None):
    run = project.start_run(task, model_path="m.gguf", model_name="m", model_size=1, model_sha256="x",
                            backend="CPU", settings={}, app_version="test")
    project.save_result(run, task.hash(), report_id, Extraction(status=status, reason=reason))
    return run


def _task():
    from core.templates import demo_task

    return demo_task()


def test_modeltester_with_statuses(qtmodeltester, make_project):
    project = make_project(7, skipped=2)
    task = _task()
    project.set_current_task(task)
    _store(project, task, "r00001.txt")
    _store(project, task, "r00002.txt", "failed", "The answer was not valid")
    accept(project, "r00003.txt", task.hash())
    flag(project, "r00004.txt", task.hash(), "size unclear")
    model = ReportTableModel()
    model.set_project(project, task.hash())
    qtmodeltester.check(model)
    statuses = [model.index(r, COL_STATUS).data() for r in range(model.rowCount())]
    assert statuses == ["not run", "extracted", "failed", "reviewed", "flagged", "not run", "not run",
                        "skipped", "skipped"]
    tip = lambda r: model.index(r, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)  # noqa: E731
    assert tip(2) == "The answer was not valid"
    assert "size unclear" in tip(4)
    assert tip(7) == "Unsupported file type .doc"


def test_modeltester_on_proxy(qtmodeltester, make_project):
    project = make_project(30, skipped=3)
    model = ReportTableModel()
    model.set_project(project)
    proxy = ReportFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    def search(words):
        proxy.set_search(words, project.report_ids_containing(words))

    search("R0001")
    assert proxy.rowCount() == 10  # r00010 … r00019
    search("")
    proxy.set_status("skipped")
    assert proxy.rowCount() == 3
    search("s1")
    assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == ["s1.doc"]
    proxy.set_status("")
    search("")
    assert proxy.rowCount() == 33
    qtmodeltester.check(proxy)


def test_lazy_loading_in_pages(qtmodeltester, make_project):
    project = make_project(PAGE * 2 + 7)
    model = ReportTableModel()
    model.set_project(project)
    assert model.rowCount() == PAGE            # the first page at once
    assert model.total() == PAGE * 2 + 7
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE * 2
    model.fetch_all()
    assert model.rowCount() == PAGE * 2 + 7
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_reports_added_while_loading(make_project):
    from core.reports import Report

    project = make_project(3)
    model = ReportTableModel()
    model.set_project(project)
    assert model.rowCount() == 3
    project.add_reports([Report.make_ready("new.txt", "new.txt", "x", 1)])
    model.reports_added()
    assert model.rowCount() == 4 and model.total() == 4


def test_refresh_status_live(qtbot, make_project):
    project = make_project(3)
    task = _task()
    model = ReportTableModel()
    model.set_project(project, task.hash())
    _store(project, task, "r00001.txt")
    with qtbot.wait_signal(model.dataChanged) as blocker:
        model.refresh_status("r00001.txt")
    assert blocker.args[0].row() == 1 and blocker.args[0].column() == COL_STATUS
    assert model.index(1, COL_STATUS).data() == "extracted"
    flag(project, "r00001.txt", task.hash(), "check")
    model.refresh_status("r00001.txt")
    assert model.status("r00001.txt") == "flagged"


def test_human_size():
    assert human_size(12) == "12 B"
    assert human_size(2048) == "2.0 KB"
    assert human_size(50 * 1024 * 1024) == "50 MB"
