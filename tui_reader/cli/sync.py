"""`tui-reader sync`: exchange the reading state through the sync folder, set it, or show it."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .output import EXIT_FAILURE, EXIT_USAGE, warn, write_atomically

if TYPE_CHECKING:
    import argparse

    from ..core.state.store import Store


def _set_folder(config_file: Path, folder: Path) -> bool:
    """Write `[sync] folder` into the settings file atomically, keeping the rest of it."""
    from ..core.config import ConfigError, with_sync_folder

    try:
        text = config_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as err:
        warn(f"cannot read {config_file} ({getattr(err, 'strerror', None) or err}); the folder was not set")
        return False
    try:
        updated = with_sync_folder(text, str(folder))
    except ConfigError as err:
        warn(f"{config_file}: {err}; the folder was not set")
        return False
    try:
        config_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(config_file, updated, force=True)
    except OSError as err:
        warn(f"cannot write {config_file} ({err.strerror or err}); the folder was not set")
        return False
    return True


def _configured_folder(config_file: Path) -> Path | None:
    from ..core.config import load_config

    config, problem = load_config(config_file)
    if problem:
        warn(problem)
    return Path(config.sync_folder).expanduser() if config.sync_folder else None


def run_sync(args: argparse.Namespace) -> int:
    """tui-reader sync [--folder DIR] [--status] [--repair]."""
    from ..core.paths import AppPaths
    from ..core.state.store import Store, StoreError

    paths = AppPaths.resolve(args.home)
    if args.repair:
        if not _repair(paths.state_file):
            return EXIT_FAILURE
        if not args.folder and _configured_folder(paths.config_file) is None:
            return 0
    if args.folder:
        folder = Path(args.folder).expanduser().absolute()
        if folder.exists() and not folder.is_dir():
            warn(f"{args.folder} is not a folder")
            return EXIT_USAGE
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            warn(f"cannot make the folder {args.folder} ({err.strerror or err})")
            return EXIT_FAILURE
        if not _set_folder(paths.config_file, folder):
            return EXIT_FAILURE
        print(f"sync folder set to {folder} (in {paths.config_file})")
    else:
        configured = _configured_folder(paths.config_file)
        if configured is None:
            warn("no sync folder is set; run 'tui-reader sync --folder DIR' once")
            return EXIT_USAGE
        folder = configured
    try:
        store = Store.open(paths.state_file)
    except StoreError as err:
        warn(str(err))
        return EXIT_FAILURE
    try:
        if args.status:
            return _print_status(store, folder)
        return _exchange(store, folder)
    except StoreError as err:
        warn(str(err))
        return EXIT_FAILURE
    finally:
        store.close()


def _repair(state_file: Path) -> bool:
    """`sync --repair`: one line saying what was brought back in range (see repair_clock)."""
    from ..core.state.store import Store, StoreError
    from ..core.sync.state import repair_clock

    try:
        with Store.open(state_file) as store:
            if store.read_only:
                warn(f"cannot repair: {store.notice or 'the state file is read-only'}")
                return False
            result = repair_clock(store)
    except StoreError as err:
        warn(str(err))
        return False
    if result.fields or result.was > result.clock:
        print(f"repaired {result.fields} change time{'s' if result.fields != 1 else ''} "
              f"(more than a day ahead or in another form); the clock was {result.was[:40]!r}, "
              f"now {result.clock}")
    else:
        print("nothing to repair: every change time and the clock are in range")
    return True


def _exchange(store: Store, folder: Path) -> int:
    from ..core.sync.folder import exchange
    from ..core.sync.git import git_exchange, is_git_folder

    report = git_exchange(store, folder) if is_git_folder(folder) else exchange(store, folder)
    for problem in report.problems:
        warn(problem)
    print(f"machine {report.machine}: {report.summary()}")
    return EXIT_FAILURE if report.problems else 0


def _print_status(store: Store, folder: Path) -> int:
    from ..core.sync.folder import sync_status

    status = sync_status(store, folder)
    lines = [f"this machine  {status.machine}",
             f"folder        {status.folder}{'' if folder.is_dir() else ' (missing)'}",
             f"last exchange {status.last_exchange_at or 'never'}",
             f"pending       {status.pending} changes to send"]
    if status.machines or status.unread_machines:
        lines += ["", "machines seen:"]
        for machine in status.machines:
            lines.append(f"  {machine.machine}  last read {machine.last_read_at or 'never'}  "
                         f"latest change {machine.latest_change or '-'}  {machine.changes_read} changes"
                         f"{f' ({machine.files} files)' if machine.files > 1 else ''}")
        for unread in status.unread_machines:
            lines.append(f"  {unread}  not read yet")
    print("\n".join(lines))
    return 0
