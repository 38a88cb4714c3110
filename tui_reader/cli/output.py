"""What the commands write: one-line warnings, exit codes, and output files written atomically."""
from __future__ import annotations

import sys
from pathlib import Path

from ..core.atomic_write import OutputExists, write_atomically

__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "OutputExists", "emit", "warn", "write_atomically"]

EXIT_FAILURE = 1
EXIT_USAGE = 2


def warn(message: str) -> None:
    """One line on standard error."""
    print(f"tui-reader: {message}", file=sys.stderr)


def emit(text: str, output: str | None, force: bool, *, private: bool = False) -> int:
    """Text to standard output, or atomically to a file; a one-line message on failure."""
    if not output or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return 0
    try:
        write_atomically(Path(output), text, force=force, private=private)
    except OutputExists:
        warn(f"{output} exists; use --force to overwrite it")
        return EXIT_FAILURE
    except OSError as err:
        warn(f"cannot write {output} ({err.strerror or err})")
        return EXIT_FAILURE
    return 0
