"""The command line: the reader, dump, mark, export, state, stats, source and pull."""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    import argparse

SUBCOMMANDS = ("dump", "mark", "export", "state", "stats", "source", "pull")
EXIT_USAGE = 2

_OVERVIEW = """\
commands:
  tui-reader [PATH ...]            open the reader on digest files or folders
                                   (default: the library folder, or a demo digest)
  tui-reader dump [PATH ...]       print the parsed papers as JSON Lines
  tui-reader mark --read|--unread|--star|--unstar ID ...
                                   mark papers by arXiv id or URL
  tui-reader export [PATH ...]     write selected papers as BibTeX, Markdown, JSON or CSV
  tui-reader state export FILE     back up the whole reading state as JSON
  tui-reader state import FILE     merge a backup into the reading state
  tui-reader stats [PATH ...]      papers, read and starred, per day and category
  tui-reader source add URL [--name N] [--branch B] [--language L] [--since YYYY-MM-DD|30d]
                                   subscribe to a generator repository (your fork)
  tui-reader source list           the sources and what was pulled from each
  tui-reader source remove NAME    unsubscribe (the pulled files stay unless --delete-files)
  tui-reader pull [NAME ...]       fetch the new days of every source (or those named)

Run 'tui-reader COMMAND --help' for a command's options.
"""


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", metavar="DIR", help="keep library, state, cache and config under DIR "
                        "(also: TUI_READER_HOME)")


