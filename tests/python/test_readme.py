"""README.md's Python examples run as written, top to bottom.

Every fenced ``python`` block of the README is one test, run in order in one
shared namespace (a block may use what an earlier one defined) inside a
temporary working directory, so the files the examples write (``events.gwl``,
``orders.csv``, ``report.html``, ...) land there. A block fails if it raises.

A block whose first line starts with ``>>>`` is a session: each example's
shown output is checked against what it prints, the warnings it emits
(``DataWarning: message``) and the exception it raises (``goodwill.Error:
message``, with or without a ``Traceback`` header; the dotted name must be the
class raised). Matching uses doctest's ELLIPSIS and NORMALIZE_WHITESPACE.

A block may be skipped only by an explicit, visible marker on the line just
before its fence, ``<!-- skip-test: reason -->``; it is reported as skipped
with that reason. Examples read no reference data: ``../shared/data`` is off
limits to them (they use what the package generates).
"""

from __future__ import annotations

import contextlib
import doctest
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

_FENCE = re.compile(r"^```(\w*)\s*$")
_SKIP = re.compile(r"^<!--\s*skip-test:\s*(.+?)\s*-->\s*$")
_TRACEBACK = re.compile(r"^Traceback \(most recent call last\):\s*$")
_RAISED = re.compile(r"^(?P<name>[A-Za-z_][\w.]*(?:Error|Exception|Warning)):(?P<message>.*)$")


@dataclass
class Block:
    index: int
    line: int  # 1-based line of the opening fence
    source: str
    skip: str | None

    @property
    def id(self) -> str:
        return f"block{self.index:02d}-line{self.line}"


