"""Progress reporting for long operations (``progress=True``): a tqdm bar when
tqdm is installed, else a line on standard error at every tenth of the work."""

from __future__ import annotations

import sys
from typing import Callable


def progress_printer(desc: str, unit: str = "") -> Callable[[int, int], None]:
    """A ``(done, total)`` callback that shows progress under ``desc``."""
    try:
        from tqdm.auto import tqdm  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        last = [-1]
        suffix = f" {unit}" if unit else ""

        def report(done: int, n: int) -> None:
            tenth = done * 10 // max(n, 1)
            if tenth != last[0]:
                last[0] = tenth
                print(f"{desc}: {done:,}/{n:,}{suffix}", file=sys.stderr, flush=True)

        return report
    bar = tqdm(total=None, desc=desc, unit=unit.rstrip("s") or "it")

    def update(done: int, n: int) -> None:
        if bar.total != n:
            bar.total = n
        bar.update(done - bar.n)
        if done >= n:
            bar.close()

    return update
