"""Writing a file so that it is either all there or not there: temp file beside it, fsync, rename."""
from __future__ import annotations

import os
from pathlib import Path


class OutputExists(Exception):
    """The output file exists and --force was not given."""


def write_atomically(target: Path, text: str, *, force: bool, private: bool = False) -> None:
    """Write text to a temporary file beside target, then move it into place in one step.
    Without force an existing target is never replaced (OutputExists); OSError otherwise.
    A private file is readable by its owner only (0600), like the state it comes from."""
    import tempfile  # ~2 ms to import: only when something is written

    folder = target.parent if str(target.parent) else Path(".")
    if not force and (target.exists() or target.is_symlink()):
        raise OutputExists(str(target))
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not private:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp_name, 0o666 & ~umask)
        if force:
            os.replace(temp_name, target)
        else:
            try:
                os.link(temp_name, target)  # fails if target appeared meanwhile: never clobbers
            except FileExistsError:
                raise OutputExists(str(target)) from None
            except OSError:
                if target.exists():
                    raise OutputExists(str(target)) from None
                os.replace(temp_name, target)  # a filesystem without hard links
    finally:
        if os.path.lexists(temp_name):
            os.unlink(temp_name)
