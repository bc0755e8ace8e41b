"""'Try on this report': with a stand-in engine host, and with the real embedded model."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from core.engine.result import Extraction
from core.engine.engine import EngineSettings
from core.task import Field, FieldType, Option, Task
from core.templates import load_bundled
from gui.builder.try_panel import NOT_STATED, format_value

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

REPORT = """CT THORAX
Verslag: In de rechterbovenkwab een solide nodus van 9 mm. Verder geen pulmonale haarden.
Conclusie: solitaire solide nodus van 9 mm rechterbovenkwab."""


class FakeWorker(QObject):
    model_loading = Signal(str)
    model_loaded = Signal(dict)
    model_failed = Signal(str)
    run_started = Signal(int, int)
    run_finished = Signal(object)
    tried = Signal(object)
    try_failed = Signal(str)

    def __init__(self):
        super().__init__()
        self.engine = None


class FakeHost(QObject):
    def __init__(self):
        super().__init__()
        self.worker = FakeWorker()
        self.busy = False
        self.calls = []
        self.cancelled = 0

    def try_task(self, task, text):
        self.calls.append((task, text))

    def cancel(self):
        self.cancelled += 1


def test_format_value_in_plain_words():
    assert format_value(None) == NOT_STATED
    assert format_value(True) == "Yes" and format_value(False) == "No"
    assert format_value(9.0) == "9" and format_value(8.5) == "8.5"
    assert format_value(["a", "b"]) == "a; b"
    assert format_value([{"segment": 4, "size_mm": None}]) == "1. segment: 4, size_mm: —"
    group = Field(key="lesions", type=FieldType.GROUP_LIST, fields=[
        Field(key="segment", label="Liver segment"), Field(key="size_mm")])
    assert format_value([{"segment": 4, "size_mm": 12.5}, {"segment": 7, "size_mm": None}], group) == (
        "1. Liver segment: 4, Size mm: 12.5\n2. Liver segment: 7, Size mm: —")
    assert format_value([]) == "none"


def test_try_waits_for_model_report_and_a_valid_task(qtbot, builder):
    panel = builder.try_panel
    host = FakeHost()
    builder.set_task(load_bundled("chest_ct_nodules"))
    assert not panel.try_button.isEnabled() and "needs a model" in panel.reason_not_ready()
    builder.set_engine_host(host)
    assert "loading" in panel.reason_not_ready()
    host.worker.model_loaded.emit({})
    assert "Select a report" in panel.reason_not_ready()
    builder.set_report("ct_01", REPORT)
    assert panel.reason_not_ready() is None and panel.try_button.isEnabled()
    host.busy = True
    host.worker.run_started.emit(1, 10)
    assert "busy with a run" in panel.try_button.toolTip() and not panel.try_button.isEnabled()
    host.busy = False
    host.worker.run_finished.emit(None)
    builder.select_field("lobe")
    builder.editor.options.view.setCurrentIndex(builder.editor.options.model.index(0, 0))
    for _ in range(5):
        builder.editor.options.remove_button.click()
    assert "Fix the problems" in panel.reason_not_ready()
    builder.undo_action.trigger()
    assert panel.try_button.isEnabled()


def test_try_is_a_queued_call_with_a_busy_indicator(qtbot, builder):
    host = FakeHost()
    host.worker.engine = object()          # a model is already loaded
    builder.set_task(load_bundled("chest_ct_nodules"))
    builder.set_engine_host(host)
    builder.set_report("ct_01", REPORT)
    builder.show()
    panel = builder.try_panel
    qtbot.mouseClick(panel.try_button, Qt.MouseButton.LeftButton)
    assert host.calls == [(builder.task(), REPORT)]
    assert panel.busy_bar.isVisible() and panel.stop_button.isVisible()
    assert not panel.try_button.isEnabled()
    panel.stop_button.click()
    assert host.cancelled == 1
    ex = Extraction(status="ok", values={"nodule_present": True, "largest_diameter_mm": 9.0, "lobe":
                    "right upper lobe", "solidity": None},
                    quotes={"nodule_present": "solide nodus", "largest_diameter_mm": "9 mm",
                            "lobe": "rechterbovenkwab", "solidity": None},
                    confidence={"nodule_present": 0.98, "largest_diameter_mm": 0.91, "lobe": 0.3,
                                "solidity": 1.0},
                    warnings={"largest_diameter_mm": ["outside the plausible range"]})
    host.worker.tried.emit(ex)
    assert not panel.busy_bar.isVisible() and panel.try_button.isEnabled()
    t = panel.table
    rows = [[t.item(r, c).text() for c in range(4)] for r in range(t.rowCount())]
    assert rows == [
        ["Nodule present", "Yes", "“solide nodus”", "98%"],
        ["Largest diameter", "9  ⚠", "“9 mm”", "91%"],
        ["Lobe", "right upper lobe", "“rechterbovenkwab”", "30%"],
        ["Solidity", NOT_STATED, "—", "100%"],
    ]
    assert t.item(1, 1).toolTip() == "outside the plausible range"
    assert "check" in t.item(2, 3).toolTip()
    host.worker.tried.emit(ex)             # a result nobody here asked for changes nothing
    assert t.rowCount() == 4


def test_a_failed_try_is_explained(qtbot, builder):
    host = FakeHost()
    host.worker.engine = object()
    builder.set_task(load_bundled("chest_ct_nodules"))
    builder.set_engine_host(host)
    builder.set_report("ct_01", REPORT)
    builder.try_panel.try_now()
    host.worker.try_failed.emit("Cancelled.")
    assert builder.try_panel.status_label.text() == "The try did not work: Cancelled."
    builder.try_panel.try_now()
    host.worker.tried.emit(Extraction(status="failed", reason="The answer did not finish."))
    assert "could not answer: The answer did not finish." in builder.try_panel.status_label.text()
    assert builder.try_panel.table.rowCount() == 0


@pytest.fixture
def engine_host(qtbot):
    from gui.engine_host import EngineHost

    host = EngineHost()
    yield host
    host.shutdown()


# pytest-qt's wait_signal on a signal emitted in the worker thread stops its own timer in
# that thread, and Qt warns about it; the builder's own slots run queued in the UI thread
# (the model-loaded wait below goes through the panel for that reason).
@pytest.mark.model
@pytest.mark.qt_log_ignore("propagateSizeHints", "killTimer: Timers cannot be stopped from another thread")
def test_try_on_a_report_with_the_real_model(qtbot, builder, engine_host, model_path):
    # A short task keeps the prompt short; one thread is much faster than two on a busy 2-core box.
    task = Task(name="Lung nodule", instructions="Dutch chest CT report.", fields=[
        Field(key="nodule_present", label="Nodule present", type=FieldType.YES_NO),
        Field(key="size_mm", label="Size", type=FieldType.DECIMAL, unit="mm"),
        Field(key="lobe", label="Lobe", type=FieldType.CHOICE,
              options=[Option(value="upper lobe"), Option(value="middle lobe"), Option(value="lower lobe")])])
    builder.set_task(task)
    builder.set_engine_host(engine_host)
    panel = builder.try_panel
    engine_host.load_model(str(model_path), EngineSettings(n_ctx=2048, n_threads=1))
    qtbot.waitUntil(lambda: panel.model_ready, timeout=120000)
    builder.set_report("ct_thorax_01.txt", REPORT)
    builder.show()
    assert panel.try_button.isEnabled(), panel.reason_not_ready()
    with qtbot.wait_signal(panel.finished, timeout=120000):
        with qtbot.wait_signal(engine_host.worker.tried, timeout=120000) as tried:
            qtbot.mouseClick(panel.try_button, Qt.MouseButton.LeftButton)
            assert panel.busy_bar.isVisible()      # the click returned at once: the work is queued
    ex = tried.args[0]
    assert ex.status == "ok", ex.reason
    t = panel.table
    assert t.rowCount() == len(task.fields)
    assert [t.item(r, 0).text() for r in range(t.rowCount())] == [f.title for f in task.fields]
    for r, f in enumerate(task.fields):
        assert t.item(r, 1).text().startswith(format_value(ex.values.get(f.key), f))
        quote = ex.quotes.get(f.key)
        assert t.item(r, 2).text() == (f"“{quote}”" if quote else "—")
    assert not panel.busy_bar.isVisible() and panel.try_button.isEnabled()
    assert panel.status_label.text().startswith("Answered")
