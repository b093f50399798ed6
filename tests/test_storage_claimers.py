"""bot.storage.claimers: a process of this host that no longer runs is known to be gone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.storage.claimers import LONGEST, claimer, gone
from tests.auxil.processes import alive, dead, named


def test_a_process_names_itself_by_host_namespace_and_pid() -> None:
    host, namespace, pid = claimer().split(":")
    assert host == socket.gethostname() and pid == str(os.getpid())
    assert namespace == str(os.stat("/proc/self/ns/pid").st_ino)


def test_only_a_process_of_this_host_that_ended_is_gone() -> None:
    assert gone(dead())
    with alive() as running:
        assert not gone(running)
    assert not gone(claimer())  # this very process
    host, namespace, pid = dead().split(":")
    assert not gone(f"autre-machine:{namespace}:{pid}")  # its pids are not ours to ask
    assert not gone(f"{host}:4026531999:{pid}")  # another container on the same host
    for odd in (None, "", "x", "a:b", f"{host}:{namespace}:abc", f"{host}:{namespace}:-1"):
        assert not gone(odd)
    cut = f"{'h' * (LONGEST - 10)}:{namespace}:{pid}"[:LONGEST]
    assert not gone(cut)  # a name cut to the column's size is never read


def test_a_killed_child_not_yet_reaped_is_gone() -> None:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        process.kill()
        os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOWAIT)  # a zombie, not reaped
        assert gone(named(process.pid))
    finally:
        process.wait()
