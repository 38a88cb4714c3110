"""Homes sharing a sync folder, for the sync tests: each home its own TUI_READER_HOME."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from tui_reader.core.paths import AppPaths
from tui_reader.core.state.store import Store
from tui_reader.core.sync.folder import SyncReport, exchange


@dataclass
class Home:
    """One machine: its own home folder (state file inside) and its view of the folder."""

    root: Path
    folder: Path
    store: Store

    @classmethod
    def make(cls, base: Path, name: str, folder: Path) -> Home:
        root = base / name
        root.mkdir(parents=True)
        folder.mkdir(parents=True, exist_ok=True)
        return cls(root, folder, Store.open(AppPaths.resolve(root).state_file))

    def exchange(self, **options: bool) -> SyncReport:
        return exchange(self.store, self.folder, **options)

    def records(self) -> list[dict]:
        return self.store.records()


def paper(n: int) -> str:
    return f"2501.{n:05d}"


def visible_state(home: Home) -> dict[str, tuple]:
    """What a person sees of every paper: values only (change times may legitimately be
    re-attributed, values may not differ)."""
    return {r["id"]: (r["read_at"], r["starred_at"], r["note"], tuple(r["tags"]), r.get("queue_pos"))
            for r in home.records()}


def copy_folder(source: Path, target: Path) -> None:
    """What a sync tool does: every log of `source` appears in `target` (whole files,
    each replaced in one step)."""
    for path in source.iterdir():
        if path.is_file() and not path.name.startswith("."):
            temp = target / f".{path.name}.copying"
            shutil.copyfile(path, temp)
            temp.replace(target / path.name)
