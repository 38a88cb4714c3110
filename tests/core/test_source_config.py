"""[[source]] tables in config.toml: parsing, validation, and edits that keep the rest."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_reader.core.config import ConfigError, parse_config
from tui_reader.core.config_edit import add_source_to_config, remove_source_from_config
from tui_reader.core.sources.source import (
    DayFile,
    Source,
    SourceError,
    choose_language,
    classify_day_files,
    name_from_url,
    parse_since,
    select_files,
)

MINE = """\
# my settings, with comments that must survive
theme = "nord"   # the dark one

[[source]]
name = "daily-arxiv"
url = "https://github.com/me/daily-arXiv-ai-enhanced"
since = "30d"   # a month is plenty

[watch]
keywords = ["diffusion"]   # what I follow
"""


def test_sources_and_pull_on_start_are_parsed() -> None:
    config = parse_config('pull_on_start = true\n' + MINE + '\n[[source]]\nname = "x"\nurl = "/srv/x"\nlanguage = ""\n')
    assert [s.name for s in config.sources] == ["daily-arxiv", "x"]
    assert config.sources[0].since == "30d" and config.sources[1].language == ""
    assert config.pull_on_start is True
    assert parse_config("").pull_on_start is False


@pytest.mark.parametrize("text, complaint", [
    ('[[source]]\nname = "a"\n', "needs a name and a url"),
    ('[[source]]\nname = "../up"\nurl = "x"\n', "must be letters"),
    ('[[source]]\nname = "a"\nurl = "x"\nsince = "last week"\n', "since"),
    ('[[source]]\nname = "a"\nurl = "x"\nbranches = "data"\n', "unknown key 'branches'"),
    ('[[source]]\nname = "a"\nurl = "x"\n[[source]]\nname = "a"\nurl = "y"\n', "two sources are named 'a'"),
    ('pull_on_start = "yes"\n', "pull_on_start must be true or false"),
])
def test_a_bad_source_table_is_one_clear_line(text: str, complaint: str) -> None:
    with pytest.raises(ConfigError, match=complaint) as err:
        parse_config(text)
    assert "\n" not in str(err.value)


def test_adding_a_source_puts_its_table_after_the_others_and_keeps_every_comment(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINE)
    path.chmod(0o600)
    add_source_to_config(path, Source("colleague", 'git@github.com:them/"odd".git', "data", "Chinese", "2025-12-01"))
    text = path.read_text()
    table = ('[[source]]\nname = "colleague"\nurl = "git@github.com:them/\\"odd\\".git"\nbranch = "data"\n'
             'language = "Chinese"\nsince = "2025-12-01"\n')
    # Beside the other source, and nothing else changed, byte for byte.
    assert text == MINE.replace('plenty\n\n', 'plenty\n\n' + table + '\n')
    assert [s.name for s in parse_config(text).sources] == ["daily-arxiv", "colleague"]
    assert parse_config(text).sources[1].url == 'git@github.com:them/"odd".git'
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(ConfigError, match="exists already"):
        add_source_to_config(path, Source("colleague", "x"))


def test_adding_to_a_missing_or_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "config.toml"
    add_source_to_config(path, Source("a", "/srv/a"))
    assert parse_config(path.read_text()).sources == [Source("a", "/srv/a")]
    path.write_text("theme = \n")
    with pytest.raises(ConfigError):
        add_source_to_config(path, Source("b", "/srv/b"))
    assert path.read_text() == "theme = \n"  # a broken file is never touched


def test_removing_a_source_cuts_only_its_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINE)
    add_source_to_config(path, Source("b", "/srv/b"))
    removed = remove_source_from_config(path, "daily-arxiv")
    text = path.read_text()
    assert removed.url.endswith("/me/daily-arXiv-ai-enhanced")
    assert "# my settings, with comments that must survive" in text and "# what I follow" in text
    config = parse_config(text)
    assert [s.name for s in config.sources] == ["b"] and config.theme == "nord"
    assert config.watch_keywords == ["diffusion"]
    with pytest.raises(ConfigError, match="no source named 'daily-arxiv'"):
        remove_source_from_config(path, "daily-arxiv")


COMMENTED = """\
# settings for the laptop   (a comment before anything)
theme = "nord"

[[source]]   # mine
name = "daily-arxiv"   # the fork I run
url = "https://github.com/me/daily-arXiv-ai-enhanced"
# since = "30d"   (left out for now)

# The watch list: a comment above a table is about that table.
[watch]
keywords = ["diffusion"]

[[search]]
name = "Tricky"
query = \"\"\"ti:graph
[[source]]
name = "not a source"
\"\"\"

