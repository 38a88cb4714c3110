"""The reader's start-up from the command line: checks the terminal, reads the settings, runs ReaderApp."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .output import EXIT_USAGE, warn

if TYPE_CHECKING:
    import argparse
    from types import SimpleNamespace


def run_reader(args: argparse.Namespace | SimpleNamespace) -> int:
    """The reader on args.paths (or the library, or the demo); returns the exit code."""
    import signal

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if args.paths and len(missing) == len(args.paths):
        # Nothing to read at all: say so here, as less or vim would, not in an empty reader.
        for path in missing:
            warn(f"{path}: no such file or folder")
        return EXIT_USAGE
    from ..core.collector import gc_paused

    # Starting allocates some hundred thousand long-lived objects (modules, classes, styles,
    # widgets) and no garbage worth a pass: the cyclic collector is paused until the first
    # frame is painted (ReaderApp resumes it: end_start_pause), which saves it ~100 passes
    # (~25 ms) on the way; the pause ends here too when the reader never painted.
    with gc_paused():
        # SIGTERM ends the reader the way Ctrl+C does, so the terminal is restored and the
        # state closed (the default would leave the terminal in the reader's modes).
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        return run_app(args)


def run_app(args: argparse.Namespace | SimpleNamespace) -> int:
    """Start the reader in this terminal; returns the exit code."""
    from pathlib import Path

    from ..core.config import load_config
    from ..core.paths import AppPaths, default_paths, ensure_library_dir, record_opened_paths

    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")  # a browser tab of `serve`
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        warn("the reader needs a terminal; use 'tui-reader dump' to print the papers instead")
        return EXIT_USAGE
    if not served and os.environ.get("TERM") == "dumb":
        warn("this terminal (TERM=dumb) cannot show the reader; use a terminal such as xterm, "
             "or 'tui-reader dump' for plain output")
        return EXIT_USAGE
    app_paths = AppPaths.resolve(args.home)
    ensure_library_dir(app_paths.library_dir)  # so the folder the demo names exists
    config, problem = load_config(Path(app_paths.config_file))
    from ..ui.app import ReaderApp
    from ..ui.hangup import watch_terminal

    app = ReaderApp(default_paths(args.paths, args.home), app_paths, config,
                    config_problem=problem, repair=not args.no_repair)
    if getattr(args, "language", None):  # the plain `tui-reader PATHS` start has no options
        app.source.language = args.language
    if not served:
        watch_terminal(sys.stdin.fileno())
    try:
        result = app.run()
    finally:
        if args.paths:  # for export and stats when the library is empty; after the run: no fsync on the way in
            record_opened_paths(app_paths.cache_dir, args.paths)
    if app.return_code:  # Textual ended on an error it caught (and printed): never exit 0
        return app.return_code
    return result if isinstance(result, int) else 0
