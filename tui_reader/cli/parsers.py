"""The command line's parsers: the reader's and one per subcommand, built only when used."""
from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from .. import __version__

if TYPE_CHECKING:
    import argparse

SUBCOMMANDS = ("dump", "mark", "export", "state", "stats", "source", "pull", "sync", "serve")

_OVERVIEW = """\
commands:
  tui-reader [PATH ...]            open the reader on digest files or folders
                                   (default: the library folder, or a demo digest)
  tui-reader dump [PATH ...]       print the parsed papers as JSON Lines
  tui-reader mark --read|--unread|--star|--unstar|--dismiss|--undismiss ID ...
                                   mark papers by arXiv id or URL
  tui-reader export [PATH ...]     write selected papers as BibTeX, Markdown, JSON, CSV, Atom or RIS
  tui-reader state export FILE     back up the whole reading state as JSON
  tui-reader state import FILE     merge a backup into the reading state
  tui-reader stats [PATH ...]      papers, read and starred, per day and category
  tui-reader source add URL [--name N] [--branch B] [--language L] [--since YYYY-MM-DD|30d]
                                   subscribe to a generator repository (your fork)
  tui-reader source list           the sources and what was pulled from each
  tui-reader source remove NAME    unsubscribe (the pulled files stay unless --delete-files)
  tui-reader pull [NAME ...]       fetch the new days of every source (or those named)
  tui-reader sync [--folder DIR]   exchange the reading state with other machines
                                   through a shared folder; --status shows them
  tui-reader serve [PATH ...]      the reader in a browser, on 127.0.0.1 behind a token

Run 'tui-reader COMMAND --help' for a command's options.
"""


_PATH_RULE = ("without PATH: the library folder; when it is empty, the paths the reader last opened; "
              "else the bundled demo (a line on stderr says which). The same rule for dump, export and stats.")


def _parser_class() -> type[argparse.ArgumentParser]:
    """argparse's parser whose errors are one line (the usage block stays under --help)."""
    import argparse

    class OneLineErrors(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")

    return OneLineErrors


def _add_no_repair_for_reading(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--no-repair", action="store_true",
                        help="accepted for scripts: this command never repairs the state file (it only reads it)")


def _library_line() -> str:
    """Where the library folder is, for --help (a --home given on the same line is not
    parsed yet: the help names the folder TUI_READER_HOME or the platform gives)."""
    from ..core.paths import AppPaths
    from ..core.formats.text import one_line

    library = one_line(str(AppPaths.resolve(None).library_dir))
    return (f"\nyour library folder: {library}\n"
            "  (put your digests there; --home DIR or TUI_READER_HOME moves it)\n")


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", metavar="DIR", help="keep library, state, cache and config under DIR "
                        "(also: TUI_READER_HOME)")


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", metavar="L", help="a day written in several languages shows the AI files "
                        "of this one, e.g. English, Chinese (default: the settings' language, else English)")


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
        reader = _parser_class()(
            prog="tui-reader",
            description="A terminal reader for daily arXiv paper digests.",
            epilog=_OVERVIEW + _library_line(),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        reader.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (read recursively)")
        reader.add_argument("--version", action="version", version=f"tui-reader {__version__}")
        reader.add_argument("--no-repair", action="store_true",
                            help="refuse to start if the state file is damaged instead of moving it aside")
        _add_language(reader)
        _add_common(reader)
        return reader

    if name == "dump":
        dump = _parser_class()(prog="tui-reader dump", epilog=_PATH_RULE,
                                       description="Print the parsed papers as JSON Lines, one object per paper.")
        dump.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: see below)")
        dump.add_argument("--query", "-q", metavar="QUERY", help="only papers matching a search query")
        dump.add_argument("--sort", choices=("digest", "relevance"), default=None,
                          help="digest: newest day first, in digest order (default; with like: in the query, "
                               "most similar first); relevance: the For-you "
                               "order (unread, not dismissed, best first, across days) with a score key")
        _add_hidden(dump)
        _add_no_repair_for_reading(dump)
        _add_language(dump)
        _add_common(dump)
        return dump

    if name == "mark":
        mark = _parser_class()(prog="tui-reader mark", description="Mark papers by arXiv id or URL.")
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
        export = _parser_class()(prog="tui-reader export", epilog=_PATH_RULE, description="Export selected papers.")
        export.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: see below)")
        which = export.add_mutually_exclusive_group()
        for flag, text in (("starred", "only the reading queue (starred papers, in queue order)"),
                           ("unread", "only unread papers"), ("read", "only read papers")):
            which.add_argument(f"--{flag}", dest="select", action="store_const", const=flag, help=text)
        export.add_argument("--query", "-q", metavar="QUERY", help="only papers matching a search query")
        which.add_argument("--top", metavar="N", type=_positive_count,
                            help="only the N best unread papers, in the For-you order")
        _add_hidden(export)
        from ..core.export.papers import FORMATS

        export.add_argument("--format", "-f", choices=FORMATS, default="markdown",
                            help="output format (default: markdown)")
        export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
        export.add_argument("--force", action="store_true", help="overwrite an existing output file")
        _add_no_repair_for_reading(export)
        _add_language(export)
        _add_common(export)
        return export

    if name == "serve":
        serve = _parser_class()(
            prog="tui-reader serve", description="Serve the reader to a browser. Every request needs the "
            "random token in the printed link; on a server, reach it through 'ssh -L PORT:127.0.0.1:PORT'.")
        serve.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: the library)")
        serve.add_argument("--host", default="127.0.0.1",
                           help="the interface to listen on (default: 127.0.0.1, this machine only)")
        serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
        _add_common(serve)
        return serve

    if name == "state":
        state = _parser_class()(prog="tui-reader state", description="Back up or restore the reading state.")
        state.add_argument("verb", choices=("export", "import"),
                           help="export: write the whole reading state as JSON; import: merge a backup (later change wins)")
        state.add_argument("file", metavar="FILE", help="the JSON backup file")
        state.add_argument("--force", action="store_true", help="overwrite an existing FILE on export")
        state.add_argument("--no-repair", action="store_true",
                           help="import: refuse a damaged state file instead of moving it aside "
                                "(export never repairs: it only reads)")
        _add_common(state)
        return state

    if name == "stats":
        stats = _parser_class()(prog="tui-reader stats", epilog=_PATH_RULE,
                                        description="Papers, read and starred, per day and category. Per day, a paper "
                                        "counts once, on the first day a digest listed it (the reader's tree "
                                        "counts each day's listings, so a paper listed again counts there too).")
        stats.add_argument("paths", nargs="*", metavar="PATH", help="digest files or folders (default: see below)")
        _add_no_repair_for_reading(stats)
        _add_language(stats)
        _add_common(stats)
        return stats
    if name in ("source", "pull"):
        return _build_source_parser() if name == "source" else _build_pull_parser()

    if name == "sync":
        sync = _parser_class()(
            prog="tui-reader sync",
            description="Exchange the reading state with other machines through a folder that "
                        "Syncthing, Dropbox, a network share or git keeps in step.")
        sync.add_argument("--folder", metavar="DIR",
                          help="use DIR as the sync folder from now on (written to config.toml), then exchange")
        sync.add_argument("--status", action="store_true",
                          help="show the machines seen, the last exchange with each and the changes waiting")
        sync.add_argument("--repair", action="store_true",
                          help="bring change times more than a day ahead (and the clock) back to now, "
                               "then exchange if a folder is set")
        _add_common(sync)
        return sync
    raise ValueError(f"no such command: {name}")


