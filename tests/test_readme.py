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

    known: set[str] = set()
    parsers = list(build_parsers().values())
    while parsers:  # and the verbs' own parsers (source add, source remove)
        parser = parsers.pop()
        for action in parser._actions:
            known.update(opt for opt in action.option_strings if opt.startswith("--"))
            if isinstance(action, argparse._SubParsersAction):
                parsers.extend(action.choices.values())
    mentioned = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", README))
    mentioned -= {"--snapshot-update", "--quick", "--days", "--each", "--shape", "--runs",
                  "--load-only", "--papers", "--keys", "--size", "--seed", "--kind", "--speed-only"}  # pytest's and the benchmarks' options
    assert mentioned <= known, mentioned - known


def test_ci_runs_the_test_command_the_readme_shows():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci
    block = README.split("<!-- test-command -->", 1)[1].split("```", 2)[1]
    command = block.removeprefix("sh\n").strip()
    assert command.endswith("python -m pytest -n 4")  # the suite spread over processes


def _section(title: str) -> str:
    return README.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_the_quick_start_says_where_the_program_is_and_how_to_try_it_apart():
    quick = _section("Quick start")
    assert "The program is `.venv/bin/tui-reader`" in quick and "PATH" in quick
    assert "TUI_READER_HOME=" in quick  # near the top: a try that leaves the real state alone


def test_cron_lines_name_the_program_the_quick_start_installs():
    lines = [line for block in README.split("```cron\n")[1:] for line in block.split("```")[0].splitlines()]
    assert lines
    for line in lines:
        programs = re.findall(r"(\S+/tui-reader)\b", line)
        assert programs and all(p.endswith("/.venv/bin/tui-reader") for p in programs), line
        assert "$HOME/.venv/bin" not in line  # the venv is in the checkout, not in $HOME


def test_the_readme_does_not_claim_listings_only_for_every_server():
    sources = _section("Getting digests")
    assert "nothing is downloaded but commits and folder listings)" not in sources
    assert "partial clone" in sources and "says so" in sources


def test_the_demo_digest_tells_the_truth_and_points_to_sources_first():
    from tui_reader.core.paths import demo_digest_path

    demo = Path(demo_digest_path()).read_text(encoding="utf-8")
    assert "without a library folder" not in demo  # the first run creates it
    assert demo.index("source add") < demo.index("library folder")


def test_the_development_section_says_why_tests_skip_in_a_fresh_clone():
    development = _section("Development")
    assert "../shared/" in development and "skip" in development and "-rs" in development


def test_the_module_map_and_the_message_flow_name_only_what_exists():
    """Every module or package the Development section's map names is there, and every
    message its flow table names is a class of ui/messages.py."""
    from tui_reader.ui import messages

    development = _section("Development")
    named = set(re.findall(r"`(?:tui_reader/)?((?:core|ui|cli)/[\w/]*(?:\.py)?)`", development))
    assert len(named) > 20  # the map is found
    missing = sorted(path for path in named if not (ROOT / "tui_reader" / path).exists())
    assert missing == []
    flow = re.findall(r"^\| `(\w+)`(?:, `(\w+)`)? \|", development, re.MULTILINE)
    posted = {name for pair in flow for name in pair if name}
    assert len(posted) >= 8  # the flow table is found
    assert sorted(name for name in posted if not isinstance(getattr(messages, name, None), type)) == []
