"""git's processes end with the pull: each git runs in a process group of its own, watched
by a small shell that ends the group when the pull ends without saying it is done.

A pull killed with SIGTERM or SIGKILL runs no code of its own, so nothing in it can stop a
git fetch (and the ssh or upload-pack under it) that would otherwise run on for minutes.
PR_SET_PDEATHSIG would need a preexec_fn, unsafe beside the reader's worker threads, and
would reach git alone, not its children. Instead a watchdog (`sh`) reads a pipe whose
writing end only this process holds: when the process ends, however, the kernel closes it,
the watchdog reads end-of-file and kills git's whole group. When git ends normally the pull
writes "done" and the watchdog leaves quietly. The group also keeps the terminal's Ctrl+C
and hang-up away from git: the pull itself decides (and ends the group on its way out).
"""
from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

WATCHDOG = ('trap "" HUP INT TERM QUIT; read -r group; read -r word; '
            '[ "$word" = done ] || [ -z "$group" ] || '
            '{ kill -TERM "-$group"; sleep 2; kill -KILL "-$group"; } 2>/dev/null')  # dash takes no --
"""The watchdog's script: the group on the first line; "done" on the second, or end-of-file
(the pull died) and the group is ended, politely first."""


@contextmanager
def git_process(argv: list[str], **popen_args: Any) -> Iterator[subprocess.Popen[bytes]]:
    """Popen(argv) for git in a process group of its own that cannot outlive this process;
    leaving the block with git still running (an exception, a timeout) ends its group."""
    if os.name != "posix":  # no process groups: git as before
        with subprocess.Popen(argv, **popen_args) as proc:
            yield proc
        return
    reading, writing = os.pipe()  # neither end is inherited by git (close_fds)
    try:
        watchdog = subprocess.Popen(["/bin/sh", "-c", WATCHDOG], stdin=reading, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, close_fds=True)
    finally:
        os.close(reading)
    try:
        proc = subprocess.Popen(argv, process_group=0, close_fds=True, **popen_args)
    except BaseException:
        os.close(writing)  # end-of-file with no group: the watchdog just ends
        watchdog.wait()
        raise
    _tell(writing, f"{proc.pid}\n")
    try:
        yield proc
    finally:
        try:
            if proc.poll() is None:  # left early: git and whatever it started end now
                _kill_group(proc.pid)
                proc.wait()
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()
        finally:
            _tell(writing, "done\n")
            os.close(writing)
            watchdog.wait()


def _tell(pipe: int, line: str) -> None:
    """A line to the watchdog; one that is gone (killed by hand) leaves nothing to tell."""
    try:
        os.write(pipe, line.encode())
    except OSError:
        pass


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run_git(argv: list[str], *, input_bytes: bytes | None, timeout: float,
            env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    """subprocess.run(argv, capture_output=True) for git, through git_process: standard input
    is `input_bytes` or nothing (never the terminal: git's group is not its foreground);
    subprocess.TimeoutExpired after `timeout` seconds, git's group ended."""
    stdin = subprocess.PIPE if input_bytes is not None else subprocess.DEVNULL
    with git_process(argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) as proc:
        out, err = proc.communicate(input_bytes, timeout=timeout)
        return subprocess.CompletedProcess(argv, proc.returncode, out, err)
