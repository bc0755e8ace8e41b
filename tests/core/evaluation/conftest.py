from pathlib import Path

import pytest

DRAGON_DIR = (Path(__file__).resolve().parents[3] / ".." / "shared" / "dragon").resolve()


@pytest.fixture(scope="session")
def dragon_dir() -> Path:
    if not DRAGON_DIR.is_dir():
        pytest.skip(f"DRAGON reference data not found at {DRAGON_DIR} (expected the repo's sibling shared/dragon)")
    return DRAGON_DIR
