"""How formabot was started, for the hints that tell a person to type a command again.

After ``make run`` there is no ``formabot`` on the PATH, only ``.venv/bin/formabot``: a
hint saying « formabot demo --retirer » failed as typed (explorer BE13, « command not
found »), in the command line's messages and in the chat's alike.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def typed_command() -> str:
    """``formabot`` as the hints should have it typed again: the path it was started by
    (« .venv/bin/formabot », as ``make run`` starts it), else ``formabot``."""
    started = sys.argv[0] if sys.argv else ""
    return started if Path(started).name == "formabot" and os.sep in started else "formabot"
