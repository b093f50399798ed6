"""How formabot was started, for the hints that tell a person to type a command again.

After ``make run`` there is no ``formabot`` on the PATH, only ``.venv/bin/formabot``: a
hint saying « formabot demo --retirer » failed as typed (explorer BE13, « command not
found »), in the command line's messages and in the chat's alike.

A data folder given on the command line (``FORMABOT_DATA_DIR=/tmp/essai formabot demo``)
is given again in a hint that acts on that base (:func:`command_on_this_base`): typed as
printed, « Essayez : formabot console --as formateur » opened ``./data``, an empty base or
another one, and « … demo --retirer » sent from the bot on Telegram removed nothing there
(explorer EB1).
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from dotenv import dotenv_values


def typed_command() -> str:
    """``formabot`` as the hints should have it typed again: the path it was started by
    (« .venv/bin/formabot », as ``make run`` starts it), else ``formabot``."""
    started = sys.argv[0] if sys.argv else ""
    return started if Path(started).name == "formabot" and os.sep in started else "formabot"


def command_on_this_base() -> str:
    """:func:`typed_command`, preceded by ``FORMABOT_DATA_DIR=…`` when the data folder came
    from the environment, not from what the same command typed again in this folder reads
    (its ``.env``, else ``data``)."""
    given = os.environ.get("FORMABOT_DATA_DIR", "").strip()
    env_file = Path(".env")
    read_again = dotenv_values(env_file).get("FORMABOT_DATA_DIR") if env_file.exists() else None
    if not given or given == ((read_again or "").strip() or "data"):
        return typed_command()
    return f"FORMABOT_DATA_DIR={shlex.quote(given)} {typed_command()}"
