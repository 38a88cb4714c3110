"""Sync under random interleavings: marks, exchanges, a sync tool copying (sometimes half a
file, sometimes a conflict copy, sometimes deleting), skewed clocks and compaction. After a
final round with every file copied whole, all homes hold the same state."""
from __future__ import annotations

import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule

from tui_reader.core.state import store as store_module
from tui_reader.core.sync.log import log_name
from tui_reader.core.sync.state import machine_id

from sync_helpers import Home, paper, visible_state

pytestmark = pytest.mark.slow  # hypothesis's stateful search: about ten seconds

HOMES = 3
PAPERS = [paper(n) for n in range(3)]
NOTES = ["", "a", "b"]
TAGS = [[], ["x"], ["y", "x"]]


class SyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.base = Path(tempfile.mkdtemp(prefix="sync-stateful-"))
        # Each home sees its own copy of the shared folder; the rules below are the sync tool.
        self.homes = [Home.make(self.base, f"home{n}", self.base / f"view{n}") for n in range(HOMES)]
        self.skew: list[timedelta | None] = [timedelta(0)] * HOMES
        self.current = 0
        self.real_now = store_module.utc_now
        store_module.utc_now = self._now  # each home's clock, skewed by the skew rule
        self.values: dict[tuple[str, int], set] = {}

    def _now(self) -> str:
        skew = self.skew[self.current]
        if skew is None:  # a stopped clock: every change time comes from the logical part
            return "2020-01-01T00:00:00.000000+00:00"
        return (datetime.now(timezone.utc) + skew).isoformat(timespec="microseconds")

    def _on(self, index: int) -> Home:
        self.current = index
        return self.homes[index]

    def _own_log(self, index: int) -> Path:
        home = self.homes[index]
        return home.folder / log_name(machine_id(home.store))

    @rule(index=st.integers(0, HOMES - 1), paper_id=st.sampled_from(PAPERS),
          action=st.sampled_from(["read", "unread", "star", "unstar", "note", "tags"]),
          choice=st.integers(0, 2))
    def mark(self, index: int, paper_id: str, action: str, choice: int) -> None:
        home = self._on(index)
        if action in ("read", "unread"):
            home.store.set_read([paper_id], action == "read")
        elif action in ("star", "unstar"):
            home.store.set_starred([paper_id], action == "star")
        elif action == "note":
            home.store.set_note(paper_id, NOTES[choice])
            self.values.setdefault((paper_id, 2), set()).add(NOTES[choice])
        else:
            home.store.set_tags(paper_id, TAGS[choice])
            self.values.setdefault((paper_id, 3), set()).add(tuple(TAGS[choice]))

    @rule(index=st.integers(0, HOMES - 1), compact=st.booleans())
    def exchange(self, index: int, compact: bool) -> None:
        report = self._on(index).exchange(compact=compact)
        assert not any("copied home" in p for p in report.problems), report.problems

    @rule(index=st.integers(0, HOMES - 1), hours=st.one_of(st.none(), st.integers(-6, 6)))
    def skew_clock(self, index: int, hours: int | None) -> None:
        """Hours ahead or behind, or None for a clock stopped in the past (so two homes
        often give changes the same time, and the machine id must settle it)."""
        self.skew[index] = None if hours is None else timedelta(hours=hours)

    @rule(owner=st.integers(0, HOMES - 1), into=st.integers(0, HOMES - 1),
          cut=st.one_of(st.none(), st.floats(0.05, 0.95)))
    def copy_log(self, owner: int, into: int, cut: float | None) -> None:
        """The tool brings the owner's log to another view: whole, or only partly (mid-copy)."""
        source = self._own_log(owner)
        if owner == into or not source.exists():
            return
        data = source.read_bytes()
        destination = self.homes[into].folder / source.name
        destination.write_bytes(data if cut is None else data[:int(len(data) * cut)])

    @rule(owner=st.integers(0, HOMES - 1), into=st.integers(0, HOMES - 1))
    def conflict_copy(self, owner: int, into: int) -> None:
        source = self._own_log(owner)
        if owner == into or not source.exists():
            return
        stem = source.name.removesuffix(".jsonl")
        shutil.copyfile(source, self.homes[into].folder / f"{stem}.sync-conflict-20260101-000000-XYZ.jsonl")

    @rule(owner=st.integers(0, HOMES - 1), into=st.integers(0, HOMES - 1))
    def delete_copy(self, owner: int, into: int) -> None:
        if owner != into:
            copy = self.homes[into].folder / self._own_log(owner).name
            copy.unlink(missing_ok=True)

    def teardown(self) -> None:
        try:
            for _round in range(3):
                for index in range(HOMES):
                    for owner in range(HOMES):
                        self.copy_log(owner, index, None)
                    self._on(index).exchange()
            states = [visible_state(home) for home in self.homes]
            assert states[1] == states[0] and states[2] == states[0]
            for (paper_id, column), made in self.values.items():
                if paper_id in states[0]:
                    value = states[0][paper_id][column]
                    assert value in made | {"", ()}, (paper_id, value, made)
        finally:
            store_module.utc_now = self.real_now
            for home in self.homes:
                home.store.close()
            shutil.rmtree(self.base, ignore_errors=True)


SyncMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=40, deadline=None)
test_homes_converge_after_any_interleaving_of_marks_copies_skew_and_compaction = SyncMachine.TestCase
