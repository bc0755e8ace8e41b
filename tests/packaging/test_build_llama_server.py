"""packaging/build-llama-server.sh builds llama-server only from the llama-cpp-python version setup.sh installs.

The build itself (minutes) is not run here: these cases are refused before anything is extracted."""
from __future__ import annotations

import io
import re
import subprocess
import tarfile

from tests.packaging.conftest import PACKAGING

SCRIPT = PACKAGING / "build-llama-server.sh"


def installed_version() -> str:
    m = re.search(r'^LLAMA_VERSION="([^"]+)"$', (PACKAGING / "setup.sh").read_text("utf-8"), re.M)
    assert m, "packaging/setup.sh names no LLAMA_VERSION"
    return m.group(1)


def fake_sdist(path, top: str, version: str):
    data = f"Metadata-Version: 2.1\nName: llama_cpp_python\nVersion: {version}\n".encode()
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(f"{top}/PKG-INFO")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def build(sdist, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.run(["bash", str(SCRIPT), str(sdist)], capture_output=True, text=True, env=env, timeout=60)


def test_an_sdist_of_another_version_is_refused(tmp_path):
    other = "0.0.1"
    r = build(fake_sdist(tmp_path / f"llama_cpp_python-{other}.tar.gz", f"llama_cpp_python-{other}", other),
              tmp_path)
    assert r.returncode == 2, r.stderr
    assert f"llama_cpp_python-{installed_version()}.tar.gz" in r.stderr
    assert not (tmp_path / "cache").exists()


def test_an_sdist_renamed_to_the_right_version_is_refused_by_its_metadata(tmp_path):
    v = installed_version()
    r = build(fake_sdist(tmp_path / f"llama_cpp_python-{v}.tar.gz", f"llama_cpp_python-{v}", "0.0.1"), tmp_path)
    assert r.returncode == 2, r.stderr
    assert "version '0.0.1'" in r.stderr
    assert not (tmp_path / "cache").exists()
