"""One real llama-cpp-python server (loopback, with an API key) for the module's tests."""
from __future__ import annotations

import secrets as pysecrets

import pytest

from tests.core.remote.llama_server import LlamaServer


@pytest.fixture(scope="session")
def api_key() -> str:
    return "sk-test-" + pysecrets.token_hex(12)


@pytest.fixture(scope="session")
def server(model_path, tmp_path_factory, api_key):
    with LlamaServer(model_path, tmp_path_factory.mktemp("server") / "server.log", api_key=api_key) as srv:
        yield srv


@pytest.fixture
def demo_dir(tmp_path):
    """The first ``n`` bundled chest CT demo reports, copied to a folder of this test."""
    import shutil

    from core.templates import demo_reports_dir

    def make(n: int):
        d = tmp_path / f"reports{n}"
        d.mkdir()
        for p in sorted(demo_reports_dir().glob("*.txt"))[:n]:
            shutil.copy(p, d / p.name)
        return d

    return make
