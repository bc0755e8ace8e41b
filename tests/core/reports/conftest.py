"""Builders for report fixture files, generated inside each test."""
from __future__ import annotations

from pathlib import Path

import pytest


def _pdf_escape(text: str) -> bytes:
    return (
        text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
    )


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A minimal one-page PDF; with no *lines* the page only draws a rectangle
    (like a scanned page: no text layer)."""
    if lines:
        ops = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
        ops += [b"(" + _pdf_escape(line) + b") Tj T*" for line in lines]
        ops.append(b"ET")
    else:
        ops = [b"0.5 g 72 72 300 400 re f"]
    stream = b"\n".join(ops)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )
    path.write_bytes(bytes(out))
    return path


@pytest.fixture
def make_pdf():
    return write_pdf
