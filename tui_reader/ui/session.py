"""The reader's last position (node and paper), kept in a small JSON file in the cache dir."""
from __future__ import annotations

import json
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

SESSION_FILE = "session.json"
MAX_SESSION_BYTES = 64 * 1024
"""A session is two short strings; anything larger is not one."""


@dataclass(slots=True)
class Session:
    """Where the reader was: the tree node key and the paper id."""

    node: str | None = None
    paper: str | None = None


def load_session(path: Path) -> Session:
    """The saved position, or an empty one when the file is missing or unreadable.

    Read like a digest: only a regular file within MAX_SESSION_BYTES, opened without
    blocking (a FIFO there must not hang the start); any error at all means no session."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return Session()
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SESSION_BYTES:
            return Session()
        raw = os.read(fd, MAX_SESSION_BYTES + 1)
        if len(raw) > MAX_SESSION_BYTES:
            return Session()
        data = json.loads(raw.decode("utf-8"))
    except Exception:  # noqa: BLE001 - RecursionError, MemoryError, bad UTF-8: a lost position only
        return Session()
    finally:
        os.close(fd)
    if not isinstance(data, dict):
        return Session()
    node, paper = data.get("node"), data.get("paper")
    return Session(node if isinstance(node, str) else None, paper if isinstance(paper, str) else None)


def save_session(path: Path, session: Session) -> bool:
    """Write the position atomically (temp file + rename); False when it cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".session-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"node": session.node, "paper": session.paper}, fh)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
