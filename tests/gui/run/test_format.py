"""Plain-language progress text."""
from core.runner import Progress, RunSummary
from gui.run import format as fmt


def test_durations():
    assert fmt.duration(None) == ""
    assert fmt.duration(4.4) == "4 s"
    assert fmt.duration(65) == "1 min 5 s"
    assert fmt.duration(600) == "10 min"
    assert fmt.duration(3900) == "1 h 5 min"
    assert fmt.duration(7200) == "2 h"


def test_progress_texts():
    p = Progress(done=0, total=10)
    assert fmt.eta_text(p) == "Estimating time left…"
    p = Progress(done=5, total=10, ok=4, failed=1, elapsed_s=150, output_tokens=900, generation_s=30)
    assert fmt.eta_text(p) == "About 2 min 30 s left"
    assert fmt.speed_text(p) == "2.0 reports/min · 30 tokens/s"
    assert fmt.counts_text(p) == "4 ok · 1 failed · 0 skipped"
    assert fmt.eta_text(Progress(done=9, total=10, elapsed_s=9)) == "Less than a minute left"
    assert fmt.eta_text(Progress(done=10, total=10, elapsed_s=9)) == ""


def test_time_left_counts_parts_of_long_reports():
    # 2 of 4 reports done, but the third is read in 6 parts: 7 of 9 parts are still to read
    p = Progress(done=2, total=4, elapsed_s=60, units_total=10, units_done=3)
    assert p.eta_s == 7 * 60 / 3
    assert fmt.eta_text(p) == "About 2 min 20 s left"
    assert Progress(done=2, total=4, elapsed_s=60).eta_s == 60   # without parts: reports


def test_summaries():
    done = RunSummary(run_id=1, state="finished", progress=Progress(done=3, total=3, ok=2, failed=1, elapsed_s=70))
    assert fmt.summary_text(done) == "Finished: 3 reports read (2 ok, 1 failed) in 1 min 10 s."
    cancelled = RunSummary(run_id=1, state="cancelled", progress=Progress(done=1, total=4, ok=1))
    assert fmt.summary_text(cancelled).startswith("Cancelled after 1 of 4 reports (1 ok, 0 failed).")
    assert "kept" in fmt.summary_text(cancelled)
    nothing = RunSummary(run_id=1, state="finished", progress=Progress())
    assert "Nothing to run" in fmt.summary_text(nothing)
    skipped = RunSummary(run_id=1, state="finished", progress=Progress(done=3, total=3, ok=2, skipped=1))
    assert fmt.summary_text(skipped) == "Finished: 3 reports read (2 ok, 0 failed, 1 skipped)."
    err = RunSummary(run_id=1, state="error", progress=Progress(), error="Disk full.")
    assert fmt.summary_text(err) == "Disk full. Results stored so far are kept."
