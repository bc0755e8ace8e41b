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


def test_unfound_or_empty_quotes_give_none():
    assert align("pneumothorax links", TEXT) is None
    assert align("", TEXT) is None
    assert align(None, TEXT) is None
    assert align("x", TEXT) is None
