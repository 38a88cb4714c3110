"""Where the program keeps things (library, state, cache, config) and which digests it reads."""
from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

APP_NAME = "tui-reader"
HOME_ENV = "TUI_READER_HOME"
OPENED_PATHS_FILE = "opened-paths.json"
"""In the cache folder: the paths the reader was last opened on, for the commands."""


@dataclass(slots=True, frozen=True)
class AppPaths:
    """The folders and files the program uses, all under one home when one is given."""

    library_dir: Path
    state_file: Path
    cache_dir: Path
    config_file: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike[str] | None = None) -> AppPaths:
        """--home wins, then TUI_READER_HOME, then platformdirs' per-user folders."""
        home = home or os.environ.get(HOME_ENV) or None
        if home:
            root = Path(home).expanduser()
            return cls(root / "library", root / "state.sqlite3", root / "cache", root / "config.toml")
        import platformdirs

        data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
        return cls(
            data / "library",
            data / "state.sqlite3",
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml",
        )


def demo_digest_path() -> str:
    """The bundled demo digest, written for the project in the current template."""
    from importlib.resources import files

    return str(files("tui_reader.data") / "demo-2025-01-06.md")


def default_paths(paths: Sequence[str], home: str | None) -> list[str]:
    """The paths to read: those given, else the library folder, else the bundled demo."""
    return choose_paths(paths, AppPaths.resolve(home)).paths


def library_is_empty(library_dir: Path) -> bool:
    """True when the library folder is missing or holds no file but hidden ones (a source
    added but never pulled leaves only its dot-named mirror and manifest). Stops at the
    first file found."""
    try:
        for _root, folders, files in os.walk(library_dir):
            folders[:] = [name for name in folders if not name.startswith(".")]
            if any(not name.startswith(".") for name in files):
                return False
    except OSError:
        return True
    return True


def ensure_library_dir(library_dir: Path) -> bool:
    """Create the library folder (and its parents) when missing, so the person finds it where
    the demo says; False when it cannot be created (nothing else depends on it)."""
    try:
        library_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True


def reading_demo(paths: Sequence[str]) -> bool:
    """True when these are the paths of the bundled demo (nothing of the person's own)."""
    return list(paths) == [demo_digest_path()]


def demo_notice(library_dir: Path) -> str:
    """What the demo tells a person about where their digests go (one line, for the UI)."""
    from tui_reader.core.sources.pull import sources_pulled_empty

    empty = sources_pulled_empty(library_dir)
    if empty:
        name, newest = empty[0]
        return (f"This is a bundled demo digest: source {name} pulled no day (its since is after its "
                f"newest day, {newest}); 'tui-reader source list' says what to change.")
    return (f"This is a bundled demo digest. Subscribe with 'tui-reader source add URL' and "
            f"'tui-reader pull', or put digests in {library_dir}, or name files on the command line.")


PathOrigin = Literal["given", "library", "last-opened", "demo"]


@dataclass(slots=True)
class PathChoice:
    """The paths a start or a command reads, and where they came from."""

    paths: list[str]
    origin: PathOrigin
    library_dir: Path
    notice: str | None = None
    """One line to show when the origin is not what the person asked for (the demo, or the
    paths the reader last opened); None when they named paths or the library has digests."""


def choose_paths(paths: Sequence[str], app_paths: AppPaths, *, last_opened: bool = False) -> PathChoice:
    """The paths given, else the library folder when it holds anything, else (with
    last_opened) the paths the reader was last opened on, else the bundled demo."""
    library = app_paths.library_dir
    if paths:
        return PathChoice(list(paths), "given", library)
    if not library_is_empty(library):
        return PathChoice([str(library)], "library", library)
    if last_opened:
        opened = last_opened_paths(app_paths.cache_dir)
        if opened:
            return PathChoice(opened, "last-opened", library,
                              f"the library folder {library} is empty; reading the paths the reader "
                              f"last opened: {', '.join(opened)}")
    return PathChoice([demo_digest_path()], "demo", library,
                      f"no digests in the library folder {library}; reading the bundled demo digest "
                      "(put your digests there, or name them on the command line)")


def record_opened_paths(cache_dir: Path, paths: Sequence[str]) -> bool:
    """Remember the paths the reader was opened on (absolute, those that exist), written
    atomically to the cache folder; False when it cannot be written."""
    from tui_reader.core.atomic_write import write_atomically

    absolute = [os.path.abspath(p) for p in paths if os.path.lexists(p)]
    if not absolute:
        return False
    if last_opened_paths(cache_dir) == absolute:
        return True  # unchanged: no write (and no fsync) at every start on the same paths
    try:
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_atomically(cache_dir / OPENED_PATHS_FILE, json.dumps({"paths": absolute}, ensure_ascii=False) + "\n",
                         force=True, private=True)
    except OSError:
        return False
    return True


def last_opened_paths(cache_dir: Path) -> list[str]:
    """The paths the reader was last opened on that still exist ([] when none or unreadable)."""
    try:
        data = json.loads((cache_dir / OPENED_PATHS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, list):
        return []
    return [p for p in paths if isinstance(p, str) and os.path.lexists(p)]
