"""The fuzzing corpora (tests/fuzz/corpus/) as regression inputs from Python.

Every seed and every kept crash input of the libFuzzer harnesses
(tests/fuzz/) goes through the same reader from Python: it either loads or
raises a goodwill error, never anything else (no crash, no pybind11,
nlohmann or std exception). The seeds that goodwill wrote itself must load.
"""

from __future__ import annotations

from pathlib import Path

import goodwill
import pytest
from goodwill import negotiation as neg

CORPUS = Path(__file__).resolve().parents[1] / "fuzz" / "corpus"
SEPARATOR = b"\n<!--goodwill-fuzz-profile-->\n"


def _files(name: str) -> list[Path]:
    return sorted(p for p in (CORPUS / name).rglob("*") if p.is_file())


def test_corpora_are_there() -> None:
    for name in ("ledger_load", "genius_xml", "model_json"):
        assert len(_files(name)) >= 4, name


@pytest.mark.parametrize("path", _files("ledger_load"), ids=lambda p: p.name)
def test_ledger_input(path: Path) -> None:
    try:
        ledger = goodwill.Ledger.load(path)
    except goodwill.GoodwillError:
        assert path.parent.name == "regressions", f"{path.name}: a seed written by goodwill must load"
        return
    assert path.parent.name != "regressions", f"{path.name}: a kept crash input now loads"
    assert len(ledger) >= 0


@pytest.mark.parametrize("path", _files("genius_xml"), ids=lambda p: p.name)
def test_genius_input(path: Path, tmp_path: Path) -> None:
    domain, sep, profile = path.read_bytes().partition(SEPARATOR)
    (tmp_path / "d.xml").write_bytes(domain)
    (tmp_path / "p.xml").write_bytes(profile if sep else domain)
    try:
        neg.load_genius_utilities(tmp_path / "d.xml", tmp_path / "p.xml", tmp_path / "p.xml")
    except goodwill.GoodwillError:
        pass


@pytest.mark.parametrize("path", _files("model_json"), ids=lambda p: p.name)
def test_model_input(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        model = goodwill.RelationshipModel.from_json(text)
    except goodwill.GoodwillError:
        assert path.suffix != ".json" or path.parent.name == "regressions", f"{path.name} must load"
        return
    assert goodwill.RelationshipModel.from_json(model.to_json()).to_dict() == model.to_dict()
