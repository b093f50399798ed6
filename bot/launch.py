"""The ``formabot`` command's entry point, before any of the bot's modules is loaded.

Loading them takes a few tenths of a second on a first start; a Ctrl-C in
that time used to print Python's traceback.  Here it ends like a Ctrl-C
anywhere else before the bot's own handler is in place
(:func:`bot.cli.main`): « Interrompu. » and the exit code 130.  A data
folder formabot cannot write to (a read-only mount, another user's folder,
a full disk) is said in French, with the folder, not with a traceback
(explorer R R9); so is a database or a Telegram token that refuses the start,
the key named and the secret kept out (:mod:`bot.refused`).
"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> int:
    try:
        from bot.cli import main as run
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    try:
        return run()
    except Exception as exc:
        from bot.refused import why_refused
        from bot.unwritable import why_unwritable

        reason = why_unwritable(exc)
        if reason is not None:
            print(unwritable(exc, reason), file=sys.stderr)
            return 1
        # A database or a Bot API that says no (explorer BC5, BC6, GC8).
        refusal = why_refused(exc, database_url())
        if refusal is None:
            raise
        print(refusal, file=sys.stderr)
        return 1


def database_url() -> str | None:
    """The settings' DATABASE_URL, when they can be read: a refusal names its user and base."""
    from bot import config

    try:
        return config.load().database_url
    except (Exception, SystemExit):
        return None


def unwritable(exc: BaseException, reason: str) -> str:
    from bot import config

    named = exc.filename if isinstance(exc, OSError) and exc.filename else None
    folder = Path(named).parent if named else config.load().data_dir
    act = (
        "libérez de la place"
        if reason == "le disque est plein"
        else "donnez-lui un dossier où il peut écrire (FORMABOT_DATA_DIR dans .env)"
    )
    return (
        f"formabot ne peut pas écrire dans {folder.resolve()} : {reason}. Il y garde sa base, "
        f"son verrou et ses documents : {act}, puis relancez. Rien n'a été enregistré."
    )
