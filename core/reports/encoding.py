"""Turn the bytes of a text-like file into ``str``.

Order of attempts, cheapest and most certain first:

1. a byte-order mark (UTF-8, UTF-32, UTF-16; LE or BE);
2. strict UTF-8 (most files; charset-normalizer is never called for them);
3. UTF-16 without a BOM, recognised by its pattern of zero bytes;
4. Windows-1252 when the result looks like Western European text.  Reports
   from Dutch and other Western European hospitals saved by older Windows
   tools are almost always Windows-1252, and on short texts charset-normalizer
   tends to guess a wrong code page (cp775, cp1257, even EBCDIC) for them;
5. charset-normalizer's best guess (Cyrillic, Greek, Central European, ...);
6. Windows-1252 with replacement characters, which never fails.

Line endings are normalised to ``"\\n"``; line breaks are kept.
"""
from __future__ import annotations

import codecs
import re

# Characters outside ASCII that Western European clinical text commonly holds.
_WESTERN_EXTRA = set("µ°±²³€‘’‚“”„–—•…½¼¾§©®·«»¡¿ºª×\u00a0")
_WESTERN_LETTERS = {chr(c) for c in range(0xC0, 0x100)} - {"×", "÷"}
_WESTERN = frozenset(_WESTERN_EXTRA | _WESTERN_LETTERS | {"Œ", "œ", "Š", "š", "Ž", "ž", "Ÿ", "ƒ"})
_NEWLINES = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def normalise_newlines(text: str) -> str:
    """Convert ``\\r\\n`` and lone ``\\r`` to ``\\n``."""
    if "\r" not in text:
        return text
    return _NEWLINES.sub("\n", text)


def detect_encoding(data: bytes) -> tuple[str, int]:
    """Return ``(codec name, number of BOM bytes to skip)`` for *data*."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    try:
        data.decode("utf-8")
        return "utf-8", 0
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16, 0
    if _looks_like_western_cp1252(data):
        return "cp1252", 0
    guess = _charset_normalizer_guess(data)
    if guess:
        return guess, 0
    return "cp1252", 0


def decode_bytes(data: bytes) -> str:
    """Decode *data* (see the module docstring) and normalise line endings."""
    name, skip = detect_encoding(data)
    text = data[skip:].decode(name, errors="replace")
    if text.startswith("\ufeff"):
        text = text[1:]
    return normalise_newlines(text)


def looks_binary(text: str) -> bool:
    """True when *text* is mostly control characters (a binary file renamed .txt)."""
    if "\x00" in text[:4096]:
        return True
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 10)


def _utf16_without_bom(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4096]
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        name = "utf-16-le"
    elif even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        name = "utf-16-be"
    else:
        return None
    try:
        data.decode(name)
    except UnicodeDecodeError:
        return None
    return name


def _looks_like_western_cp1252(data: bytes) -> bool:
    try:
        text = data.decode("cp1252")  # strict: fails on the five undefined bytes
    except UnicodeDecodeError:
        return False
    letters = 0
    foreign = 0
    for ch in text:
        if ch.isascii():
            if ch.isalpha():
                letters += 1
            continue
        if ch not in _WESTERN:
            return False
        if ch.isalpha():
            letters += 1
            foreign += 1
    # Cyrillic or Greek single-byte text also decodes to Latin-1 letters, but
    # then nearly every letter is non-ASCII; Western text is mostly ASCII.
    return foreign <= max(2, 0.3 * letters)


def _charset_normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - declared dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        codecs.lookup(best.encoding)
    except LookupError:
        return None
    return best.encoding
