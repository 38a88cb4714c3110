"""Where the program keeps things: library, state, cache and config."""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "tui-reader"
HOME_ENV = "TUI_READER_HOME"


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
    if paths:
        return list(paths)
    library = AppPaths.resolve(home).library_dir
    if library.is_dir() and any(library.iterdir()):
        return [str(library)]
    return [demo_digest_path()]
