"""The reader's last position (node and paper), kept in a small JSON file in the cache dir."""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

SESSION_FILE = "session.json"


@dataclass(slots=True)
class Session:
    """Where the reader was: the tree node key and the paper id."""

    node: str | None = None
    paper: str | None = None


def load_session(path: Path) -> Session:
    """The saved position, or an empty one when the file is missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Session()
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
