"""The parse cache sets modes only on what it opened itself and keeps its folder private."""
from __future__ import annotations

import os
import stat

from tui_reader.core.library.cache import CACHE_FILE_NAME, ParseCache


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_symlink_at_the_cache_database_path_is_refused_and_its_target_untouched(tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    os.chmod(target, 0o644)
    (cache_dir / CACHE_FILE_NAME).symlink_to(target)
    with ParseCache.open(cache_dir) as cache:
        assert not cache.enabled
    assert _mode(target) == 0o644 and target.read_text() == "keep me"
    assert (cache_dir / CACHE_FILE_NAME).is_symlink()


def test_a_symlink_at_the_cache_wal_path_is_refused(tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    target = tmp_path / "other.txt"
    target.write_text("x")
    (cache_dir / f"{CACHE_FILE_NAME}-wal").symlink_to(target)
    with ParseCache.open(cache_dir) as cache:
        assert not cache.enabled
    assert target.read_text() == "x"


def test_an_existing_cache_folder_open_to_others_is_tightened_to_0700(tmp_path):
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    os.chmod(cache_dir, 0o755)
    with ParseCache.open(cache_dir) as cache:
        assert cache.enabled
    assert _mode(cache_dir) == 0o700


def test_an_existing_cache_database_open_to_others_is_set_to_0600(tmp_path):
    cache_dir = tmp_path / "cache"
    ParseCache.open(cache_dir).close()
    os.chmod(cache_dir / CACHE_FILE_NAME, 0o644)
    with ParseCache.open(cache_dir) as cache:
        assert cache.enabled
    assert _mode(cache_dir / CACHE_FILE_NAME) == 0o600