[[source]]
name = "split"   # below another table
url = "/srv/split"
"""


def test_a_commented_file_round_trips_through_add_and_remove(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED)
    add_source_to_config(path, Source("colleague", "/srv/colleague", since="2w"))
    added = path.read_text()
    assert added.count("[[source]]") == COMMENTED.count("[[source]]") + 1
    assert [s.name for s in parse_config(added).sources] == ["daily-arxiv", "split", "colleague"]
    assert added.startswith(COMMENTED)  # after the last source table, which ends the file here
    remove_source_from_config(path, "colleague")
    assert path.read_text() == COMMENTED  # byte for byte: every comment, blank line and order


def test_removing_a_source_keeps_the_comment_above_the_next_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(COMMENTED)
    remove_source_from_config(path, "daily-arxiv")
    text = path.read_text()
    # tomlkit counts every comment above [watch] in the source's table: the one under its
    # last key is the table's and goes, the one after the blank line is [watch]'s and stays.
    assert "left out for now" not in text
    assert "# The watch list: a comment above a table is about that table.\n[watch]" in text
    assert text.startswith('# settings for the laptop   (a comment before anything)\ntheme = "nord"\n\n')
    assert "# mine" not in text and "# the fork I run" not in text  # its own comments went with it
    config = parse_config(text)
    assert [s.name for s in config.sources] == ["split"]
    assert config.searches[0].query.startswith("ti:graph\n[[source]]")  # a string, never a table
    remove_source_from_config(path, "split")
    assert parse_config(path.read_text()).sources == [] and "/srv/split" not in path.read_text()


def test_a_source_written_inline_is_not_cut_by_guesswork(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    original = 'source = [{name = "a", url = "/srv/a"}]\n'
    path.write_text(original)
    with pytest.raises(ConfigError, match="by hand"):
        remove_source_from_config(path, "a")
    assert path.read_text() == original


@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=40).filter(str.strip))
def test_any_url_text_survives_the_round_trip_through_the_file(url: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "config.toml"
        add_source_to_config(path, Source("a", url))
        assert parse_config(path.read_text()).sources[0].url == url.strip()


def test_since_accepts_dates_and_days_or_weeks_back() -> None:
    today = date(2026, 1, 31)
    assert parse_since("2025-12-29", today) == date(2025, 12, 29)
    assert parse_since("30d", today) == date(2026, 1, 1)
    assert parse_since("2w", today) == date(2026, 1, 17)
    for bad in ("yesterday", "2025-13-01", "30", "-3d", "2025-1-1"):
        with pytest.raises(SourceError):
            parse_since(bad, today)


def test_names_made_from_urls() -> None:
    assert name_from_url("https://github.com/me/daily-arXiv-ai-enhanced") == "daily-arXiv-ai-enhanced"
    assert name_from_url("git@github.com:me/my-digests.git") == "my-digests"
    assert name_from_url("file:///srv/repos/arxiv.git/") == "arxiv"
    assert name_from_url("/home/me/dev/daily arxiv") == "daily-arxiv"


def files(*names: str) -> list[DayFile]:
    return classify_day_files([(n, f"blob-{n}") for n in names])


def test_day_files_are_told_by_name_and_everything_else_is_left_out() -> None:
    found = files("2025-01-01.jsonl", "2025-01-01_AI_enhanced_Korean.jsonl", "2025-01-01_AI_enhanced_.jsonl",
                  "2025-01-01.md", "file-list.txt", "2025-02-30.jsonl", "README.md")
    assert [(f.kind, f.language) for f in found] == [("raw", None), ("ai", "Korean"), ("ai", ""), ("md", None)]


def test_the_newest_days_language_is_chosen_english_first() -> None:
    old_chinese = files("2025-01-01_AI_enhanced_Chinese.jsonl", "2025-02-01_AI_enhanced_Korean.jsonl",
                        "2025-02-01_AI_enhanced_English.jsonl")
    assert choose_language(old_chinese, None) == "English"
    assert choose_language(old_chinese[:2], None) == "Korean"
    assert choose_language(old_chinese, "chinese") == "Chinese"
    assert choose_language(old_chinese, "French") is None


def test_selection_keeps_days_already_pulled_before_the_window() -> None:
    dayfiles = files("2025-01-01.jsonl", "2025-01-02.jsonl", "2025-01-03.jsonl", "2025-01-03.md")
    chosen = select_files(dayfiles, None, date(2025, 1, 3), already={"2025-01-01.jsonl"})
    assert [f.name for f in chosen] == ["2025-01-01.jsonl", "2025-01-03.jsonl"]


def test_tomlkit_is_imported_only_when_a_source_is_added_or_removed(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = ("import sys, tui_reader.cli, tui_reader.ui.app, tui_reader.core.config_edit as edit\n"
            "from pathlib import Path\n"
            "from tui_reader.core.sources.source import Source\n"
            "print('tomlkit' in sys.modules)\n"
            f"edit.add_source_to_config(Path({str(tmp_path / 'config.toml')!r}), Source('a', '/srv/a'))\n"
            "print('tomlkit' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
