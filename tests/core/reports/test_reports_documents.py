from __future__ import annotations

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook
from pypdf import PdfWriter

from core.reports import read_path
from core.reports.documents import NO_TEXT_LAYER, read_bytes_limited
from core.reports.model import Unreadable


def read_one(path):
    reports = read_path(path, path.parent)
    assert len(reports) == 1
    return reports[0]


# ------------------------------------------------------------------ text
def test_txt_and_md(tmp_path):
    (tmp_path / "a.txt").write_bytes("Regel één\r\nRegel twee\r\n".encode("utf-8"))
    (tmp_path / "b.MD").write_text("# Verslag\n\nGeen afwijkingen.\n", encoding="utf-8")
    a, b = read_one(tmp_path / "a.txt"), read_one(tmp_path / "b.MD")
    assert (a.id, a.source, a.status, a.reason) == ("a.txt", "a.txt", "ready", None)
    assert a.text == "Regel één\nRegel twee\n"
    assert a.size == len("Regel één\r\nRegel twee\r\n".encode("utf-8"))
    assert b.text == "# Verslag\n\nGeen afwijkingen.\n" and b.status == "ready"


def test_windows_1252_txt_file(tmp_path):
    (tmp_path / "nl.txt").write_bytes("Patiënt: café, 5 µm.\r\n".encode("cp1252"))
    assert read_one(tmp_path / "nl.txt").text == "Patiënt: café, 5 µm.\n"


def test_empty_whitespace_and_binary_text_files_are_skipped(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \r\n\t\n")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 4)
    assert read_one(tmp_path / "empty.txt").reason == "The file is empty"
    blank = read_one(tmp_path / "blank.txt")
    assert (blank.status, blank.reason, blank.text, blank.size) == (
        "skipped", "The file contains no text", "", 6,
    )
    assert read_one(tmp_path / "bin.txt").reason.startswith("The file does not contain text")


# ------------------------------------------------------------------- RTF
def test_rtf_with_code_page_escapes(tmp_path):
    rtf = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}"
        r"\f0 Pati\'ebnt heeft koorts.\par Conclusie: pneumonie (5 \'b5m).\par}"
    )
    (tmp_path / "r.rtf").write_bytes(rtf.encode("ascii"))
    report = read_one(tmp_path / "r.rtf")
    assert report.status == "ready"
    assert report.text.strip() == "Patiënt heeft koorts.\nConclusie: pneumonie (5 µm)."


def test_rtf_without_text_is_skipped(tmp_path):
    (tmp_path / "r.rtf").write_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\par\par}")
    assert read_one(tmp_path / "r.rtf").reason == "The file contains no text"


# ------------------------------------------------------------------ DOCX
def test_docx_paragraphs_and_table_cells_in_order(tmp_path):
    document = docx.Document()
    document.add_paragraph("Verslag MRI knie")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Bevinding", "Waarde"
    table.cell(1, 0).text, table.cell(1, 1).text = "Meniscus", "Scheur"
    document.add_paragraph("Conclusie: meniscusletsel.")
    document.save(tmp_path / "k.docx")
    report = read_one(tmp_path / "k.docx")
    assert report.status == "ready"
    assert report.text == (
        "Verslag MRI knie\nBevinding | Waarde\nMeniscus | Scheur\nConclusie: meniscusletsel."
    )
    assert report.size == (tmp_path / "k.docx").stat().st_size


def test_docx_content_controls_and_nested_tables(tmp_path):
    document = docx.Document()
    document.add_paragraph("Kop")
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.text = "Buiten"
    inner = cell.add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "Binnen A", "Binnen B"
    # A content control (w:sdt) around a paragraph, as hospital templates use.
    para = document.add_paragraph("In sjabloonveld")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    para._p.addprevious(sdt)
    content.append(para._p)
    sdt.append(content)
    document.save(tmp_path / "t.docx")
    text = read_one(tmp_path / "t.docx").text
    assert text == "Kop\nBuiten\nBinnen A | Binnen B\nIn sjabloonveld"
    assert document.element.body.find(qn("w:sdt")) is not None


