"""Align the model's evidence quotes to character offsets in the report.

Exact match first (case-sensitive, then case- and whitespace-insensitive;
a one-character quote only as a word of its own), then a fuzzy partial
match (rapidfuzz) that must reach ``min_score``.  A
quote that cannot be found is reported as ``None``: the review shows
"no evidence found in the text" rather than a made-up highlight.
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

MIN_SCORE = 85.0
_WS = re.compile(r"\s+")


def _normalised(text: str) -> tuple[str, list[int]]:
    """Lower-case text with whitespace runs collapsed, plus a map to original offsets."""
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            prev_space = True
        else:
            out.append(ch.lower())
            prev_space = False
        index.append(i)
    return "".join(out), index


def align(quote: str | None, text: str, *, min_score: float = MIN_SCORE) -> tuple[int, int] | None:
    """Return (start, end) offsets of ``quote`` in ``text`` or None."""
    if not quote:
        return None
    q = quote.strip().strip('"').strip()
    if not q:
        return None
    if len(q) == 1:  # one character ("2", a grade) is evidence only where it stands as a word
        m = re.search(rf"(?<!\w){re.escape(q)}(?!\w)", text)
        return (m.start(), m.end()) if m else None
    pos = text.find(q)
    if pos >= 0:
        return pos, pos + len(q)
    norm_text, index = _normalised(text)
    norm_q = _WS.sub(" ", q.lower())
    pos = norm_text.find(norm_q)
    if pos >= 0:
        return index[pos], index[pos + len(norm_q) - 1] + 1
    if len(norm_q) < 4:
        return None
    res = fuzz.partial_ratio_alignment(norm_q, norm_text, score_cutoff=min_score)
    if res is None or res.dest_end <= res.dest_start:
        return None
    start = index[res.dest_start]
    end = index[res.dest_end - 1] + 1
    # trim to word boundaries so highlights sit on whole words
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


# ---- value versus quote -----------------------------------------------------------------------
# A number, date or option whose words do not appear in its own quote is suspect: the model
# quoted one thing and answered another (a centimetre value where millimetres were asked, the
# integer part of a decimal comma, a neighbouring lesion's size).  Pure functions; the engine
# adds the message as a warning for the reviewer, and the value is never changed.

_NUMBER = re.compile(r"(?<![\w.,])([+-]?\d+(?:[.,]\d+)?)\s*([a-zA-Zµμ/%³]+)?")
_UNIT_FACTORS = {  # unit -> (dimension, factor to the dimension's base unit)
    "mm": ("length", 1.0), "cm": ("length", 10.0), "m": ("length", 1000.0),
    "ml": ("volume", 1.0), "cc": ("volume", 1.0), "cm3": ("volume", 1.0), "cm³": ("volume", 1.0),
    "dl": ("volume", 100.0), "l": ("volume", 1000.0),
    "mg": ("mass", 1.0), "g": ("mass", 1000.0), "kg": ("mass", 1e6),
    "ng/ml": ("conc", 1.0), "µg/l": ("conc", 1.0), "μg/l": ("conc", 1.0), "ug/l": ("conc", 1.0),
}
# "een" (Dutch for both "a" and "one") is left out: it is far more often the article
_NUMBER_WORDS = {w: i for i, words in enumerate((
    "geen zero none", "één one", "twee two", "drie three", "vier four", "vijf five", "zes six",
    "zeven seven", "acht eight", "negen nine", "tien ten", "elf eleven", "twaalf twelve"))
    for w in words.split()}
_MONTHS = {m: i + 1 for i, names in enumerate((
    "jan januari january", "feb februari february", "mrt maart mar march", "apr april",
    "mei may", "jun juni june", "jul juli july", "aug augustus august",
    "sep sept september", "okt oct oktober october", "nov november", "dec december"))
    for m in names.split()}
_DATE_NUMERIC = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_DATE_WORDS = re.compile(r"\b(\d{1,2})\s+([a-zA-Z]{3,9})\.?\s+(\d{4})\b")


def _unit(u: str | None) -> tuple[str, float] | None:
    return _UNIT_FACTORS.get(u.lower().replace("μ", "µ")) if u else None


def numbers_in(quote: str) -> list[tuple[float, str | None]]:
    """Numbers in a quote (decimal comma or point, or a number word such as 'drie' or
    'two') with the unit written right after a numeral, if any."""
    out = []
    for m in _NUMBER.finditer(quote):
        out.append((float(m.group(1).replace(",", ".")), m.group(2)))
    for w in re.findall(r"[^\W\d_]+", quote.casefold()):
        if w in _NUMBER_WORDS:
            out.append((float(_NUMBER_WORDS[w]), None))
    return out


def dates_in(quote: str) -> list[str]:
    """ISO dates written in a quote: 2024-03-12, 12-03-2024, 12/3/2024, 12.03.2024, 12 maart 2024."""
    import datetime as dt

    found = []
    for m in _DATE_NUMERIC.finditer(quote):
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(6), m.group(5), m.group(4))
        found.append((int(y), int(mo), int(d)))
    for m in _DATE_WORDS.finditer(quote):
        mo = _MONTHS.get(m.group(2).lower())
        if mo:
            found.append((int(m.group(3)), mo, int(m.group(1))))
    out = []
    for y, mo, d in found:
        try:
            out.append(dt.date(y, mo, d).isoformat())
        except ValueError:
            continue
    return out


def _number_matches(value: float, quote: str, unit: str | None) -> bool:
    want = _unit(unit)
    for n, u in numbers_in(quote):
        if abs(n - abs(value)) < 1e-9:
            if want is None or _unit(u) is None or _unit(u) == want:
                return True
        have = _unit(u)
        if want and have and have[0] == want[0] and abs(n * have[1] / want[1] - abs(value)) < 1e-6:
            return True
    return False


def _words(text: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", text.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " " + re.sub(r"[^\w]+", " ", s).strip() + " "


def _option_in_quote(option, quote: str) -> bool:
    q = _words(quote)
    if all(f" {w} " in q for w in _words(option.value).split()):
        return True
    synonyms = [s for s in re.split(r"[,;/]| or | of ", option.description or "") if s.strip()]
    return any(_words(s.split("(")[0]).strip() and _words(s.split("(")[0]) in q for s in synonyms)


def value_quote_mismatch(field, value, quote: str | None) -> str | None:
    """Why ``value`` does not fit ``quote`` (a message for the reviewer), or None.

    Numbers: the quote must state the value, as written (decimal comma or point) or
    in a convertible unit ('1,2 cm' for 12 mm).  Dates: the quote must hold the same
    date.  Choices: the option's words, or one of the synonyms in its description,
    must be in the quote.  Other types, null values and missing quotes are not checked.
    """
    from core.task import FieldType

    if value is None or not quote or not quote.strip():
        return None
    t = field.type
    if t.is_number and isinstance(value, (int, float)) and not isinstance(value, bool):
        if not numbers_in(quote):
            return f"The quote ('{quote}') states no number, yet the value is {value:g}."
        if not _number_matches(float(value), quote, field.unit):
            unit = f" {field.unit}" if field.unit else ""
            return f"The value {value:g}{unit} is not the number in its quote ('{quote}')."
        return None
    if t is FieldType.DATE and isinstance(value, str):
        dates = dates_in(quote)
        if value not in dates:
            return f"The date {value} is not the date in its quote ('{quote}')."
        return None
    if t.has_options:
        chosen = [value] if t is FieldType.CHOICE else list(value or [])
        by_value = {o.value: o for o in field.options}
        missing = [v for v in chosen if v in by_value and not _option_in_quote(by_value[v], quote)]
        if missing:
            return f"'{', '.join(missing)}' does not appear in its quote ('{quote}')."
    return None
