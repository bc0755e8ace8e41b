"""The .deb: packaging/linux/build-deb.sh around a placeholder bundle (the real one: build-linux.sh)."""
from __future__ import annotations

import configparser
import shutil
import subprocess

import pytest

from tests.packaging.conftest import PACKAGING


@pytest.fixture
def dpkg_deb():
    exe = shutil.which("dpkg-deb")
    if exe is None:
        pytest.skip("dpkg-deb is Debian's; this is not a Debian system")
    return exe


def test_the_deb_installs_the_bundle_a_menu_entry_and_an_icon(dpkg_deb, tmp_path):
    bundle = tmp_path / "dist" / "abstractor"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "abstractor").write_text("#!/bin/sh\necho placeholder\n")
    (bundle / "abstractor").chmod(0o755)
    proc = subprocess.run(["bash", str(PACKAGING / "linux" / "build-deb.sh"), str(bundle), "1.2.3", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    deb = next(tmp_path.glob("abstractor_1.2.3_*.deb"))
    listing = subprocess.run([dpkg_deb, "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/abstractor/abstractor", "./usr/share/applications/abstractor.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/abstractor.png",
                 "./usr/share/icons/hicolor/scalable/apps/abstractor.svg",
                 "./usr/bin/abstractor -> /opt/abstractor/abstractor"):
        assert path in listing, path
    fields = subprocess.run([dpkg_deb, "-f", str(deb), "Package", "Version", "Depends"], capture_output=True,
                            text=True, check=True).stdout
    assert "Package: abstractor" in fields and "Version: 1.2.3" in fields and "libxcb-cursor0" in fields

    entry = configparser.ConfigParser(interpolation=None)
    entry.read(PACKAGING / "linux" / "abstractor.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application" and d["Terminal"] == "false"
    assert d["Exec"].split()[0] == "/opt/abstractor/abstractor" and d["Icon"] == "abstractor"
