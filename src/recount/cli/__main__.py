"""``python -m recount.cli``: the same as the ``recount`` command."""

from recount.cli import main

main()
