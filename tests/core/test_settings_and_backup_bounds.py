"""A settings file cannot ask for an unbounded watch list; a backup may start with a BOM."""
from __future__ import annotations

import json

from tui_reader.core.config import MAX_LIST_ENTRIES, load_config, parse_config
from tui_reader.core.state.backup import backup_text, empty_record, parse_backup


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def test_a_watch_list_longer_than_the_cap_is_cut_to_the_cap_with_one_line(tmp_path):
    words = [f"word{n}" for n in range(100_000)]
    file = tmp_path / "config.toml"
    file.write_text(f'theme = "nord"\n[watch]\nkeywords = {_toml_list(words)}\nauthors = {_toml_list(words[:5])}\n')
    config, problem = load_config(file)
    assert config.watch_keywords == words[:MAX_LIST_ENTRIES] and config.watch_authors == words[:5]
    assert config.theme == "nord"  # the rest of the file still counts
    assert problem is not None and "\n" not in problem
    assert "watch.keywords" in problem and "100000" in problem and str(MAX_LIST_ENTRIES) in problem


def test_too_many_saved_searches_are_cut_to_the_cap():
    text = "".join(f'[[search]]\nname = "s{n}"\nquery = "ti:x{n}"\n' for n in range(MAX_LIST_ENTRIES + 5))
    config = parse_config(text)
    assert len(config.searches) == MAX_LIST_ENTRIES
    assert any("saved searches" in note for note in config.notices)


def test_a_huge_watch_keyword_is_left_out_with_a_notice():
    config = parse_config(f'[watch]\nkeywords = ["ok", "{"x" * 100_000}"]\n')
    assert config.watch_keywords == ["ok"] and config.notices


def test_a_settings_file_within_the_caps_has_no_notice():
    assert parse_config('[watch]\nkeywords = ["diffusion"]\n').notices == []


def test_a_backup_starting_with_a_utf8_bom_is_accepted():
    record = empty_record("2512.20735") | {"read_at": "2025-01-01T00:00:00Z",
                                           "read_changed_at": "2025-01-01T00:00:00Z", "note": "n"}
    data = "\ufeff".encode() + backup_text([record]).encode()
    [parsed] = parse_backup(data)
    assert parsed["id"] == "2512.20735" and parsed["read_at"].startswith("2025-01-01T00:00:00")
