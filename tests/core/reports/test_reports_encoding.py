from __future__ import annotations

import codecs

import pytest

from core.reports import encoding
from core.reports.encoding import decode_bytes, detect_encoding, normalise_newlines

DUTCH = "Patiënt (76 jr): geïnfiltreerd carcinoom van 5 µm, reële kans op recidief. Café."


def test_windows_1252_dutch_report_decodes_correctly():
    data = ("Verslag\r\n" + DUTCH + "\r\nConclusie: ë é µ\r\n").encode("cp1252")
    assert decode_bytes(data) == "Verslag\n" + DUTCH + "\nConclusie: ë é µ\n"
    assert detect_encoding(data) == ("cp1252", 0)


@pytest.mark.parametrize("text", ["ë", "Dosis 5 µg", "naïef – “quote” € 5"])
def test_short_windows_1252_texts(text):
    assert decode_bytes(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_byte_order_marks_are_honoured_and_removed(bom, codec):
    data = bom + ("Regel 1\r\n" + DUTCH).encode(codec)
    assert decode_bytes(data) == "Regel 1\n" + DUTCH
    assert detect_encoding(data) == (codec, len(bom))


def test_utf16_without_bom_is_recognised():
    assert decode_bytes(DUTCH.encode("utf-16-le")) == DUTCH
    assert decode_bytes(DUTCH.encode("utf-16-be")) == DUTCH


def test_plain_utf8_never_calls_charset_normalizer(monkeypatch):
    def fail(data):
        raise AssertionError("charset-normalizer must not run for UTF-8")

    monkeypatch.setattr(encoding, "_charset_normalizer_guess", fail)
    assert decode_bytes(DUTCH.encode("utf-8")) == DUTCH


def test_non_western_single_byte_text_uses_charset_normalizer():
    text = "Пациент поступил с жалобами на боль в груди. Заключение: пневмония."
    assert decode_bytes(text.encode("cp1251")) == text


def test_newlines_normalised_and_kept():
    assert normalise_newlines("a\r\nb\rc\n\nd") == "a\nb\nc\n\nd"
    assert decode_bytes(b"a\r\n\r\nb\r") == "a\n\nb\n"


def test_undecidable_bytes_fall_back_to_windows_1252(monkeypatch):
    monkeypatch.setattr(encoding, "_charset_normalizer_guess", lambda data: None)
    data = bytes([0x81, 0x41, 0xEB])  # 0x81 is undefined in Windows-1252
    assert decode_bytes(data) == "\ufffdAë"
