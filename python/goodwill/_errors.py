"""The one way the Python layer raises :class:`goodwill.InvalidInputError`.

``raise invalid(field, row, problem)`` words the message as the C++ core
words its ``goodwill::invalid_input`` (``"row 3, field 'amount': is
negative"``) and sets the error's ``.field`` and ``.row``, as the C++
translation does, so code that catches the error can find the bad cell
whichever layer found it. No module constructs InvalidInputError itself
(``tests/python/test_errors.py`` scans the package for it).

Examples
--------
>>> from goodwill._errors import invalid
>>> err = invalid("amount", 3, "is negative")
>>> str(err), err.field, err.row
("row 3, field 'amount': is negative", 'amount', 3)
"""

from __future__ import annotations

from ._core import InvalidInputError

__all__ = ["invalid"]


def invalid(field: str, row: int | None, problem: str, *, subject: str | None = None) -> InvalidInputError:
    """An InvalidInputError about ``field`` (and ``row``, zero-based, where known), to raise.

    The message is ``"row R, field 'F': problem"`` (``"field 'F': problem"``
    without a row); ``subject`` replaces that prefix where the input is not a
    field of a table (a file: ``"Parquet file 'x.parquet'"``).

    Parameters
    ----------
    field : str
        The argument or column at fault (``.field``).
    row : int or None
        The zero-based row at fault (``.row``), None when the fault is not one row's.
    problem : str
        What is wrong, worded for the user.
    subject : str, optional
        The message's prefix instead of the row and field.

    Returns
    -------
    InvalidInputError
        The error, with ``.field`` and ``.row`` set.

    Examples
    --------
    >>> invalid("threads", None, "must be an integer, got 'x'").args[0]
    "field 'threads': must be an integer, got 'x'"
    """
    row = None if row is None else int(row)
    if subject is None:
        subject = f"row {row}, field '{field}'" if row is not None else f"field '{field}'"
    err = InvalidInputError(f"{subject}: {problem}")
    err.field = field
    err.row = row
    return err
