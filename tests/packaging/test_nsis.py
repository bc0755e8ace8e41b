"""The Windows installer script compiles with makensis against a placeholder bundle.

makensis is the Debian package ``nsis`` (packaging/setup.sh --dev installs it as root on Debian).
The test fails, rather than skips, in CI (``CI`` set) when makensis is missing."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.packaging.conftest import PACKAGING

NSI = PACKAGING / "windows" / "abstractor.nsi"


@pytest.fixture
def makensis():
    exe = shutil.which("makensis")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("makensis is missing: packaging/setup.sh --dev installs the 'nsis' package")
        pytest.skip("makensis not installed (apt-get install nsis)")
    return exe


def placeholder_bundle(root, *, vcomp=True):
    """The shape of PyInstaller's dist/abstractor on Windows, with stand-in files."""
    (root / "_internal" / "llama_cpp" / "lib").mkdir(parents=True)
    for exe in ("abstractor.exe", "abstractor-cli.exe"):
        (root / exe).write_bytes(b"MZ placeholder")
    (root / "_internal" / "llama_cpp" / "lib" / "llama.dll").write_bytes(b"MZ placeholder")
    (root / "_internal" / "resources").mkdir()
    (root / "_internal" / "resources" / "README.txt").write_text("placeholder")
    if vcomp:
        (root / "_internal" / "vcomp140.dll").write_bytes(b"MZ placeholder")
    return root


def compile_nsi(makensis, src, out, version="1.2.3"):
    return subprocess.run([makensis, "-V2", f"-DVERSION={version}", f"-DSRCDIR={src}", f"-DOUTDIR={out}", str(NSI)],
                          capture_output=True, text=True, timeout=300)


def test_the_installer_compiles_per_user_with_start_menu_uninstaller_and_silent_switch(makensis, tmp_path):
    src = placeholder_bundle(tmp_path / "dist" / "abstractor")
    out = tmp_path / "out"
    out.mkdir()
    proc = compile_nsi(makensis, src, out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    setup = out / "Abstractor-Setup-1.2.3.exe"
    assert setup.read_bytes()[:2] == b"MZ"
    script = NSI.read_text("utf-8")
    assert "RequestExecutionLevel user" in script                      # no admin rights
    assert '"$LOCALAPPDATA\\Programs\\${APP}"' in script               # per-user folder
    assert "$SMPROGRAMS\\${APP}\\${APP}.lnk" in script                 # Start menu
    assert 'WriteUninstaller "$INSTDIR\\Uninstall.exe"' in script
    assert "QuietUninstallString" in script and "/S" in script          # silent install/uninstall documented
    assert "HKLM" not in script


def test_the_installer_refuses_a_bundle_without_the_openmp_runtime(makensis, tmp_path):
    src = placeholder_bundle(tmp_path / "abstractor", vcomp=False)
    proc = compile_nsi(makensis, src, tmp_path)
    assert proc.returncode != 0
    assert "vcomp140.dll missing" in proc.stdout + proc.stderr
    assert not (tmp_path / "Abstractor-Setup-1.2.3.exe").exists()
