"""The [sync] setting: read from config.toml, and written back without disturbing the rest."""
from __future__ import annotations

import pytest

from tui_reader.core.config import ConfigError, parse_config, with_sync_folder


def test_sync_folder_is_read_from_its_table() -> None:
    assert parse_config('[sync]\nfolder = "~/Sync/tui-reader"\n').sync_folder == "~/Sync/tui-reader"
    assert parse_config("").sync_folder is None


@pytest.mark.parametrize("text", ['[sync]\nfolder = 3\n', '[sync]\nfolder = ""\n', '[sync]\nfoldr = "x"\n',
                                  'sync = "x"\n'])
def test_a_wrong_sync_setting_is_one_clear_error(text: str) -> None:
    with pytest.raises(ConfigError, match="sync"):
        parse_config(text)


def test_setting_the_folder_replaces_only_its_line_in_an_existing_table() -> None:
    text = '# mine\ntheme = "nord"\n\n[sync]\nfolder = "/old"\n\n[watch]\nkeywords = ["x"]\n'
    updated = with_sync_folder(text, '/new "quoted" \\ folder')
    assert updated == text.replace('folder = "/old"', 'folder = "/new \\"quoted\\" \\\\ folder"')
    assert parse_config(updated).sync_folder == '/new "quoted" \\ folder'
    assert parse_config(updated).watch_keywords == ["x"]


def test_setting_the_folder_adds_the_table_at_the_end_when_there_is_none() -> None:
    assert with_sync_folder('theme = "nord"', "/s") == 'theme = "nord"\n\n[sync]\nfolder = "/s"\n'


def test_setting_the_folder_refuses_a_broken_file_or_an_inline_table() -> None:
    with pytest.raises(ConfigError, match="TOML"):
        with_sync_folder("theme = \n", "/s")
    with pytest.raises(ConfigError, match="by hand"):
        with_sync_folder('sync = { folder = "/old" }\n', "/s")
