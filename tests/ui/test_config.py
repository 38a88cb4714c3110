"""The settings file: every setting read, every mistake a one-line message and the defaults."""
from __future__ import annotations

import pytest

from tui_reader.core.config import (DEFAULT_AUTO_READ_DELAY, EXAMPLE_CONFIG, Config, ConfigError,
                                    SavedSearch, load_config, parse_config)


def test_the_example_settings_parse_into_every_field():
    config = parse_config(EXAMPLE_CONFIG)
    assert config.theme == "textual-dark"
    assert config.auto_read_delay == 1.0
    assert config.searches == [SavedSearch("Diffusion", "ti:diffusion is:unread")]
    assert config.watch_keywords == ["diffusion"] and config.watch_authors == ["Müller"]


def test_keys_and_auto_read_off():
    config = parse_config('auto_read = false\n[keys]\nnext_unread = "n, ctrl+n"\n')
    assert config.auto_read_delay is None
    assert config.keymap == {"next_unread": "n,ctrl+n"}


def test_a_missing_file_gives_the_defaults_without_a_message(tmp_path):
    config, problem = load_config(tmp_path / "absent.toml")
    assert problem is None and config == Config()
    assert config.auto_read_delay == DEFAULT_AUTO_READ_DELAY


@pytest.mark.parametrize("text, words", [
    ("theme = [", "not valid TOML"),
    ("colour = 'red'", "unknown setting 'colour'"),
    ("auto_read_delay = -1", "auto_read_delay"),
    ("auto_read_delay = true", "auto_read_delay"),
    ("auto_read = 'yes'", "auto_read must be"),
    ("theme = 3", "theme must be a string"),
    ("[keys]\nquit = 3", "[keys]"),
    ("search = 'x'", "[[search]]"),
    ("[[search]]\nname = 'x'", "saved search 1"),
    ("[watch]\nkeywords = 'x'", "watch.keywords"),
])
def test_each_mistake_is_named_in_one_line(text, words):
    with pytest.raises(ConfigError) as err:
        parse_config(text)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_a_broken_file_gives_defaults_and_a_message_naming_it(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(b"\xff\xfe not utf-8")
    config, problem = load_config(path)
    assert problem is not None
    assert config == Config() and str(path) in problem and "using defaults" in problem


def test_the_settings_module_imports_neither_textual_nor_rich():
    import subprocess
    import sys

    code = ("import sys, tui_reader.core.config; "
            "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_binding_that_takes_another_actions_key_is_refused_and_both_keep_their_defaults():
    from tui_reader.ui.keys import keymap_conflicts

    kept, problems = keymap_conflicts({"next_unread": "s", "previous_unread": "ctrl+b,B", "nonsense": "x"})
    assert kept == {"previous_unread": "ctrl+b,B"}
    assert problems == [
        "Settings: next_unread = 's' takes the key of toggle_star; keeping the default for both",
        "Settings: unknown key binding id 'nonsense' (see ? help)",
    ]
    # Swapping two actions' keys in one keymap is fine: neither default stays bound.
    kept, problems = keymap_conflicts({"next_unread": "p", "previous_unread": "n"})
    assert kept == {"next_unread": "p", "previous_unread": "n"} and problems == []


async def test_the_reader_warns_about_a_stolen_key_and_s_still_stars(reader, home, notifications):
    from tui_reader.core.paths import AppPaths
    from tui_reader.core.state.store import Store

    async with reader(Config(auto_read_delay=None, keymap={"next_unread": "s"}), notifications=True) as pilot:
        app = pilot.app
        assert any("takes the key of toggle_star" in message for message in notifications)
        await pilot.press("s")
        await pilot.pause()
        first = app.main.view.papers[app.main.paper_list.current].id
    with Store.open(AppPaths.resolve(home).state_file) as store:
        assert store.get(first).starred
