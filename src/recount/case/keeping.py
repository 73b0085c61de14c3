"""Keeping a case: a consistent backup of a live case (``case/backup.py``), a verified restore
(``case/restore.py``), a move to PostgreSQL (``case/move.py``). The fronts and the tests import
them from here.
"""

from __future__ import annotations

from recount.case.backup import backup_case, custody_heads
from recount.case.move import move_case
from recount.case.restore import restore_case

__all__ = ["backup_case", "custody_heads", "move_case", "restore_case"]
