"""A Ctrl-C while the ``formabot`` command loads its modules: a word, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CTRL_C_WHILE_LOADING = """
import sys

class CtrlC:
    '''Raises what a Ctrl-C raises, where it lands on a first start: in the imports.'''

    def find_spec(self, name, path=None, target=None):
        if name == "bot.app":
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, CtrlC())
from bot.launch import main
raise SystemExit(main())
"""


def test_a_ctrl_c_while_the_modules_load_says_interrupted_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_WHILE_LOADING, "console"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert (done.returncode, done.stderr, done.stdout) == (130, "Interrompu.\n", "")


def test_without_a_ctrl_c_the_command_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0 and "console" in done.stdout