def test_docx_not_a_zip_or_wrong_kind_is_skipped(tmp_path):
    (tmp_path / "fake.docx").write_bytes(b"This is plain text, not a Word file")
    Workbook().save(tmp_path / "excel.docx")
    for name in ("fake.docx", "excel.docx"):
        report = read_one(tmp_path / name)
        assert report.status == "skipped"
        assert report.reason == "The Word file is damaged or is not a real .docx file"


def test_docx_without_text_is_skipped(tmp_path):
    docx.Document().save(tmp_path / "empty.docx")
    assert read_one(tmp_path / "empty.docx").reason == "The file contains no text"


# ------------------------------------------------------------------- PDF
def test_pdf_text_layer(tmp_path, make_pdf):
    make_pdf(tmp_path / "p.pdf", ["Verslag CT thorax (2024)", "Conclusie: geen afwijkingen."])
    report = read_one(tmp_path / "p.pdf")
    assert report.status == "ready"
    assert report.text == "Verslag CT thorax (2024)\nConclusie: geen afwijkingen."


def test_pdf_without_text_layer_is_skipped(tmp_path, make_pdf):
    make_pdf(tmp_path / "scan.pdf", [])
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.write(tmp_path / "blank.pdf")
    for name in ("scan.pdf", "blank.pdf"):
        report = read_one(tmp_path / name)
        assert (report.status, report.reason, report.text) == ("skipped", NO_TEXT_LAYER, "")
    assert NO_TEXT_LAYER == "The PDF has no text layer (scanned image?)"


def test_corrupt_and_truncated_pdf_are_skipped(tmp_path, make_pdf):
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf\n")
    whole = make_pdf(tmp_path / "whole.pdf", ["Tekst"]).read_bytes()
    (tmp_path / "half.pdf").write_bytes(whole[: len(whole) // 2])
    for name in ("junk.pdf", "half.pdf"):
        report = read_one(tmp_path / name)
        assert report.status == "skipped"
        assert report.reason == "The PDF file is damaged and could not be read"


def test_password_protected_pdf(tmp_path, make_pdf):
    make_pdf(tmp_path / "src.pdf", ["Geheim verslag"])
    for name, password in (("locked.pdf", "secret"), ("open.pdf", "")):
        writer = PdfWriter(clone_from=tmp_path / "src.pdf")
        writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
        writer.write(tmp_path / name)
    assert read_one(tmp_path / "locked.pdf").reason == "The PDF is password-protected"
    assert read_one(tmp_path / "open.pdf").text == "Geheim verslag"


# ------------------------------------------------------------------ HTML
def test_html_drops_script_and_style_and_keeps_lines(tmp_path):
    html = """<!doctype html><html><head><title>Verslag</title>
    <style>p { color: red }</style><script>var secret = 1;</script></head>
    <body><h1>Echo abdomen</h1><p>Lever: <b>normaal</b> van grootte.<br>Milt: 11&nbsp;cm.</p>
    <table><tr><th>Orgaan</th><th>Bevinding</th></tr><tr><td>Nier</td><td>cyste</td></tr></table>
    <div>Conclusie: geen afwijkingen.</div></body></html>"""
    (tmp_path / "v.html").write_text(html, encoding="utf-8")
    report = read_one(tmp_path / "v.html")
    assert report.status == "ready"
    assert report.text == (
        "Echo abdomen\n\nLever: normaal van grootte.\nMilt: 11 cm.\n\n"
        "Orgaan | Bevinding\n\nNier | cyste\n\nConclusie: geen afwijkingen."
    )


def test_htm_in_windows_1252_and_empty_html(tmp_path):
    (tmp_path / "a.htm").write_bytes("<p>Patiënt, 5 µm</p>".encode("cp1252"))
    (tmp_path / "b.html").write_text("<html><body><script>x()</script></body></html>")
    assert read_one(tmp_path / "a.htm").text == "Patiënt, 5 µm"
    assert read_one(tmp_path / "b.html").reason == "The file contains no text"


def test_oversized_text_file_is_refused(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * (2 * 1024 * 1024 + 1))
    with pytest.raises(Unreadable, match="too large for a single report \\(over 2 MB\\)"):
        read_bytes_limited(tmp_path / "big.txt", limit=2 * 1024 * 1024)
    assert read_bytes_limited(tmp_path / "big.txt", limit=3 * 1024 * 1024)[:1] == b"x"
