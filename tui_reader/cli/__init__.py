"""The command line: the reader, dump, mark, export, state, stats, source, pull, sync, serve (entry point `main`).

Each command's module is imported only when that command runs, so a plain start of the
reader pays for neither argparse nor the other commands."""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .output import EXIT_FAILURE, EXIT_USAGE, OutputError, guard_stdout, silence_stdout, warn
from .parsers import SUBCOMMANDS

if TYPE_CHECKING:
    import argparse

__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "SUBCOMMANDS", "build_parser", "build_parsers", "dispatch", "main"]


def build_parser(name: str) -> argparse.ArgumentParser:
    """The parser of the reader ("reader") or of one subcommand."""
    from .parsers import build_parser as build

    return build(name)


def build_parsers() -> dict[str, argparse.ArgumentParser]:
    """One parser for the reader and one per subcommand."""
    from .parsers import build_parsers as build

    return build()


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


def mistyped_command(argv: Sequence[str]) -> str | None:
    """The subcommand the first argument was meant to be ("stat" -> "stats") when it is
    no subcommand, no option and no existing path, but close to a subcommand's name."""
    if not argv or argv[0] in SUBCOMMANDS or argv[0].startswith("-") or os.path.lexists(argv[0]):
        return None
    import difflib

    close = difflib.get_close_matches(argv[0], SUBCOMMANDS, n=1, cutoff=0.6)
    return close[0] if close else None


def dispatch(argv: Sequence[str]) -> int:
    """Run the command argv names (the reader when it names none); returns the exit code."""
    from .reader import run_reader

    meant = mistyped_command(argv)
    if meant is not None:
        from .output import one_line_arg

        warn(f"unknown command {one_line_arg(argv[0])}; did you mean {meant}? (see 'tui-reader --help')")
        return EXIT_USAGE
    plain = plain_reader_args(argv)
    if plain is not None:
        return run_reader(plain)
    argv = _glue_option_values(argv)
    name = argv[0] if argv and argv[0] in SUBCOMMANDS else "reader"
    args = build_parser(name).parse_args(argv[1:] if name != "reader" else argv)
    if name == "reader":
        return run_reader(args)
    guard_stdout()  # a closed or full standard output is one line, not an internal error
    if name in ("source", "pull"):
        from . import sources

        return int(getattr(sources, f"run_{name}")(args))
    if name in ("dump", "export", "stats"):
        from . import papers

        return int(getattr(papers, f"run_{name}")(args))
    if name == "sync":
        from .sync import run_sync

        return run_sync(args)
    if name == "serve":
        from .serve import run_serve

        return run_serve(args)
    from . import state

    return int(getattr(state, f"run_{name}")(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `tui-reader` console script; never shows a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        code = dispatch(argv)
        if sys.stdout is not None:
            sys.stdout.flush()  # here, so a full disk is reported, not ignored at exit
        return code
    except KeyboardInterrupt:
        return 130
    except OutputError as err:
        silence_stdout()
        warn(f"cannot write output ({err})")
        return EXIT_FAILURE
    except BrokenPipeError:
        # The reader of our output went away (dump | head): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception as err:  # the last line of defence: one line, never a traceback
        log = _write_crash_log()
        warn(f"internal error: {type(err).__name__}: {err}" + (f" (details in {log})" if log else ""))
        return EXIT_FAILURE


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
