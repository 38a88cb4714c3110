"""gc_paused / gc_resumed: the collector is always left as it was found, errors included;
end_start_pause ends the start's pause with what the start made frozen."""
from __future__ import annotations

import gc

import pytest

from tui_reader.core.collector import end_start_pause, gc_paused, gc_resumed


@pytest.fixture(autouse=True)
def _collector_restored():
    was = gc.isenabled()
    yield
    gc.enable() if was else gc.disable()


def test_a_pause_turns_the_collector_off_and_back_on_after_an_error() -> None:
    gc.enable()
    with pytest.raises(RuntimeError):
        with gc_paused():
            assert not gc.isenabled()
            raise RuntimeError
    assert gc.isenabled()


def test_a_pause_inside_a_pause_leaves_the_outer_one_in_charge() -> None:
    gc.enable()
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_pause_never_turns_on_a_collector_that_was_off() -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_resumed_runs_a_block_with_the_collector_as_before_the_pause() -> None:
    gc.enable()
    with gc_paused():
        with gc_resumed(True):
            assert gc.isenabled()
        assert not gc.isenabled()
        with gc_resumed(False):
            assert not gc.isenabled()
    assert gc.isenabled()


def test_the_end_of_the_start_pause_freezes_what_the_start_made_and_runs_the_collector() -> None:
    gc.unfreeze()  # what earlier tests in this process froze
    made_at_start = [[n] for n in range(1000)]
    gc.disable()
    try:
        end_start_pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(made_at_start)
    finally:
        gc.unfreeze()


def test_only_the_collector_module_switches_the_collector() -> None:
    """gc_paused and end_start_pause are the switches; the one exception is a parse worker
    process, which turns collection off for its whole short life and never back on."""
    import re
    from pathlib import Path

    import tui_reader

    package = Path(tui_reader.__file__).parent
    switching = sorted(str(path.relative_to(package)) for path in package.rglob("*.py")
                       if re.search(r"\bgc\.(disable|enable)\(", path.read_text(encoding="utf-8")))
    assert switching == ["core/collector.py", "core/library/cache_workers.py"]