def readme_blocks(text: str) -> list[Block]:
    """The ``python`` blocks of a markdown text, in order, with their skip markers."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        lang, start = m.group(1), i
        j = i + 1
        while j < len(lines) and not lines[j].startswith("```"):
            j += 1
        if j == len(lines):
            raise AssertionError(f"README.md line {start + 1}: code fence never closed")
        if lang == "python":
            k = start - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            marker = _SKIP.match(lines[k].strip()) if k >= 0 else None
            blocks.append(Block(len(blocks), start + 1, "\n".join(lines[start + 1 : j]) + "\n",
                                marker.group(1) if marker else None))
        i = j + 1
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))


@dataclass
class Session:
    """The namespace the blocks share and what has run so far."""

    workdir: Path
    namespace: dict[str, Any] = field(default_factory=dict)
    done: dict[int, str | None] = field(default_factory=dict)  # index -> None (ran) or failure


def _compile(source: str, name: str, mode: str) -> Any:
    return compile(source, name, mode, dont_inherit=True)


def _run_session_block(block: Block, ns: dict[str, Any]) -> None:
    """Run a ``>>>`` block example by example and check each shown output."""
    parser = doctest.DocTestParser()
    checker = doctest.OutputChecker()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    for example in parser.get_examples(block.source):
        where = f"README.md line {block.line + 1 + example.lineno}"
        want_lines = [ln for ln in example.want.splitlines() if not _TRACEBACK.match(ln)]
        # the traceback's body ("  ...") is not compared, only its last line
        while want_lines and want_lines[0].startswith((" ", "\t")) and any(
            _TRACEBACK.match(ln) for ln in example.want.splitlines()
        ):
            want_lines.pop(0)
        expected_error: tuple[str, str] | None = None
        if want_lines:
            m = _RAISED.match(want_lines[-1])
            if m and not m.group("name").endswith("Warning"):
                expected_error = (m.group("name"), m.group("message").strip())
        out = io.StringIO()
        raised: BaseException | None = None
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
            warnings.simplefilter("always")
            try:
                exec(_compile(example.source, where, "single"), ns)  # noqa: S102 - running the README is the test
            except Exception as exc:  # noqa: BLE001 - the example's exception is the output
                raised = exc
        got = "".join(f"{type(w.message).__name__}: {w.message}\n" for w in caught) + out.getvalue()
        if raised is not None:
            if expected_error is None:
                raise AssertionError(f"{where}: {example.source.strip()!r} raised") from raised
            cls = eval(expected_error[0], ns)  # a name written in the README
            assert isinstance(raised, cls), (
                f"{where}: expected {expected_error[0]}, got {type(raised).__module__}."
                f"{type(raised).__qualname__}: {raised}")
            got += f"{expected_error[0]}: {raised}\n"
        want = "".join(ln + "\n" for ln in want_lines)
        # the README shows a warning as "Category: message"; names may be qualified
        want = re.sub(r"(?m)^[A-Za-z_][\w.]*\.(\w+Warning):", r"\1:", want)
        if not checker.check_output(want, got, flags):
            raise AssertionError(f"{where}: {example.source.strip()!r}\n"
                                 f"--- shown in the README\n{want}--- got\n{got}")


def _run(block: Block, session: Session) -> None:
    name = f"README.md block {block.index} (line {block.line})"
    cwd = Path.cwd()
    os.chdir(session.workdir)
    try:
        if block.source.lstrip().startswith(">>>"):
            _run_session_block(block, session.namespace)
        else:
            exec(_compile(block.source, name, "exec"), session.namespace)  # noqa: S102 - as above
    finally:
        os.chdir(cwd)
        try:
            import matplotlib.pyplot as plt

            plt.close("all")
        except ImportError:  # pragma: no cover - matplotlib is a dependency
            pass


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    os.environ.setdefault("MPLBACKEND", "Agg")
    return Session(tmp_path_factory.mktemp("readme"))


def test_readme_has_python_examples() -> None:
    assert len(BLOCKS) >= 10
    # the examples use what the package generates, never the reference data
    readers = [b.id for b in BLOCKS if "shared/data" in b.source]
    assert not readers, f"README blocks read ../shared/data: {readers}"


def test_block_parser_reads_markers() -> None:
    text = ("x\n```python\na = 1\n```\n<!-- skip-test: needs distributed -->\n\n```python\n"
            "b = 2\n```\n```sh\nls\n```\n```python\n>>> a\n1\n```\n")
    blocks = readme_blocks(text)
    assert [(b.line, b.skip) for b in blocks] == [(2, None), (7, "needs distributed"), (13, None)]


def test_session_blocks_check_their_output() -> None:
    ns: dict[str, Any] = {}
    _run_session_block(Block(0, 1, ">>> 1 + 1\n2\n", None), ns)
    with pytest.raises(AssertionError, match="shown in the README"):
        _run_session_block(Block(0, 1, ">>> 1 + 1\n3\n", None), ns)
    _run_session_block(Block(0, 1, ">>> int('x')\nTraceback (most recent call last):\n  ...\n"
                                   "ValueError: invalid literal for int() with base 10: 'x'\n", None), ns)
    with pytest.raises(AssertionError, match="raised"):
        _run_session_block(Block(0, 1, ">>> int('x')\n", None), ns)
    with pytest.raises(AssertionError, match="expected KeyError"):
        _run_session_block(Block(0, 1, ">>> int('x')\nKeyError: 'x'\n", None), ns)
    _run_session_block(Block(0, 1, ">>> import warnings\n>>> warnings.warn('careful', UserWarning)\n"
                                   "UserWarning: careful\n", None), ns)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_readme_block(block: Block, session: Session) -> None:
    # run every earlier block first (in order), so any selection of tests works
    for earlier in BLOCKS[: block.index]:
        if earlier.index in session.done:
            continue
        if earlier.skip is not None:
            session.done[earlier.index] = None
            continue
        try:
            _run(earlier, session)
            session.done[earlier.index] = None
        except Exception as exc:  # noqa: BLE001
            session.done[earlier.index] = f"{type(exc).__name__}: {exc}"
    failed = [f"{BLOCKS[i].id}: {why}" for i, why in sorted(session.done.items()) if why]
    if block.skip is not None:
        session.done[block.index] = None
        pytest.skip(f"README.md line {block.line}: {block.skip}")
    if failed:
        session.done[block.index] = "not run"
        pytest.fail(f"not run: an earlier README block failed ({failed[0]})")
    try:
        _run(block, session)
    except BaseException as exc:
        session.done[block.index] = f"{type(exc).__name__}: {exc}"
        raise
    session.done[block.index] = None
