"""The source and pull subcommands: subscribe to generator repositories and pull them."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .output import EXIT_FAILURE, EXIT_USAGE, message_line

if TYPE_CHECKING:
    import argparse

    from ..core.config import Config
    from ..core.paths import AppPaths


def _say(message: str, *, error: bool = True) -> None:
    """One printable line of bounded length (git's and a remote's messages are data)."""
    text = message_line(message)
    if error:
        print(f"tui-reader: {text}", file=sys.stderr)
    else:
        print(text)


def _load(home: str | None) -> tuple[AppPaths, Config] | None:
    """(paths, config) or None after a one-line message when config.toml is unusable."""
    from ..core.config import ConfigError, parse_config
    from ..core.paths import AppPaths

    paths = AppPaths.resolve(home)
    try:
        text = paths.config_file.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    except (OSError, UnicodeDecodeError) as err:
        _say(f"{paths.config_file}: cannot read ({getattr(err, 'strerror', None) or err})")
        return None
    try:
        return paths, parse_config(text)
    except ConfigError as err:
        _say(f"{paths.config_file}: {err}")
        return None


def run_source(args: argparse.Namespace) -> int:
    """`tui-reader source add|list|remove`."""
    return {"add": _source_add, "list": _source_list, "remove": _source_remove}[args.verb](args)


def _source_add(args: argparse.Namespace) -> int:
    from ..core.config import ConfigError
    from ..core.config_edit import add_source_to_config
    from ..core.sources.git_fetch import GitMissingError
    from ..core.sources.pull import PullError, probe_source
    from ..core.sources.source import (
        Source,
        SourceError,
        check_url,
        empty_window,
        name_from_url,
        owner_from_url,
        parse_since,
        repository_key,
        validate_source_name,
    )

    loaded = _load(args.home)
    if loaded is None:
        return EXIT_USAGE
    paths, config = loaded
    url = args.url.strip()
    if not url:
        _say("source add: the URL is empty")
        return EXIT_USAGE
    try:
        check_url(url)
    except SourceError as err:
        _say(str(err))
        return EXIT_USAGE
    taken = {s.name for s in config.sources}
    same = [s for s in config.sources if repository_key(s.url) == repository_key(url)]
    if same and (args.name is None or args.name not in taken):  # a name taken is said below
        _say(f"{url} is already subscribed as source {same[0].name!r} (see 'tui-reader source list')")
        return EXIT_USAGE
    name = args.name
    if name is None:
        name = name_from_url(url)
        owner = owner_from_url(url)
        if name in taken and owner:
            name = f"{owner}-{name}"[:64]
    try:
        validate_source_name(name)
        if args.since:
            parse_since(args.since)
    except SourceError as err:
        _say(str(err))
        return EXIT_USAGE
    if name in taken:
        _say(f"a source named {name!r} exists already (choose another with --name)")
        return EXIT_USAGE
    from ..core.sources.pull import is_foreign_folder

    if is_foreign_folder(paths.library_dir / name):
        free = next(f"{name}-{n}" for n in range(2, 10_000)
                    if f"{name}-{n}" not in taken and not (paths.library_dir / f"{name}-{n}").exists())
        _say(f"{paths.library_dir / name} holds day files no pull wrote; choose another name, "
             f"e.g. --name {free}")
        return EXIT_USAGE
    source = Source(name, url, args.branch or None, args.language, args.since or None)
    found = ""
    if not args.no_check:
        try:
            layout = probe_source(source, paths.library_dir)
        except (PullError, GitMissingError) as err:
            _say(str(err))
            return EXIT_FAILURE
        langs = ", ".join(repr(lang) if not lang else lang for lang in layout.languages) or "no AI files"
        if args.language is not None and args.language.casefold() not in {lang.casefold() for lang in layout.languages}:
            _say(f"{url} has no AI files in language {args.language!r} (its languages: {langs}); "
                 "choose one with --language, or leave it out")
            _forget_probe(paths.library_dir, name)
            return EXIT_USAGE
        if args.since and args.since.strip() and parse_since(args.since) > date.fromisoformat(layout.last_day):
            why, suggested = empty_window(args.since, layout.last_day)
            # Added all the same (a rolling window may fill again), but a pull would take nothing.
            _say(f"{name}: {why}: a pull takes nothing until a newer day comes; "
                 f"add it with --since {suggested} to read from there?")
        if layout.every_file_bytes:
            _say(f"{url} does not serve partial clones (git: filtering not recognized by server): every file "
                 f"was downloaded ({_size(layout.every_file_bytes)}), not only commits and listings")
        found = (f" (branch '{layout.branch}': {layout.days} days, {layout.first_day} to {layout.last_day}; "
                 f"languages: {langs})")
    try:
        add_source_to_config(paths.config_file, source)
    except (ConfigError, OSError) as err:
        _say(str(err) if isinstance(err, ConfigError) else f"{paths.config_file}: cannot write ({err.strerror})")
        return EXIT_FAILURE
    _say(f"added source {name}{found}; run 'tui-reader pull {name}' to fetch it", error=False)
    return 0


def _size(count: int) -> str:
    """A byte count for a person: 9.9 MB, 126 MB, 512 KB."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= scale:
            value = count / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{count} bytes"


