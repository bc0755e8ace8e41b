import pytest

from core.evidence import align

TEXT = "CT thorax:\nSolide  nodule van 8 mm in de\nrechterbovenkwab. Geen pleuravocht."


def test_exact_match():
    assert align("nodule van 8 mm", TEXT) == (TEXT.index("nodule van 8 mm"), TEXT.index("nodule van 8 mm") + 15)


def test_whitespace_and_case_insensitive_match_maps_to_original_offsets():
    s, e = align("solide nodule van 8 mm in de rechterbovenkwab", TEXT)
    assert TEXT[s:e] == "Solide  nodule van 8 mm in de\nrechterbovenkwab"


def test_fuzzy_match_snaps_to_whole_words():
    s, e = align("nodule van 8mm in de rechterbovenkwab", TEXT)
    assert TEXT[s:e].startswith("nodule van 8 mm")
    assert TEXT[s:e].endswith("rechterbovenkwab")


def test_a_one_character_quote_is_found_where_it_stands_alone():
    text = "Noduli: 12 in totaal, de grootste 2 cm."
    assert align("2", text) == (text.index(" 2 ") + 1, text.index(" 2 ") + 2)
    assert align("x", "thorax") is None


def test_unfound_or_empty_quotes_give_none():
    assert align("pneumothorax links", TEXT) is None
    assert align("", TEXT) is None
    assert align(None, TEXT) is None
    assert align("x", TEXT) is None


# ---- value versus quote ----------------------------------------------------------------------
from core.evidence import dates_in, numbers_in, value_quote_mismatch  # noqa: E402
from core.task import Field, FieldType, Option  # noqa: E402
from core.validate import plausibility_warnings  # noqa: E402
from tests.core.all_types import all_types_task  # noqa: E402

MM = Field(key="size_mm", type=FieldType.DECIMAL, unit="mm")
PSA = Field(key="psa", type=FieldType.DECIMAL, unit="ng/mL")
LOBE = Field(key="lobe", type=FieldType.CHOICE, options=[
    Option(value="right upper lobe", description="rechterbovenkwab, RBK, RUL"),
    Option(value="left lower lobe", description="linkeronderkwab, LOK")])


def test_numbers_and_dates_are_read_from_quotes():
    assert numbers_in("PSA 8,4 ng/ml; nodus 12 mm") == [(8.4, "ng/ml"), (12.0, "mm")]
    assert numbers_in("drie noduli, two masses, een nodus") == [(3.0, None), (2.0, None)]
    assert dates_in("CT d.d. 12-03-2024, eerder 2023-11-02 en 5 maart 2022") == [
        "2024-03-12", "2023-11-02", "2022-03-05"]


@pytest.mark.parametrize("field, value, quote", [
    (MM, 8.4, "nodus van 8,4 mm"),          # decimal comma
    (MM, 12.0, "haard van 1,2 cm"),          # converted unit
    (MM, 9.0, "9 x 6 mm"),                   # first of two diameters
    (PSA, 8.4, "PSA 8,4 ug/l"),
    (LOBE, "right upper lobe", "in de rechterbovenkwab"),   # synonym from the option's description
    (LOBE, "left lower lobe", "nodule in the left lower lobe"),
    (Field(key="d", type=FieldType.DATE), "2024-03-12", "onderzoek d.d. 12-03-2024"),
    (MM, None, "geen noduli"),               # null values and missing quotes are not checked
    (MM, 8.0, None),
    (Field(key="t", type=FieldType.TEXT), "anything", "something else"),
])
def test_values_their_quote_states_are_not_flagged(field, value, quote):
    assert value_quote_mismatch(field, value, quote) is None


@pytest.mark.parametrize("field, value, quote, says", [
    (MM, 1.2, "haard van 1,2 cm", "1.2 mm is not the number"),     # centimetres given as millimetres
    (MM, 8.0, "nodus van 8,4 mm", "8 mm is not the number"),       # integer part of a decimal comma
    (MM, 84.0, "nodus van 8,4 mm", "84 mm"),
    (PSA, 6.0, "Klinische gegevens: PSA verhoogd", "states no number"),
    (LOBE, "right upper lobe", "in de linkeronderkwab", "'right upper lobe' does not appear"),
    (Field(key="d", type=FieldType.DATE), "2024-03-21", "d.d. 12-03-2024", "not the date"),
])
def test_values_their_quote_contradicts_are_flagged(field, value, quote, says):
    assert says in value_quote_mismatch(field, value, quote)


def test_mismatch_reaches_the_reviewer_as_a_plausibility_warning():
    task = all_types_task()
    values = {"largest_mm": 1.2, "lobe": "right upper lobe", "nodule_count": 2}
    quotes = {"largest_mm": "nodule of 1,2 cm", "lobe": "rechterbovenkwab", "nodule_count": "twee noduli"}
    w = plausibility_warnings(task, values, quotes=quotes)
    assert list(w) == ["largest_mm"]  # "twee noduli" states 2 in words
    assert "1.2 mm is not the number" in w["largest_mm"][0]
    assert plausibility_warnings(task, values) == {}  # without quotes nothing is compared


def test_offsets_from_the_real_model_point_at_its_quotes(model_path):
    """The embedded model on demo reports: for every quote, ``report[start:end]`` is the quote
    (the report's whitespace runs and double quotes read as one space, as the quote grammar
    sees the report)."""
    from core.engine.engine import Engine, EngineSettings
    from core.schema import quotable_text
    from core.templates import demo_reports_dir, demo_task

    task = demo_task()
    assert task.options.evidence
    engine = Engine(model_path, EngineSettings(n_ctx=2048))
    checked = verbatim = 0
    try:
        for path in sorted(demo_reports_dir().glob("*.txt"))[:3]:
            report = path.read_text("utf-8")
            ex = engine.extract(task, report)
            assert ex.status == "ok", (path.name, ex.reason)
            for key, quote in ex.quotes.items():
                if quote is None:
                    assert ex.evidence[key] is None
                    continue
                start, end = ex.evidence[key]
                assert quotable_text(report[start:end]) == quote.strip(), (path.name, key, quote)
                checked += 1
                verbatim += report[start:end] == quote
    finally:
        engine.close()
    assert checked >= 3, "the model gave too few quotes to check"
    assert verbatim >= 1
