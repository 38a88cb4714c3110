"""gc_paused / gc_resumed: the collector is always left as it was found, errors included."""
from __future__ import annotations

import gc

import pytest

from tui_reader.core.collector import gc_paused, gc_resumed


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
