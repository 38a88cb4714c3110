"""The command line's parsers: the reader's and one per subcommand, built only when used."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__

if TYPE_CHECKING:
    import argparse

SUBCOMMANDS = ("dump", "mark", "export", "state", "stats")

_OVERVIEW = """\
commands:
  tui-reader [PATH ...]            open the reader on digest files or folders
                                   (default: the library folder, or a demo digest)
  tui-reader dump [PATH ...]       print the parsed papers as JSON Lines
  tui-reader mark --read|--unread|--star|--unstar|--dismiss|--undismiss ID ...
                                   mark papers by arXiv id or URL
  tui-reader export [PATH ...]     write selected papers as BibTeX, Markdown, JSON or CSV
  tui-reader state export FILE     back up the whole reading state as JSON
  tui-reader state import FILE     merge a backup into the reading state
  tui-reader stats [PATH ...]      papers, read and starred, per day and category

Run 'tui-reader COMMAND --help' for a command's options.
"""


def _library_line() -> str:
    """Where the library folder is, for --help (a --home given on the same line is not
    parsed yet: the help names the folder TUI_READER_HOME or the platform gives)."""
    from ..core.paths import AppPaths
    from ..core.text import one_line

    library = one_line(str(AppPaths.resolve(None).library_dir))
    return (f"\nyour library folder: {library}\n"
            "  (put your digests there; --home DIR or TUI_READER_HOME moves it)\n")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", metavar="DIR", help="keep library, state, cache and config under DIR "
                        "(also: TUI_READER_HOME)")


def _add_hidden(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--include-hidden", action="store_true",
                        help="keep the papers the [[hide]] rules of the settings hide")


def _positive_count(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count of papers (1, 2, ...)")
    return value


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
            epilog=_OVERVIEW + _library_line(),
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
        dump.add_argument("--sort", choices=("digest", "relevance"), default="digest",
                          help="digest: newest day first, in digest order (default); relevance: the For-you "
                               "order (unread, not dismissed, best first, across days) with a score key")
        _add_hidden(dump)
        _add_common(dump)
        return dump

    if name == "mark":
        mark = argparse.ArgumentParser(prog="tui-reader mark", description="Mark papers by arXiv id or URL.")
        action = mark.add_mutually_exclusive_group(required=True)
        for flag, text in (("read", "mark read"), ("unread", "mark unread"), ("star", "star (add to the reading queue)"),
                           ("unstar", "remove the star"),
                           ("dismiss", "not interested: leaves the unread counts and teaches the For-you order"),
                           ("undismiss", "take a dismissal back")):
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
        for flag, text in (("starred", "only the reading queue (starred papers, in queue order)"),
                           ("unread", "only unread papers"), ("read", "only read papers")):
            which.add_argument(f"--{flag}", dest="select", action="store_const", const=flag, help=text)
        export.add_argument("--query", "-q", metavar="QUERY", help="only papers matching a search query")
        which.add_argument("--top", metavar="N", type=_positive_count,
                            help="only the N best unread papers, in the For-you order")
        _add_hidden(export)
        from ..core.export import FORMATS

        export.add_argument("--format", "-f", choices=FORMATS, default="markdown",
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
    raise ValueError(f"no such command: {name}")
