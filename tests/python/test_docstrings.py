"""``help()`` on every public function and class shows its parameters, what it
returns and an example (numpy docstring style).

For every callable in ``goodwill.__all__``, ``goodwill.negotiation.__all__``
and ``goodwill.io.__all__``
(functions and classes; for a class its class docstring, whose Parameters
section documents the constructor): an ``Examples`` section with at least one
``>>>`` line; a ``Parameters`` section when it takes parameters (not asked of
exception and warning classes, which goodwill raises); a ``Returns``
(or ``Yields``) section when a function returns something (its annotation is
not ``None``). Sections are numpy style: a title line underlined by dashes.
"""

from __future__ import annotations

import doctest
import inspect
import re
from typing import Any

import goodwill
import goodwill.negotiation
import pytest

_SECTION = re.compile(r"^\s*([A-Z][A-Za-z ]+)\n\s*-{3,}\s*$", re.MULTILINE)


def sections(doc: str | None) -> dict[str, str]:
    """numpy-style sections of a docstring: title -> body."""
    if not doc:
        return {}
    doc = inspect.cleandoc(doc)
    found = list(_SECTION.finditer(doc))
    out: dict[str, str] = {}
    for k, m in enumerate(found):
        end = found[k + 1].start() if k + 1 < len(found) else len(doc)
        out[m.group(1).strip()] = doc[m.end() : end]
    return out


def _public() -> dict[str, Any]:
    names: dict[str, Any] = {}
    for module in (goodwill, goodwill.negotiation, goodwill.io):
        prefix = "" if module is goodwill else module.__name__.split(".")[-1] + "."
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj) or inspect.isbuiltin(obj) or (
                callable(obj) and not inspect.ismodule(obj)
            ):
                names[prefix + name] = obj
    return names


PUBLIC = _public()


def _takes_parameters(obj: Any) -> bool:
    # exceptions and warnings are raised by goodwill, not built by the user
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return False
    target = obj.__init__ if inspect.isclass(obj) else obj
    if inspect.isclass(obj) and target is object.__init__:
        return False
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return False
    params = [p for p in sig.parameters.values() if p.name not in ("self", "cls")]
    return bool(params)


def _returns_something(obj: Any) -> bool:
    if inspect.isclass(obj):
        return False
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return True
    ann = sig.return_annotation
    return ann not in (None, "None", type(None))


def problems(obj: Any) -> list[str]:
    """What the docstring of ``obj`` lacks (empty when complete)."""
    doc = inspect.getdoc(obj) if not inspect.isclass(obj) else obj.__doc__
    if not doc or not doc.strip():
        return ["no docstring"]
    s = sections(doc)
    missing = []
    if _takes_parameters(obj) and "Parameters" not in s:
        missing.append("Parameters")
    if _returns_something(obj) and "Returns" not in s and "Yields" not in s:
        missing.append("Returns")
    if "Examples" not in s or ">>>" not in s["Examples"]:
        missing.append("Examples")
    return missing


def test_every_public_callable_is_checked() -> None:
    # the set is not empty, and holds the main entry points
    for name in ("Ledger", "report", "relationship_selling", "negotiation.run_session",
                 "io.from_crm_opportunities", "io.synthetic_crm_export"):
        assert name in PUBLIC


def test_section_parser() -> None:
    doc = """Summary.

    Parameters
    ----------
    x : int
        A number.

    Returns
    -------
    int

    Examples
    --------
    >>> 1
    1
    """
    assert list(sections(doc)) == ["Parameters", "Returns", "Examples"]
    assert "x : int" in sections(doc)["Parameters"]
    assert sections("no sections here") == {}

    def f(x: int) -> int:
        """Only a summary."""
        return x

    assert problems(f) == ["Parameters", "Returns", "Examples"]
    f.__doc__ = doc
    assert problems(f) == []


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_docstring_is_complete(name: str) -> None:
    missing = problems(PUBLIC[name])
    assert not missing, f"goodwill.{name}: docstring lacks {', '.join(missing)}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_examples_run(name: str) -> None:
    # the examples of the docstring itself (not of a class's methods) give what they show
    obj = PUBLIC[name]
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    tests = finder.find(obj, f"goodwill.{name}", globs={})
    assert tests and any(t.examples for t in tests)
    for test in tests:
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"goodwill.{name}: {result.failed} of {result.attempted} examples failed"
