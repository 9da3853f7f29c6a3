"""Files written atomically: a temporary file beside the target, flushed and renamed over it.

The Python-side twin of ``include/goodwill/detail/atomic_file.hpp`` (which
the ``.gwl`` ledger save uses): ``with atomic_path(target, "Parquet file") as
tmp:`` hands out the path of a new, exclusively created file in the
target's directory; when the block ends without an exception, the file is
synced to disk and renamed over the target (then the directory is synced),
so the target holds either its old content or the complete new one, never a
part. On an exception the temporary file is removed and the target is left
as it was; an ``OSError`` (or any error of the writer, e.g. Arrow's) becomes
an :class:`~goodwill.InvalidInputError` naming the file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterator

from ._core import InvalidInputError
from ._errors import invalid


def file_error(what: str, path: str | os.PathLike[str], problem: str) -> InvalidInputError:
    """An InvalidInputError about a file, naming it (``field`` is ``"path"``)."""
    return invalid("path", None, problem, subject=f"{what} '{os.fspath(path)}'")


def _fsync_path(path: str, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:  # a file system that cannot open a directory has still renamed
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], what: str) -> Iterator[str]:
    """Yield a temporary path to write; rename it over ``target`` when the block succeeds.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> with atomic_path(os.path.join(d, "a.txt"), "text file") as tmp:
    ...     _ = open(tmp, "w").write("hello")
    >>> open(os.path.join(d, "a.txt")).read()
    'hello'
    """
    path = os.fspath(target)
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if path == "":
        raise file_error(what, path, "the path is empty")
    if os.path.isdir(path):
        raise file_error(what, path, "it is a directory")
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise file_error(what, path, "its directory does not exist")
    tmp = ""
    for _ in range(16):
        candidate = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        except OSError as exc:
            raise file_error(what, path, f"cannot create a temporary file in its directory ({exc.strerror})") from None
        os.close(fd)
        tmp = candidate
        break
    if not tmp:
        raise file_error(what, path, "cannot create a temporary file in its directory")
    try:
        with contextlib.suppress(OSError):  # a replaced file keeps its permissions
            mode = os.stat(path).st_mode
            if stat.S_ISREG(mode):
                os.chmod(tmp, stat.S_IMODE(mode))
        try:
            yield tmp
            _fsync_path(tmp)
            os.replace(tmp, path)
        except InvalidInputError:
            raise
        except OSError as exc:
            raise file_error(what, path, f"{exc.strerror or exc} (the file is unchanged)") from None
        except Exception as exc:  # noqa: BLE001 - a writer's own error (pyarrow's, pandas')
            raise file_error(what, path, f"{type(exc).__name__}: {exc} (the file is unchanged)") from None
    finally:
        with contextlib.suppress(OSError):
            if os.path.exists(tmp):
                os.remove(tmp)
    _fsync_path(directory, directory=True)