def _build_source_parser() -> argparse.ArgumentParser:
    """The parser of `tui-reader source add|list|remove`."""
    import argparse

    parser = _parser_class()(prog="tui-reader source",
                                     description="Subscribe to daily-arXiv-ai-enhanced repositories.")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="add|list|remove")
    add = verbs.add_parser("add", help="add a generator repository as a source",
                           description="Add a generator repository (any URL git can fetch) as a source. "
                           "Its layout is found by itself: a 'data' branch, else data/ on the default branch.")
    add.add_argument("url", metavar="URL", help="https://github.com/OWNER/REPO, git@host:OWNER/REPO, a path or file://")
    add.add_argument("--name", help="the source's name and library folder (default: the repository's name)")
    add.add_argument("--branch", help="the branch holding data/ (default: found by itself)")
    add.add_argument("--language", help="the AI files' language, e.g. English, Chinese; '' for the "
                     "language-less files (default: the newest day's, English first)")
    add.add_argument("--since", metavar="YYYY-MM-DD|30d", help="pull days from this date on (or days/weeks back)")
    add.add_argument("--no-check", action="store_true", help="do not ask the repository now (offline)")
    _add_common(add)
    listing = verbs.add_parser("list", help="list the sources", description="List the sources.")
    _add_common(listing)
    remove = verbs.add_parser("remove", help="remove a source", description="Remove a source from config.toml.")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--delete-files", action="store_true", help="also delete its folder in the library")
    _add_common(remove)
    return parser


def _build_pull_parser() -> argparse.ArgumentParser:
    """The parser of `tui-reader pull`."""
    import argparse

    parser = _parser_class()(prog="tui-reader pull",
                                     description="Fetch the new days of every source (or of those named) "
                                     "into the library. Exit 0 when every source pulled, 1 when any failed.")
    parser.add_argument("names", nargs="*", metavar="NAME", help="sources to pull (default: all)")
    parser.add_argument("--quiet", "-q", action="store_true", help="print only failures")
    _add_common(parser)
    return parser
