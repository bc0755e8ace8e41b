"""``abstractor review import``, the round trip from the command line (issue 14): run the embedded model on two
demo reports, export, correct a value and flag a report with openpyxl, import, export again."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from core.templates import demo_reports_dir

ROOT = Path(__file__).resolve().parents[3]
COMMENT = "Diameter 12 mm vs report 14 mm, check with radiologist"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def _sheet(path, name="Results"):
    ws = openpyxl.load_workbook(path)[name]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    return rows[0], {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}


def _edit(path, edits):
    wb = openpyxl.load_workbook(path)
    ws = wb["Results"]
    headers = [c.value for c in ws[1]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for (rid, header), value in edits.items():
        ws.cell(rows[rid], headers.index(header) + 1).value = value
    wb.save(path)


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """A project from a real run of the embedded model on two demo reports, and its Excel export."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    reports = tmp / "reports"
    reports.mkdir()
    for p in sorted(demo_reports_dir().glob("*.txt"))[:2]:
        shutil.copy(p, reports / p.name)
    project, first = tmp / "study.abstractor", tmp / "first.xlsx"
    r = cli("run", "--task", "chest_ct_nodules", "--reports", reports, "--project", project, "--out", first,
            "--threads", 1)
    assert r.returncode == 0, r.stderr
    return tmp, project, first


def test_round_trip_from_the_command_line(exported):
    tmp, project, first = exported
    _, rows = _sheet(first)
    corrected, flagged = sorted(rows)
    assert {rows[r]["Review"] for r in rows} == {"not reviewed"}
    reviewed = tmp / "reviewed.xlsx"
    shutil.copy(first, reviewed)
    old = rows[corrected]["Largest diameter (mm)"]
    new = 14.5 if old != 14.5 else 15.5
    _edit(reviewed, {(corrected, "Largest diameter (mm)"): new, (corrected, "Review"): "corrected",
                     (flagged, "Review"): "flagged", (flagged, "Review comment"): COMMENT})

    r = cli("review", "import", "--project", project, "--from", reviewed, "--reviewer", "registry")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ("Imported reviewed.xlsx: 1 value changed in 1 report, 1 report accepted, "
                                "1 flagged; 0 reports unchanged.")

    second = tmp / "second.xlsx"
    assert cli("export", "--project", project, "--out", second).returncode == 0
    _, again = _sheet(second)
    assert again[corrected]["Largest diameter (mm)"] == new and again[corrected]["Review"] == "corrected"
    assert (again[flagged]["Review"], again[flagged]["Review comment"]) == ("flagged", COMMENT)
    assert again[corrected]["Reviewer"] == again[flagged]["Reviewer"] == "registry"
    _, corrections = _sheet(second, "Corrections")
    row = corrections[corrected]
    assert (row["Key"], row["Model value"], row["Reviewer value"], row["Reviewer"]) == (
        "largest_diameter_mm", old, new, "registry")


def test_invalid_option_is_rejected_and_changes_nothing(exported):
    tmp, project, _ = exported
    before = tmp / "before.xlsx"
    assert cli("export", "--project", project, "--out", before).returncode == 0
    _, rows = _sheet(before)
    rid = sorted(rows)[0]
    bad = tmp / "bad.xlsx"
    shutil.copy(before, bad)
    _edit(bad, {(rid, "Lobe"): "upper lobe", (rid, "Largest diameter (mm)"): 3.0, (rid, "Review"): "accepted"})

    r = cli("review", "import", "--project", project, "--from", bad)
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("abstractor: bad.xlsx was not imported, and nothing changed. Fix this problem")
    assert (f"Row 2 ({rid}), Lobe: 'upper lobe' is not an option; choose one of: right upper lobe, middle lobe, "
            "right lower lobe, left upper lobe, left lower lobe") in r.stderr
    after = tmp / "after.xlsx"
    assert cli("export", "--project", project, "--out", after).returncode == 0
    assert _sheet(after)[1] == _sheet(before)[1]


def test_missing_files_are_one_line_errors(tmp_path):
    r = cli("review", "import", "--project", tmp_path / "none.abstractor", "--from", tmp_path / "x.xlsx")
    assert r.returncode == 1 and r.stderr.strip() == f"abstractor: Project not found: {tmp_path / 'none.abstractor'}"
