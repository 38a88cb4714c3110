"""The state subcommands: mark, export, state export/import, stats."""
from __future__ import annotations

import argparse


def _not_yet(args: argparse.Namespace) -> int:
    from .cli import warn

    warn("this command is not available yet")
    return 1


run_mark = run_export = run_state = run_stats = _not_yet
