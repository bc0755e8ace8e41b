"""A run against a local llama.cpp server from the GUI, as a new user would do it: Run › Choose model…,
"Server", address and key, Test connection, Use this server, Start; then review the results.

The key entered in the dialog goes to the keyring (a test backend here) and never into a file that
Abstractor writes: settings, project, logs and the export are searched for it."""
from __future__ import annotations

import logging
import secrets as pysecrets
import shutil
import zipfile

import keyring
import keyring.core
import pytest
from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication

from core.templates import demo_reports_dir, load_bundled
from tests.core.remote.llama_server import LlamaServer
from tests.core.test_secrets import MemoryKeyring

REPORTS = ["ct_thorax_01.txt", "ct_thorax_02.txt", "ct_thorax_03.txt"]


class _Relay(QObject):
    result = Signal(str, object)
    warning = Signal(str)
    run_finished = Signal(object)

    def __init__(self, worker):
        super().__init__()
        for name in ("result", "warning", "run_finished"):
            getattr(worker, name).connect(getattr(self, name))


@pytest.fixture
def memory_keyring(monkeypatch):
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    monkeypatch.delenv("ABSTRACTOR_API_KEY", raising=False)
    monkeypatch.setattr(keyring.core, "load_config", lambda: None)
    previous = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    yield kr
    keyring.set_keyring(previous)


def _files_bytes(path):
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return b"".join(z.read(n) for n in z.namelist())
    return path.read_bytes()


@pytest.mark.timeout(2400)   # one real server run; about a minute on an idle 2-core machine
def test_gui_run_on_a_local_llama_cpp_server(qtbot, tmp_path, model_path, memory_keyring):
    from core import api
    from gui.main_window import TAB_REVIEW, MainWindow
    from gui.settings import Settings

    key = "sk-gui-" + pysecrets.token_hex(10)
    log_file = tmp_path / "abstractor.log"
    handler = logging.FileHandler(log_file)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)           # everything any library logs, to search it for the key
    srv = LlamaServer(model_path, tmp_path.parent / f"{tmp_path.name}-server.log", api_key=key).start()
    folder = tmp_path / "CT reports"
    folder.mkdir()
    for name in REPORTS:
        shutil.copy(demo_reports_dir() / name, folder / name)
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    try:
        relay = _Relay(window.host.worker)
        with qtbot.wait_signal(window.workspace.loading_finished, timeout=60000):
            assert window.open_folder(folder)
        task = load_bundled("chest_ct_nodules")
        window.set_task(task)
        panel, project = window.run_panel, window.project

        # Run › Choose model…: the dialog opens on "this computer"; choose Server, fill in, test, accept
        seen = {}

        def fill_in():
            dlg = QApplication.activeModalWidget()
            seen["local_default"] = dlg.local_choice.isChecked()
            dlg.use_server(True)
            sp = dlg.server_panel
            sp.url.setText(srv.url)
            sp.key.setText(key)
            seen["key_note"] = sp.key_note.text()
            with qtbot.wait_signal(sp.tested, timeout=60000) as sig:
                sp.test_button.click()
            seen["models"] = sig.args[0]
            seen["test_text"] = sp.test_result.text()
            seen["privacy"] = sp.privacy.text()
            sp.concurrency.setValue(2)
            sp.timeout.setValue(1800)      # a shared 2-core test machine queues requests for minutes
            dlg.ok.click()

        QTimer.singleShot(0, fill_in)
        window.menu_actions["model"].trigger()
        assert seen["local_default"]                     # local stays the default
        assert seen["models"] == [srv.alias] and f"offers 1 model(s): {srv.alias}" in seen["test_text"]
        assert "stored in this computer's keyring" in seen["key_note"]
        assert "127.0.0.1" in seen["privacy"]
        assert memory_keyring.store == {("abstractor", srv.url.rsplit("/v1", 1)[0]): key}
        assert window.host.server is not None and window.host.server.model == srv.alias
        assert window.host.server.concurrency == 2 and window.host.server.timeout_s == 1800
        assert "on server 127.0.0.1" in window.status.model_label.text()
        assert panel.to_run.text() == "3 reports will be read."

        warnings = []
        relay.warning.connect(warnings.append)
        with qtbot.wait_signal(relay.run_finished, timeout=900000) as sig:
            window.start_run("all")
            assert "127.0.0.1" in panel.message.text()     # said as the run starts
        summary = sig.args[0]
        assert summary is not None and summary.state == "finished" and summary.progress.done == 3
        assert any("Report text is sent to the server at 127.0.0.1" in w for w in warnings)
        assert any("Report text is sent to the server at 127.0.0.1" in m for m in panel.log.messages("warning"))
        assert panel.message.text().startswith("Finished:")

        # the same kind of reviewable results as a local run: statuses, evidence highlights, confidence
        th = task.hash()
        results = project.latest_results(th)
        assert sorted(results) == REPORTS
        assert project.run(summary.run_id).backend == "server"
        for rid, res in results.items():
            assert res.status in ("ok", "failed")
            assert window.browser.model.status(rid) == {"ok": "extracted", "failed": "failed"}[res.status]
        ok = sorted(rid for rid, r in results.items() if r.status == "ok")
        assert ok, "no report with a usable answer to review"
        shown = next((rid for rid in ok if any(results[rid].evidence.values())), ok[0])
        window.tabs.setCurrentIndex(TAB_REVIEW)
        review = window.review
        review.show_report(shown)
        assert review.current == shown
        assert set(review.form.rows) >= {f.key for f in task.fields}
        evidence = {k: v for k, v in results[shown].evidence.items() if v}
        text = project.report(shown).text
        assert set(review.text.spans()) == set(evidence)       # a highlight for each quote found, no other
        for k, (start, end) in evidence.items():
            assert review.text.highlighted_text(k) == text[start:end]
        confident = [k for k in results[shown].confidence if k in review.form.rows]
        assert confident                                       # llama-cpp-python returns logprobs
        for k in confident:
            assert not review.form.rows[k].confidence.isHidden()

        out = api.export(project, tmp_path / "results.xlsx", task)
        assert out.is_file()
    finally:
        window.shutdown()
        srv.kill()
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
    settings.sync()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"settings.ini", "results.xlsx", "abstractor.log"} <= names and any(n.endswith(".abstractor") for n in names)
    assert srv.url in (tmp_path / "settings.ini").read_text()     # the address is remembered ...
    for p in written:
        assert key.encode() not in _files_bytes(p), p               # ... the key nowhere
