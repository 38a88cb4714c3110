"""A git repository as the sync folder: pull before an exchange, commit and push after."""
from __future__ import annotations

import subprocess
from pathlib import Path

from tui_reader.core.state.store import Store
from tui_reader.core.sync.folder import SyncReport, exchange
from tui_reader.core.sync.log import log_name

GIT_TIMEOUT_SECONDS = 120


def is_git_folder(folder: Path) -> bool:
    """True when the folder is the top of a git working tree."""
    return (folder / ".git").exists()


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          timeout=GIT_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)


def _problem(step: str, result: subprocess.CompletedProcess[str]) -> str:
    lines = (result.stderr or result.stdout).strip().splitlines()
    return f"git {step} in the sync folder failed ({lines[-1] if lines else result.returncode})"


def git_exchange(state: Store | Path | str, folder: Path) -> SyncReport:
    """`exchange` with a git repository as the folder: pull (merge: each machine writes its
    own files, so merges never conflict), exchange, commit this machine's log, push (after
    one more pull if someone pushed meanwhile). A git failure is a problem in the report;
    the exchange through the working tree still happens."""
    problems: list[str] = []
    try:
        upstream = _git(folder, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}").returncode == 0
        if upstream:
            pulled = _git(folder, "pull", "--no-rebase", "--no-edit", "-q")
            if pulled.returncode:
                problems.append(_problem("pull", pulled))
    except (OSError, subprocess.TimeoutExpired) as err:
        report = exchange(state, folder)
        report.problems.append(f"git is not usable for the sync folder ({err})")
        return report
    report = exchange(state, folder)
    report.problems[:0] = problems
    name = log_name(report.machine)
    try:
        _git(folder, "add", "-A", "--", f"{name.removesuffix('.jsonl')}*.jsonl")
        if _git(folder, "diff", "--cached", "--quiet").returncode:
            identity = [] if _git(folder, "config", "user.email").stdout.strip() else [
                "-c", "user.name=tui-reader", "-c", "user.email=tui-reader@localhost"]
            committed = subprocess.run(
                ["git", "-C", str(folder), *identity, "commit", "-q", "-m",
                 f"tui-reader: reading state of machine {report.machine}"],
                capture_output=True, text=True, timeout=GIT_TIMEOUT_SECONDS, stdin=subprocess.DEVNULL)
            if committed.returncode:
                report.problems.append(_problem("commit", committed))
        if upstream:
            pushed = _git(folder, "push", "-q")
            if pushed.returncode:
                _git(folder, "pull", "--no-rebase", "--no-edit", "-q")
                pushed = _git(folder, "push", "-q")
                if pushed.returncode:
                    report.problems.append(_problem("push", pushed))
    except (OSError, subprocess.TimeoutExpired) as err:
        report.problems.append(f"git failed in the sync folder ({err})")
    return report
