"""The ``formabot`` command's entry point, before any of the bot's modules is loaded.

Loading them takes a few tenths of a second on a first start; a Ctrl-C in
that time used to print Python's traceback.  Here it ends like a Ctrl-C
anywhere else before the bot's own handler is in place
(:func:`bot.cli.main`): « Interrompu. » and the exit code 130.
"""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from bot.cli import main as run
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    return run()
