"""The case store: the only code that opens connections, holds transactions or writes SQL.

Domain packages ask the store for what they need through query functions, one module per
concept (``store/events.py``, ``store/custody.py``, ...): each takes the open connection the
domain got from ``case.reading()`` or ``case.writing()`` and plain values, and returns plain
values. The rules (what may be written, what a user is told) stay in the domain; the store holds
only how it is asked of the database. ``Connection`` and ``Engine`` are re-exported for the
domain's type hints.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection as Connection
    from sqlalchemy import Engine as Engine

__all__ = ["Connection", "Engine"]


def __getattr__(name: str) -> object:
    # At run time only on demand: importing the store must not import SQLAlchemy.
    if name in __all__:
        import sqlalchemy

        return getattr(sqlalchemy, name)
    raise AttributeError(f"module 'recount.store' has no attribute {name!r}")
