from __future__ import annotations

import logging

import pytest

from core.bench.sizes import small_files_folder
from core.reports import SUPPORTED_SUFFIXES, Report, read_folder, read_path
from core.reports import folder as folder_module


def test_recursive_sorted_ids_and_sources(tmp_path):
    (tmp_path / "ct").mkdir()
    (tmp_path / "ct" / "deep").mkdir()
    (tmp_path / "ct" / "p2.txt").write_text("twee", encoding="utf-8")
    (tmp_path / "ct" / "p1.txt").write_text("een", encoding="utf-8")
    (tmp_path / "ct" / "deep" / "p3.md").write_text("drie", encoding="utf-8")
    (tmp_path / "B.txt").write_text("bee", encoding="utf-8")
    (tmp_path / "a.txt").write_text("aa", encoding="utf-8")
    reports = list(read_folder(tmp_path))
    assert [(r.id, r.source, r.text, r.status) for r in reports] == [
        ("a.txt", "a.txt", "aa", "ready"),
        ("B.txt", "B.txt", "bee", "ready"),
        ("ct/deep/p3.md", "ct/deep/p3.md", "drie", "ready"),
        ("ct/p1.txt", "ct/p1.txt", "een", "ready"),
        ("ct/p2.txt", "ct/p2.txt", "twee", "ready"),
    ]
    assert [r.size for r in reports] == [2, 3, 4, 3, 4]
    assert list(read_folder(str(tmp_path))) == reports  # deterministic, str accepted


def test_hidden_lock_and_app_files_are_not_reported(tmp_path):
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("x")
    for name in (".notes.txt", "~$verslag.docx", ".DS_Store", "Thumbs.db", "model.gguf",
                 "project.abstractor", "run.sqlite", "run.sqlite-wal", "run.sqlite-shm",
                 "cache.db", "scan.png", "foto.JPG", "anim.gif"):
        (tmp_path / name).write_bytes(b"data")
    (tmp_path / "keep.txt").write_text("Verslag")
    assert [r.id for r in read_folder(tmp_path)] == ["keep.txt"]
    assert read_path(tmp_path / "model.gguf", tmp_path) == []


def test_unsupported_and_empty_files_are_listed_as_skipped(tmp_path):
    (tmp_path / "data.xyz").write_bytes(b"abc")
    (tmp_path / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "README").write_text("geen extensie")
    (tmp_path / "leeg.pdf").write_bytes(b"")
    reports = {r.id: r for r in read_folder(tmp_path)}
    assert {k: (r.status, r.reason, r.text) for k, r in reports.items()} == {
        "data.xyz": ("skipped", "Unsupported file type .xyz", ""),
        "oud.doc": ("skipped", "Unsupported file type .doc (save it as .docx or PDF)", ""),
        "README": ("skipped", "The file has no extension, so its type is unknown", ""),
        "leeg.pdf": ("skipped", "The file is empty", ""),
    }
    assert reports["data.xyz"].size == 3


def test_suffixes_are_case_insensitive(tmp_path):
    (tmp_path / "R.TXT").write_text("hoofdletters")
    assert [(r.id, r.text) for r in read_folder(tmp_path)] == [("R.TXT", "hoofdletters")]
    assert {".txt", ".docx", ".pdf", ".csv", ".xlsx", ".json", ".jsonl"} <= SUPPORTED_SUFFIXES


def test_bad_files_never_stop_the_folder(tmp_path, make_pdf):
    (tmp_path / "a.docx").write_bytes(b"not a zip")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.7 rubbish")
    make_pdf(tmp_path / "c.pdf", [])
    (tmp_path / "d.json").write_text("{nope")
    (tmp_path / "e.txt").write_text("goed")
    reports = list(read_folder(tmp_path))
    assert [(r.id, r.status) for r in reports] == [
        ("a.docx", "skipped"), ("b.pdf", "skipped"), ("c.pdf", "skipped"),
        ("d.json", "skipped"), ("e.txt", "ready"),
    ]
    assert all(r.reason for r in reports[:4])


def test_unexpected_error_becomes_skipped_report_and_is_logged(tmp_path, monkeypatch, caplog):
    def explode(path):
        raise RuntimeError("boom")

    monkeypatch.setitem(folder_module.DOCUMENT_READERS, ".txt", explode)
    (tmp_path / "x.txt").write_text("abc")
    (tmp_path / "y.md").write_text("fine")
    with caplog.at_level(logging.WARNING, logger="core.reports.folder"):
        reports = list(read_folder(tmp_path))
    assert reports[0] == Report("x.txt", "x.txt", "", "skipped",
                                "Could not read this file: RuntimeError: boom", 3)
    assert reports[1].status == "ready"
    assert any("x.txt" in rec.getMessage() and rec.exc_info for rec in caplog.records)


def test_file_removed_between_listing_and_reading(tmp_path):
    (tmp_path / "gone.txt").write_text("x")
    reports = read_folder(tmp_path)
    (tmp_path / "gone.txt").unlink()
    assert [(r.id, r.reason) for r in reports] == [
        ("gone.txt", "The file was removed or renamed while reading"),
    ]


def test_tabular_file_in_folder_gives_one_report_per_row(tmp_path):
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "rows.csv").write_text("id,text\n1,een\n2,twee\n")
    (tmp_path / "a.txt").write_text("los")
    assert [r.id for r in read_folder(tmp_path)] == ["a.txt", "z/rows.csv#1", "z/rows.csv#2"]


def test_missing_folder_raises_immediately(tmp_path):
    with pytest.raises(NotADirectoryError):
        read_folder(tmp_path / "nope")
    (tmp_path / "f.txt").write_text("x")
    with pytest.raises(NotADirectoryError):
        read_folder(tmp_path / "f.txt")


def test_ten_thousand_small_files_are_all_read(tmp_path):
    """All of them, in order (how fast: ``abstractor bench read``)."""
    reports = list(read_folder(small_files_folder(tmp_path)))
    assert len(reports) == 10_000
    assert all(r.status == "ready" for r in reports)
    assert reports[0].id == "d0/r0000.txt" and reports[-1].id == "d9/r0999.txt"
    assert reports[-1].text == "Verslag 999: geen afwijkingen.\n"
