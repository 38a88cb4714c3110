"""README.md tells the truth: its keys table is the reader's key table, its options exist,
and the test command CI runs is the one it shows."""
from __future__ import annotations

import re
from pathlib import Path

from tui_reader.cli import build_parsers
from tui_reader.ui.keys import KEY_TABLE, display_keys

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_keys_table_lists_every_key_of_the_reader_and_nothing_else():
    start = README.index("<!-- keys-table")
    lines = README[start:].splitlines()[1:]
    end = next(i for i, line in enumerate(lines) if not line.startswith("|"))
    rows = lines[2:end]  # after the header and its rule
    assert rows == [f"| {display_keys(e.keys)} | {e.help} |" for e in KEY_TABLE]


def test_every_long_option_in_the_readme_exists():
    import argparse

    known = set()
    parsers = list(build_parsers().values())
    while parsers:  # and the verbs' own parsers (source add, source remove)
        parser = parsers.pop()
        for action in parser._actions:
            known.update(opt for opt in action.option_strings if opt.startswith("--"))
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    mentioned = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", README))
    mentioned -= {"--snapshot-update", "--quick", "--days", "--each", "--shape", "--runs"}  # pytest's and the benchmarks' options
    assert mentioned <= known, mentioned - known


def test_ci_runs_the_test_command_the_readme_shows():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
    block = README.split("<!-- test-command -->", 1)[1].split("```", 2)[1]
    command = block.removeprefix("sh\n").strip()
    assert command.endswith("python -m pytest")
