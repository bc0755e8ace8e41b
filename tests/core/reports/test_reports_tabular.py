from __future__ import annotations

import datetime as dt
import json

from openpyxl import Workbook

from core.reports import read_path


def read(path):
    return read_path(path, path.parent.parent if path.parent.name == "sub" else path.parent)


def summary(reports):
    return [(r.id, r.status, r.text if r.ready else r.reason) for r in reports]


# ------------------------------------------------------------------- CSV
def test_csv_comma_with_quoted_multiline_text(tmp_path):
    (tmp_path / "r.csv").write_text(
        'id,text\n1,"Regel 1\nRegel 2, met komma"\n2,"Tweede ""verslag"""\n', encoding="utf-8"
    )
    reports = read(tmp_path / "r.csv")
    assert summary(reports) == [
        ("r.csv#1", "ready", "Regel 1\nRegel 2, met komma"),
        ("r.csv#2", "ready", 'Tweede "verslag"'),
    ]
    assert all(r.source == "r.csv" for r in reports)
    assert reports[0].size == len("Regel 1\nRegel 2, met komma".encode())


def test_csv_semicolon_windows_1252_crlf(tmp_path):
    data = "Report ID;Verslag;Datum\r\nA-7;Patiënt, 5 µm, geen meta's;2024-01-02\r\n"
    (tmp_path / "nl.csv").write_bytes(data.encode("cp1252"))
    assert summary(read(tmp_path / "nl.csv")) == [
        ("nl.csv#A-7", "ready", "Patiënt, 5 µm, geen meta's"),
    ]


def test_tab_separated_and_row_numbers_without_id_column(tmp_path):
    (tmp_path / "t.csv").write_text("naam\tbody\nx\teen, twee\n\ny\tdrie\n", encoding="utf-8")
    assert summary(read(tmp_path / "t.csv")) == [
        ("t.csv#1", "ready", "een, twee"),
        ("t.csv#2", "ready", "drie"),
    ]


def test_text_column_falls_back_to_longest_string_column(tmp_path):
    (tmp_path / "l.csv").write_text(
        "case_id,afdeling,beschrijving\n9,CT,Een lang verslag over de thorax\n"
        "10,MR,Nog een lang verslag\n",
        encoding="utf-8",
    )
    assert summary(read(tmp_path / "l.csv")) == [
        ("l.csv#9", "ready", "Een lang verslag over de thorax"),
        ("l.csv#10", "ready", "Nog een lang verslag"),
    ]


def test_duplicate_ids_get_suffixes_and_empty_rows_are_skipped(tmp_path):
    (tmp_path / "d.csv").write_text(
        "ID,Text\n5,a\n5,b\n5,\n,c\n", encoding="utf-8"
    )
    assert summary(read(tmp_path / "d.csv")) == [
        ("d.csv#5", "ready", "a"),
        ("d.csv#5~2", "ready", "b"),
        ("d.csv#5~3", "skipped", "This row has no report text"),
        ("d.csv#4", "ready", "c"),  # empty id: the row number
    ]


def test_single_column_csv_keeps_commas(tmp_path):
    (tmp_path / "one.csv").write_text("tekst\nA, B en C\n", encoding="utf-8")
    assert summary(read(tmp_path / "one.csv")) == [("one.csv#1", "ready", "A, B en C")]


def test_csv_with_header_only_or_no_text_column(tmp_path):
    (tmp_path / "h.csv").write_text("id,text\n", encoding="utf-8")
    (tmp_path / "n.csv").write_text("id\n1\n2\n", encoding="utf-8")
    assert summary(read(tmp_path / "h.csv")) == [
        ("h.csv", "skipped", "The file has no rows with reports"),
    ]
    assert summary(read(tmp_path / "n.csv")) == [
        ("n.csv", "skipped", "No column with report text was found (name it 'text' or 'report')"),
    ]


def test_row_ids_use_relative_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.csv").write_text("uid,report\nu1,x\n", encoding="utf-8")
    reports = read(tmp_path / "sub" / "r.csv")
    assert [(r.id, r.source) for r in reports] == [("sub/r.csv#u1", "sub/r.csv")]


# ------------------------------------------------------------------ XLSX
def test_xlsx_first_sheet_header_row_numeric_ids(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append([None, None, None])
    ws.append(["Accession", "Datum", "Report Text"])
    ws.append([12, dt.datetime(2024, 3, 1), "Geen afwijkingen.\nConclusie: normaal."])
    ws.append([13.0, None, "Fractuur radius."])
    ws.append([None, None, None])
    ws.append([14, None, None])
    other = wb.create_sheet("Tweede")
    other.append(["id", "text"])
    other.append([1, "must not be read"])
    wb.save(tmp_path / "x.xlsx")
    assert summary(read(tmp_path / "x.xlsx")) == [
        ("x.xlsx#12", "ready", "Geen afwijkingen.\nConclusie: normaal."),
        ("x.xlsx#13", "ready", "Fractuur radius."),
        ("x.xlsx#14", "skipped", "This row has no report text"),
    ]


def test_corrupt_xlsx_is_skipped(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    assert summary(read(tmp_path / "bad.xlsx")) == [
        ("bad.xlsx", "skipped", "The Excel file is damaged or is not a real .xlsx file"),
    ]


# ------------------------------------------------------------------ JSON
def test_json_dragon_style_list_with_text_parts(tmp_path):
    rows = [
        {"uid": "case_1", "text": "Eerste verslag"},
        {"uid": "case_2", "text_parts": ["Deel een", "Deel twee"]},
    ]
    (tmp_path / "d.json").write_text(json.dumps(rows), encoding="utf-8")
    assert summary(read(tmp_path / "d.json")) == [
        ("d.json#case_1", "ready", "Eerste verslag"),
        ("d.json#case_2", "ready", "Deel een\n\nDeel twee"),
    ]


def test_json_wrapper_object_strings_and_bad_entries(tmp_path):
    (tmp_path / "w.json").write_text(
        json.dumps({"meta": 1, "reports": [{"report_id": 3, "content": "x"}, {"report_id": 4}]}),
        encoding="utf-8",
    )
    (tmp_path / "s.json").write_text(json.dumps(["een", 5]), encoding="utf-8")
    assert summary(read(tmp_path / "w.json")) == [
        ("w.json#3", "ready", "x"),
        ("w.json#4", "skipped", "This row has no report text"),
    ]
    assert summary(read(tmp_path / "s.json")) == [
        ("s.json#1", "ready", "een"),
        ("s.json#2", "skipped", "This entry is not a report (expected an object with text)"),
    ]


def test_invalid_or_unsuitable_json_is_skipped(tmp_path):
    (tmp_path / "bad.json").write_text('[{"id": 1, "text": "x"},\n{oops}]', encoding="utf-8")
    (tmp_path / "num.json").write_text("42", encoding="utf-8")
    assert summary(read(tmp_path / "bad.json")) == [
        ("bad.json", "skipped", "The file is not valid JSON (error on line 2)"),
    ]
    assert summary(read(tmp_path / "num.json")) == [
        ("num.json", "skipped", "The JSON file does not contain a list of reports"),
    ]


def test_jsonl_with_a_broken_line(tmp_path):
    lines = ['{"id": "a", "text": "Een"}', "", "{broken", '{"id": "a", "text": "Twee"}']
    (tmp_path / "r.jsonl").write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    assert summary(read(tmp_path / "r.jsonl")) == [
        ("r.jsonl#a", "ready", "Een"),
        ("r.jsonl#2", "skipped", "Entry 2 is not valid JSON"),
        ("r.jsonl#a~2", "ready", "Twee"),
    ]
