"""Real ``formabot`` processes in a blink: forked from one that has imported the bot.

Importing formabot (PTB, SQLAlchemy, the PDF and calendar libraries) takes
a second or more of CPU; a test that kills and restarts the bot at every
step of a flow would spend most of its time there.  The zygote imports
everything once, then forks a child per request: each child is a process of
its own running ``bot.cli.main(argv)`` with its own environment, standard
streams and database connections, exactly as ``python -m bot ...`` would
after its imports.  SIGKILL kills it like any process.

    with Zygote() as zygote:
        child = zygote.spawn(["run"], env, stdout=path)
        child.kill()            # SIGKILL
        child.wait_gone()

The zygote itself runs as ``python -m tests.auxil.zygote`` and reads one JSON
request per line on its standard input (no event loop, no thread: forking
is safe).  Its children are reaped automatically (SIGCHLD ignored).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[2]


class Child:
    """A forked ``formabot`` process (not our child: the zygote reaps it)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    @property
    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, sig)

    def wait_gone(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while self.alive:
            if time.monotonic() > deadline:
                raise TimeoutError(f"process {self.pid} still alive after {timeout:g} s")
            time.sleep(0.005)


class Zygote:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.auxil.zygote"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline().strip()
        if ready != "READY":
            self.close()
            raise RuntimeError(f"the zygote did not start: {ready!r}")

    def spawn(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        stdout: Path,
        stdin: Path | None = None,
    ) -> Child:
        """Fork ``formabot ARGV``; its output (both streams) is appended to ``stdout``."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {
            "argv": list(argv),
            "env": dict(env),
            "stdout": str(stdout),
            "stdin": str(stdin) if stdin is not None else os.devnull,
        }
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return Child(int(answer["pid"]))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _child(request: dict[str, object]) -> None:
    """In the forked child: become ``formabot ARGV`` and never return."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setpgid(0, 0)  # not in the test's process group: its signals are its own
        environ = request["env"]
        assert isinstance(environ, dict)
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in environ.items()})
        os.chdir(ROOT)
        stdin = os.open(str(request["stdin"]), os.O_RDONLY)
        out = os.open(str(request["stdout"]), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(stdin, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.close(stdin)
        os.close(out)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        from bot import cli

        argv = request["argv"]
        assert isinstance(argv, list)
        code = cli.main([str(a) for a in argv])
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def main() -> None:
    # Everything a child needs, imported once (transports are imported lazily by the app,
    # the features' dialogues and services on first use: tests/test_startup.py checks that).
    import bot.cli
    import bot.transports.telegram  # noqa: F401
    from bot.app import FEATURES

    FEATURES.flows.load_all()
    assert FEATURES.jobs

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    print("READY", flush=True)
    buffer = b""
    while True:
        chunk = os.read(0, 65536)  # unbuffered: a child must not inherit pending requests
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(request)
            os.write(1, (json.dumps({"pid": pid}) + "\n").encode())


if __name__ == "__main__":
    main()
