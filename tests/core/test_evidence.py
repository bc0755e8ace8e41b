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
