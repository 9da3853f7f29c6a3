"""The package itself: version, stubs, what the wheel holds."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

import goodwill


def test_version_has_one_source(repo_root):
    header = (repo_root / "include/goodwill/version.hpp").read_text()
    parts = [re.search(rf"#define GOODWILL_VERSION_{p} (\d+)", header).group(1) for p in ("MAJOR", "MINOR", "PATCH")]
    expected = ".".join(parts)
    assert goodwill.__version__ == expected
    assert importlib.metadata.version("goodwill") == expected


def test_wheel_holds_no_headers_or_cmake_files():
    files = [str(f) for f in importlib.metadata.files("goodwill") or []]
    assert any(f.startswith("goodwill/_core") for f in files), files
    assert not [f for f in files if f.endswith((".hpp", ".h", ".cmake"))]


SUBMODULES = ("relationship", "negotiation", "value", "synthetic", "decision")


def test_typing_markers_are_installed():
    package = Path(goodwill.__file__).parent
    assert (package / "py.typed").is_file()
    # the stubs are a package, one file per submodule of _core; every public
    # name each module exports has a stub in its own file
    for name in ("",) + SUBMODULES:
        module = goodwill._core if not name else getattr(goodwill._core, name)
        stub = (package / "_core" / f"{name or '__init__'}.pyi").read_text()
        public = [n for n in dir(module) if not n.startswith("__")]
        missing = [n for n in public if not re.search(rf"\b{n}\b", stub)]
        assert not missing, (name, missing)
