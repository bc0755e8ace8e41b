"""Readers for single-report documents: plain text, RTF, Word, PDF, HTML.

Each reader takes the file's path and returns the report text, or raises
:class:`~core.reports.model.Unreadable` with a reason for the user.  Only
exceptions that the underlying library is known to raise for bad input are
translated here; anything else is left to the caller, which logs it.
"""
from __future__ import annotations

import logging
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path

from .encoding import decode_bytes, looks_binary, normalise_newlines
from .model import Unreadable, check_has_text

# pypdf logs damage it works around ("EOF marker not found") as warnings.  With no handler
# configured, Python would print them on the terminal; this sends them only to the app's log
# (core.logs), where there is one.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a single free-text report is never this large
NOT_TEXT = "The file does not contain text (it looks like a binary file)"


def read_bytes_limited(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    with open(path, "rb") as fh:
        if os.fstat(fh.fileno()).st_size > limit:
            raise Unreadable(
                f"The file is too large for a single report (over {limit // (1024 * 1024)} MB)"
            )
        return fh.read()


def read_plain(path: Path) -> str:
    text = decode_bytes(read_bytes_limited(path))
    if looks_binary(text):
        raise Unreadable(NOT_TEXT)
    return check_has_text(text)


# --------------------------------------------------------------------- RTF
def read_rtf(path: Path) -> str:
    raw = decode_bytes(read_bytes_limited(path))
    if not raw.lstrip().startswith("{\\rtf"):
        # A plain text file with an .rtf name: use it as it is.
        if looks_binary(raw):
            raise Unreadable("The file is not a valid RTF document")
        return check_has_text(raw)
    from striprtf.striprtf import rtf_to_text

    try:
        text = rtf_to_text(raw, errors="replace")
    except (ValueError, IndexError, LookupError) as exc:  # malformed control words / code page
        raise Unreadable("The RTF document is damaged and could not be read") from exc
    return check_has_text(normalise_newlines(text))


# -------------------------------------------------------------------- DOCX
_DOCX_DAMAGED = "The Word file is damaged or is not a real .docx file"


def read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import XMLSyntaxError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, XMLSyntaxError, ValueError) as exc:
        # ValueError: a zip of another kind, e.g. an Excel file renamed to .docx
        raise Unreadable(_DOCX_DAMAGED) from exc
    lines = _block_lines(document.element.body, document)
    return check_has_text(normalise_newlines("\n".join(lines)))


def _block_lines(element, parent) -> list[str]:
    """Text lines of paragraphs and tables below *element*, in document order."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
    containers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml"), qn("w:smartTag")}
    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == p_tag:
            lines.append(Paragraph(child, parent).text)
        elif child.tag == tbl_tag:
            lines.extend(_table_lines(child, parent))
        elif child.tag in containers:  # content controls of hospital templates
            lines.extend(_block_lines(child, parent))
    return lines


def _table_lines(tbl, parent) -> list[str]:
    from docx.oxml.ns import qn

    tr_tag, tc_tag = qn("w:tr"), qn("w:tc")
    lines: list[str] = []
    for tr in tbl.iter(tr_tag):
        if _nearest_table(tr) is not tbl:
            continue  # a row of a nested table: read with its cell
        cells = []
        for tc in tr.iter(tc_tag):
            if _nearest_row(tc) is not tr:
                continue  # a cell of a nested table
            cell_lines = [ln for ln in _block_lines(tc, parent) if ln.strip()]
            if cell_lines:
                cells.append(cell_lines)
        if len(cells) == 1:  # a layout table: keep the cell's lines
            lines.extend(cells[0])
        elif cells:
            lines.append(" | ".join(" ".join(c) for c in cells))
    return lines


def _nearest_table(node):
    from docx.oxml.ns import qn

    tbl_tag = qn("w:tbl")
    node = node.getparent()
    while node is not None and node.tag != tbl_tag:
        node = node.getparent()
    return node


def _nearest_row(node):
    from docx.oxml.ns import qn

    tr_tag = qn("w:tr")
    node = node.getparent()
    while node is not None and node.tag != tr_tag:
        node = node.getparent()
    return node


# --------------------------------------------------------------------- PDF
NO_TEXT_LAYER = "The PDF has no text layer (scanned image?)"
_PDF_DAMAGED = "The PDF file is damaged and could not be read"


def read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not _decrypt_without_password(reader):
            raise Unreadable("The PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (FileNotDecryptedError, DependencyError) as exc:
        raise Unreadable("The PDF is password-protected") from exc
    except (PyPdfError, ValueError, KeyError, IndexError, zlib.error, struct.error) as exc:
        raise Unreadable(_PDF_DAMAGED) from exc
    text = normalise_newlines("\n\n".join(p.strip("\n") for p in pages))
    if not text.strip():
        raise Unreadable(NO_TEXT_LAYER)
    return text


def _decrypt_without_password(reader) -> bool:
    """Many PDFs are 'encrypted' with an empty user password only."""
    from pypdf import PasswordType

    return reader.decrypt("") != PasswordType.NOT_DECRYPTED


# -------------------------------------------------------------------- HTML
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
    "tbody", "thead", "tfoot", "tr", "ul", "title",
)
_DROP_TAGS = ("script", "style", "noscript", "template", "head")
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_EDGE_PIPES = re.compile(r"^(?:\|\s*)+|(?:\s*\|)+$")  # cell separators at line ends


def read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    markup = decode_bytes(read_bytes_limited(path))
    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for cell in soup.find_all(("td", "th")):
        cell.insert_after(" | ")
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_before("\n")
        block.insert_after("\n")
    lines = []
    for line in soup.get_text().split("\n"):
        lines.append(_EDGE_PIPES.sub("", _SPACES.sub(" ", line).strip()))
    text = _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")
    if not text.strip() and title:
        text = title
    return check_has_text(text)
