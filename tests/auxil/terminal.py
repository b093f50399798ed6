"""``python -m bot …`` with a real terminal (a pseudo-terminal) as its keyboard.

What a person at the keyboard meets and a pipe does not: the console's
prompt, the questions only a terminal is asked (the demo on an empty base).
"""

from __future__ import annotations

import asyncio
import codecs
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

CTRL_D = b"\x04"


@dataclass(frozen=True)
class Screen:
    shown: str
    """Everything the process printed."""
    code: int
    errors: str
    """What it wrote to standard error (a traceback, « Interrompu. »)."""


async def in_a_terminal(
    args: Sequence[str], data_dir: Path, script: Sequence[tuple[str, bytes | signal.Signals]]
) -> Screen:
    """For each ``(shown, keys)`` of ``script``, wait until ``shown`` is on screen (since the
    last keys), then type ``keys`` (or send that signal: Ctrl-C is ``signal.SIGINT``, the
    terminal not being the process's controlling one); the process must end after the last
    ones (Ctrl-D at the prompt, :data:`CTRL_D`)."""
    terminal, keyboard = os.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MATRIX_"))}
    env.pop("DATABASE_URL", None)
    env["FORMABOT_DATA_DIR"] = str(data_dir)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "bot", *args),
        stdin=keyboard,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stdout and process.stderr
    shown, since = "", 0
    decoder = codecs.getincrementaldecoder("utf-8")()  # a character may span two reads
    try:
        for expected, keys in script:
            while expected not in shown[since:]:
                chunk = await asyncio.wait_for(process.stdout.read(200), timeout=60)
                assert chunk, f"ended before {expected!r}: {shown}"
                shown += decoder.decode(chunk)
            since = len(shown)
            if isinstance(keys, bytes):
                os.write(terminal, keys)
            else:
                process.send_signal(keys)
        rest = await asyncio.wait_for(process.stdout.read(), timeout=60)
        shown += decoder.decode(rest, final=True)
        errors = (await asyncio.wait_for(process.stderr.read(), timeout=60)).decode()
        code = await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        os.close(terminal)
        os.close(keyboard)
    return Screen(shown, code, errors)
