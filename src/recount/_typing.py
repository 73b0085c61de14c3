"""Types every domain shares.

``Progress`` is the one way the core reports how far a long task has gone. The core calls it;
only the fronts draw something with it (a Rich bar in the CLI, a job's state in the web app)::

    def import_file(..., progress: Progress | None = None) -> ImportResult:
        ...
        if progress:
            progress("rows", done, total)

``what`` names the unit or the step ("rows", "files", "sweeps", "scoring pairs"); ``done`` counts
what is finished so far; ``total`` is the number expected, or None when it is not known.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, "int | None"], None]

__all__ = ["Progress"]