def _forget_probe(library_dir: Path, name: str) -> None:
    """Remove the folder a refused `source add` left (its mirror), if nothing else is in it."""
    import shutil

    folder = library_dir / name
    if folder.is_dir() and all(entry.name.startswith(".") for entry in folder.iterdir()):
        shutil.rmtree(folder, ignore_errors=True)


def _source_list(args: argparse.Namespace) -> int:
    from ..core.sources.pull import nothing_pulled_since, pulled_days

    loaded = _load(args.home)
    if loaded is None:
        return EXIT_USAGE
    paths, config = loaded
    if not config.sources:
        _say(f"no sources in {paths.config_file}; add one with 'tui-reader source add URL'", error=False)
        return 0
    for source in config.sources:
        options = [f"branch {source.branch}" if source.branch else "",
                   f"language {source.language!r}" if source.language is not None else "",
                   f"since {source.since}" if source.since else ""]
        days = pulled_days(paths.library_dir, source.name)
        empty = None if days else nothing_pulled_since(paths.library_dir, source)
        pulled = (f"{len(days)} days pulled, newest {days[-1]}" if days
                  else f"nothing pulled: {empty}" if empty else "not pulled yet")
        extra = ", ".join(o for o in options if o)
        _say(f"{source.name}  {source.url}{f'  ({extra})' if extra else ''}  {pulled}", error=False)
    return 0


def _source_remove(args: argparse.Namespace) -> int:
    from ..core.config import ConfigError
    from ..core.config_edit import remove_source_from_config

    loaded = _load(args.home)
    if loaded is None:
        return EXIT_USAGE
    paths, _config = loaded
    try:
        removed = remove_source_from_config(paths.config_file, args.name)
    except ConfigError as err:
        _say(str(err))
        return EXIT_USAGE if "no source named" in str(err) else EXIT_FAILURE
    except OSError as err:
        _say(f"{paths.config_file}: cannot write ({err.strerror})")
        return EXIT_FAILURE
    folder = paths.library_dir / removed.name
    if args.delete_files and folder.is_dir() and not folder.is_symlink():
        from ..core.sources.pull import delete_pulled_files

        left = delete_pulled_files(folder)
        if left:
            shown = ", ".join(left[:3]) + (f" and {len(left) - 3} more" if len(left) > 3 else "")
            _say(f"removed source {removed.name} and the files it pulled; {len(left)} file"
                 f"{'s' if len(left) != 1 else ''} no pull wrote stay in {folder} ({shown})", error=False)
        else:
            _say(f"removed source {removed.name} and its folder {folder}", error=False)
    elif folder.is_dir():
        _say(f"removed source {removed.name}; its files stay in {folder} (--delete-files drops them)", error=False)
    else:
        _say(f"removed source {removed.name}", error=False)
    return 0


def run_pull(args: argparse.Namespace) -> int:
    """`tui-reader pull [NAME ...]`: every source in turn, a line each; exit 1 if any failed."""
    from ..core.sources.git_fetch import GitMissingError, find_git
    from ..core.sources.pull import PullFailure, PullProgress, pull_sources

    loaded = _load(args.home)
    if loaded is None:
        return EXIT_USAGE
    paths, config = loaded
    if not config.sources:
        _say(f"no sources to pull: add one with 'tui-reader source add URL' (config: {paths.config_file})")
        return EXIT_USAGE
    by_name = {s.name: s for s in config.sources}
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        _say(f"no source named {unknown[0]!r} (sources: {', '.join(by_name)})")
        return EXIT_USAGE
    try:
        find_git()
    except GitMissingError as err:
        _say(str(err))
        return EXIT_FAILURE
    chosen = [by_name[n] for n in dict.fromkeys(args.names)] or config.sources
    live = sys.stderr.isatty() and not args.quiet

    def show(progress: PullProgress) -> None:
        # A progress line rewritten in place on a terminal; nothing in a log or from cron.
        sys.stderr.write("\r\x1b[2K" + progress.line() if progress.stage != "done" else "\r\x1b[2K")
        sys.stderr.flush()

    outcomes = pull_sources(chosen, paths.library_dir, show if live else None)
    failed = 0
    for outcome in outcomes:
        if isinstance(outcome, PullFailure):
            failed += 1
            if live:
                sys.stderr.write("\r\x1b[2K")
            _say(outcome.summary())
            continue
        for note in outcome.notes:
            _say(note)
        if not args.quiet:
            _say(outcome.summary(), error=False)
    return EXIT_FAILURE if failed else 0