def build_parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser for the reader and one per subcommand."""
    return {name: build_parser(name) for name in ("reader", *SUBCOMMANDS)}


def build_parser(name: str) -> argparse.ArgumentParser:
    """The parser of the reader ("reader") or of one subcommand. Only the one in use is
    built (all six cost ~1.5 ms more)."""
    import argparse

    if name == "reader":
        reader = argparse.ArgumentParser(
            prog="tui-reader",
            description="A terminal reader for daily arXiv paper digests.",
            epilog=_OVERVIEW,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        reader.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (read recursively)")
        reader.add_argument("--version", action="version", version=f"tui-reader {__version__}")
        reader.add_argument("--no-repair", action="store_true",
                            help="refuse to start if the state file is damaged instead of moving it aside")
        _add_common(reader)
        return reader

    if name == "dump":
        dump = argparse.ArgumentParser(prog="tui-reader dump",
                                       description="Print the parsed papers as JSON Lines, one object per paper.")
        dump.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the library)")
        dump.add_argument("--query", "-q", metavar="QUERY", help="only papers matching a search query")
        _add_common(dump)
        return dump

    if name == "mark":
        mark = argparse.ArgumentParser(prog="tui-reader mark", description="Mark papers by arXiv id or URL.")
        action = mark.add_mutually_exclusive_group(required=True)
        for flag, text in (("read", "mark read"), ("unread", "mark unread"), ("star", "star (add to the reading queue)"),
                           ("unstar", "remove the star")):
            action.add_argument(f"--{flag}", dest="action", action="store_const", const=flag, help=text)
        mark.add_argument("ids", nargs="+", metavar="ID", help="arXiv ids (with or without version) or arXiv URLs")
        mark.add_argument("--no-repair", action="store_true",
                          help="refuse to run if the state file is damaged instead of moving it aside")
        _add_common(mark)
        return mark

    if name == "export":
        export = argparse.ArgumentParser(prog="tui-reader export", description="Export selected papers.")
        export.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the library)")
        which = export.add_mutually_exclusive_group()
        for flag, text in (("starred", "only the reading queue (starred papers, oldest star first)"),
                           ("unread", "only unread papers"), ("read", "only read papers")):
            which.add_argument(f"--{flag}", dest="select", action="store_const", const=flag, help=text)
        export.add_argument("--query", "-q", metavar="QUERY", help="only papers matching a search query")
        export.add_argument("--format", "-f", choices=("bibtex", "markdown", "json", "csv"), default="markdown",
                            help="output format (default: markdown)")
        export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
        export.add_argument("--force", action="store_true", help="overwrite an existing output file")
        _add_common(export)
        return export

    if name == "state":
        state = argparse.ArgumentParser(prog="tui-reader state", description="Back up or restore the reading state.")
        state.add_argument("verb", choices=("export", "import"),
                           help="export: write the whole reading state as JSON; import: merge a backup (later change wins)")
        state.add_argument("file", metavar="FILE", help="the JSON backup file")
        state.add_argument("--force", action="store_true", help="overwrite an existing FILE on export")
        _add_common(state)
        return state

    if name == "stats":
        stats = argparse.ArgumentParser(prog="tui-reader stats", description="Papers, read and starred, per day and category.")
        stats.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the library)")
        _add_common(stats)
        return stats
    if name in ("source", "pull"):
        from . import source_commands

        return source_commands.build_source_parser() if name == "source" else source_commands.build_pull_parser()
    raise ValueError(f"no such command: {name}")


def warn(message: str) -> None:
    """One line on standard error."""
    print(f"tui-reader: {message}", file=sys.stderr)


def default_paths(paths: Sequence[str], home: str | None) -> list[str]:
    """The paths to read: those given, else the library folder, else the bundled demo."""
    if paths:
        return list(paths)
    from .core.paths import AppPaths

    library = AppPaths.resolve(home).library_dir
    if library.is_dir() and any(library.iterdir()):
        return [str(library)]
    return [demo_digest_path()]


def demo_digest_path() -> str:
    """The bundled demo digest, written for the project in the current template."""
    from importlib.resources import files

    return str(files("tui_reader.data") / "demo-2025-01-06.md")


def load_for_command(paths: Sequence[str], home: str | None, *, quiet: bool = False):
    """Load the library for a command; warnings go to stderr. Returns (library, any_read)."""
    from .core.cache import ParseCache
    from .core.library import load_library
    from .core.paths import AppPaths

    # The same parse cache as the reader: a year of digests is read once, not per command.
    with ParseCache.open(AppPaths.resolve(home).cache_dir) as cache:
        library = load_library(default_paths(paths, home), cache)
    if not quiet:
        for message in library.warnings:
            warn(message)
    return library, bool(library.digests)


def load_marks(home: str | None) -> dict:
    """The reading marks by paper id, for queries that use them; an absent or unreadable
    state file means no marks (a warning says why when it is unreadable)."""
    from .core.paths import AppPaths

    state_file = AppPaths.resolve(home).state_file
    if not state_file.is_file():
        return {}
    try:
        from .core.store import Store, StoreError
    except ImportError:
        return {}
    try:
        with Store.open(state_file, repair=False) as store:
            return store.marks()
    except (StoreError, OSError) as err:
        warn(f"reading state not used for the query: {err}")
        return {}


def run_dump(args: argparse.Namespace) -> int:
    from .core.export import terminal_safe_json
    from .core.model import paper_record
    from .core.text import render_latex

    library, any_read = load_for_command(args.paths, args.home)
    papers = library.sorted_papers()
    if args.query:
        from .core.query import QueryError, filter_papers

        try:
            papers = filter_papers(papers, args.query, marks=load_marks(args.home))
        except QueryError as err:
            warn(f"bad query: {err}")
            return EXIT_USAGE
    out = sys.stdout
    for paper in papers:
        out.write(terminal_safe_json(json.dumps(paper_record(paper, render_latex), ensure_ascii=False)) + "\n")
    out.flush()
    return 0 if any_read else EXIT_USAGE


def run_reader(args: argparse.Namespace | SimpleNamespace) -> int:
    import signal

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if args.paths and len(missing) == len(args.paths):
        # Nothing to read at all: say so here, as less or vim would, not in an empty reader.
        for path in missing:
            warn(f"{path}: no such file or folder")
        return EXIT_USAGE
    import gc

    # Starting allocates some hundred thousand long-lived objects (modules, classes, styles,
    # widgets) and no garbage worth a pass: the cyclic collector is paused until the first
    # frame is painted (ReaderApp resumes it), which saves it ~100 passes (~25 ms) on the way.
    gc.disable()
    try:
        from .ui.app import run_app

        # SIGTERM ends the reader the way Ctrl+C does, so the terminal is restored and the
        # state closed (the default would leave the terminal in the reader's modes).
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        return run_app(args)
    finally:
        gc.enable()  # also when the reader never painted (no terminal, an error)


def _glue_option_values(argv: Sequence[str]) -> list[str]:
    """Join `--query -word` into `--query=-word`: argparse would take a query that starts
    with '-' (an exclusion such as `-is:read`) for an option and refuse it."""
    out: list[str] = []
    it = iter(argv)
    for arg in it:
        if arg in ("--query", "-q"):
            value = next(it, None)
            if value is not None and value.startswith("-"):
                out.append(f"--query={value}")
                continue
            out.append(arg)
            if value is not None:
                out.append(value)
        else:
            out.append(arg)
    return out


def plain_reader_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """What the reader's parser would make of `argv` when it holds nothing but paths (the
    usual start), without argparse: importing it and building the parser cost ~4 ms of
    every start. None when there is an option, a subcommand or anything else to parse."""
    if (argv and argv[0] in SUBCOMMANDS) or any(arg.startswith("-") for arg in argv):
        return None
    return SimpleNamespace(paths=list(argv), no_repair=False, home=None)


def dispatch(argv: Sequence[str]) -> int:
    plain = plain_reader_args(argv)
    if plain is not None:
        return run_reader(plain)
    argv = _glue_option_values(argv)
    name = argv[0] if argv and argv[0] in SUBCOMMANDS else "reader"
    args = build_parser(name).parse_args(argv[1:] if name != "reader" else argv)
    if name == "reader":
        return run_reader(args)
    if name == "dump":
        return run_dump(args)
    if name in ("source", "pull"):
        from . import source_commands

        return getattr(source_commands, f"run_{name}")(args)
    from . import state_commands

    return getattr(state_commands, f"run_{name}")(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tui-reader` console script; never shows a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return dispatch(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (dump | head): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # the last line of defence: one line, never a traceback
        log = _write_crash_log()
        warn(f"internal error: {type(err).__name__}: {err}" + (f" (details in {log})" if log else ""))
        return 1


def _write_crash_log() -> str | None:
    import tempfile
    import traceback

    try:
        fd, name = tempfile.mkstemp(prefix="tui-reader-crash-", suffix=".log")
        with os.fdopen(fd, "w") as fh:
            traceback.print_exc(file=fh)
        return name
    except OSError:
        return None
