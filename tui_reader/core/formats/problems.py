"""What every parser shares: DigestError (a file that is no digest) and ProblemLog (a
damaged file's warnings, bounded); the package imports the parsers lazily, they import this."""
from __future__ import annotations

from tui_reader.core.model import Digest


class DigestError(ValueError):
    """A file that cannot be read as a digest at all; the message is one line."""


MAX_WARNINGS_PER_FILE = 20
"""A damaged file lists this many problems, then says how many more there were."""


class ProblemLog:
    """A file's warnings: the first MAX_WARNINGS_PER_FILE are kept, the rest only counted
    (a hostile file with a bad line on every line must not cost a message per line)."""

    __slots__ = ("digest", "hidden")

    def __init__(self, digest: Digest) -> None:
        self.digest = digest
        self.hidden = 0

    def add(self, message: str) -> None:
        if len(self.digest.warnings) < MAX_WARNINGS_PER_FILE:
            self.digest.warnings.append(message)
        else:
            self.hidden += 1

    def close(self) -> None:
        """Say how many problems were not listed; call once, after parsing."""
        if self.hidden:
            self.digest.warnings.append(
                f"{self.digest.source}: {self.hidden} more problems like these not listed"
            )
            self.hidden = 0
