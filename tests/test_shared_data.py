"""Tests that need ``../shared/dragon`` fail, never skip, when it is missing: a CI run
without the reference data must not pass."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DRAGON_TESTS = Path("tests/core/evaluation")


def test_dragon_tests_fail_not_skip_without_the_data(pytester):
    # every conftest.py on the way to the DRAGON tests, in a tree whose ../shared does not exist
    for folder in (DRAGON_TESTS, *DRAGON_TESTS.parents):
        conftest = ROOT / folder / "conftest.py"
        if conftest.is_file():
            (pytester.path / folder).mkdir(parents=True, exist_ok=True)
            shutil.copy(conftest, pytester.path / folder / "conftest.py")
    assert (pytester.path / "tests" / "conftest.py").is_file()
    assert not (pytester.path.parent / "shared").exists()
    (pytester.path / DRAGON_TESTS).mkdir(parents=True, exist_ok=True)
    (pytester.path / DRAGON_TESTS / "test_needs_dragon.py").write_text(
        "def test_reads_the_data(dragon_dir):\n    assert dragon_dir.is_dir()\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", str(DRAGON_TESTS))
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*DRAGON reference data missing at*"])
