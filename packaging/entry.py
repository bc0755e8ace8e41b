"""The frozen app's entry point (PyInstaller runs this; from source it is ``gui.launcher:main``)."""
import os
import sys

if sys.platform == "win32" and getattr(sys, "frozen", False):
    # llama.dll needs vcomp140.dll (MSVC's OpenMP runtime), which the bundle ships next to it and
    # at its top.  Put the bundle's folders on the DLL search path and import PySide6 (which adds
    # its own DLL folder with the C++ runtime) before llama_cpp can load llama.dll.
    _base = sys._MEIPASS
    for _d in (_base, os.path.join(_base, "llama_cpp", "lib")):
        os.add_dll_directory(_d)
    os.environ["PATH"] = os.pathsep.join([_base, os.path.join(_base, "llama_cpp", "lib"), os.environ.get("PATH", "")])
    import PySide6  # noqa: F401

from gui.launcher import main

raise SystemExit(main())
