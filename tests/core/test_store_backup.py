"""State backups: the JSON format, validation of hostile files, and per-field merging."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core.state.backup import (
    BackupError, backup_text, empty_record, merge_record, parse_backup,
)
from tui_reader.core.state.store import Store

# Later than any mark the test makes, yet within the day ahead a change time may be (further
# ahead is refused as forged: issue 24).
SOON = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()

T1, T2, T3, T4 = ("2025-03-0%dT10:00:00.000000+00:00" % d for d in (1, 2, 3, 4))


def backup(*marks: dict) -> bytes:
    return json.dumps({"format": "tui-reader-state", "version": 1, "marks": list(marks)}).encode()


def test_backup_of_a_store_parses_back_to_the_same_records(tmp_path: Path) -> None:
    with Store.open(tmp_path / "state.sqlite3") as store:
        store.set_read(["2503.00001"], True)
        store.set_starred(["2503.00002"], True)
        store.set_note("2503.00002", "ünïcode note\nwith two lines")
        store.set_tags("2503.00003", ["a", "b"])
        records = store.records()
    assert parse_backup(backup_text(records).encode()) == records


def test_later_change_wins_per_field_and_ties_keep_local() -> None:
    local = empty_record("2503.00001") | {
        "read_at": T2, "read_changed_at": T2, "starred_at": T1, "star_changed_at": T1,
        "note": "mine", "note_changed_at": T3}
    incoming = empty_record("2503.00001") | {
        "read_at": None, "read_changed_at": T1,          # older unread: loses
        "starred_at": None, "star_changed_at": T4,       # newer unstar: wins
        "note": "theirs", "note_changed_at": T3,         # same time: local kept
        "tags": ["x"], "tags_changed_at": T1}            # local never set tags: wins
    merged, taken = merge_record(local, incoming)
    assert merged["read_at"] == T2
    assert merged["starred_at"] is None and merged["star_changed_at"] == T4
    assert merged["note"] == "mine"
    assert merged["tags"] == ["x"]
    assert sorted(taken) == ["starred", "tags"]


def test_merge_into_a_store_reports_and_is_idempotent(tmp_path: Path) -> None:
    with Store.open(tmp_path / "state.sqlite3") as store:
        store.set_read(["2503.00001"], True)
        records = parse_backup(backup(
            {"id": "2503.00001v3", "read_at": None, "read_changed_at": SOON},
            {"id": "https://arxiv.org/abs/2503.00002", "starred_at": T1, "note": "n"},
        ))
        first = store.merge_records(records, merge_record)
        second = store.merge_records(records, merge_record)
        marks = store.marks()
    assert first == [("2503.00001", False, ["read"]), ("2503.00002", True, ["starred", "note"])]
    assert [taken for _, _, taken in second] == [[], []]
    assert not marks["2503.00001"].read
    assert marks["2503.00002"].starred_at == T1 and marks["2503.00002"].note == "n"


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe", "UTF-8"),
    (b"{", "JSON"),
    (b"[]", "not a tui-reader state backup"),
    (json.dumps({"format": "tui-reader-state", "version": 99, "marks": []}).encode(), "newer"),
    (backup({"id": "not-an-id"}), "not an arXiv id"),
    (backup({"id": "2503.00001", "read_at": "yesterday"}), "ISO-8601"),
    (backup({"id": "2503.00001", "tags": "a,b"}), "tags"),
    (b"[" * 100_000, "JSON"),
])
def test_bad_backups_give_one_line_errors(data: bytes, message: str) -> None:
    with pytest.raises(BackupError, match=message) as caught:
        parse_backup(data)
    assert "\n" not in str(caught.value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
mark_like = st.fixed_dictionaries({}, optional={
    "id": st.sampled_from(["2503.00001", "hep-th/9901001v2", "x"]) | st.text(max_size=12) | json_values,
    "read_at": st.sampled_from([T1, None, "2025-13-01", "2025-03-01T10:00:00"]) | json_values,
    "star_changed_at": st.sampled_from([T2, None]) | json_values,
    "note": st.text(max_size=20) | json_values,
    "tags": st.lists(st.text(max_size=5), max_size=3) | json_values,
})
backup_like = st.fixed_dictionaries({
    "format": st.sampled_from(["tui-reader-state"]) | json_values,
    "version": st.sampled_from([1, 2, 0, True]) | json_values,
    "marks": st.lists(mark_like, max_size=4) | json_values,
})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode())
       | backup_like.map(lambda v: json.dumps(v).encode()))
def test_any_input_gives_records_or_the_documented_error(data: bytes) -> None:
    try:
        records = parse_backup(data)
    except BackupError as err:
        assert "\n" not in str(err)
        return
    for record in records:
        merged, _ = merge_record(None, record)
        assert merged["id"] == record["id"]


stamps = st.sampled_from([None, T1, T2, T3, T4])
record_like = st.builds(
    lambda read, read_c, star, star_c, note, note_c, tags, tags_c: empty_record("2503.00001") | {
        "read_at": read, "read_changed_at": read_c, "starred_at": star, "star_changed_at": star_c,
        "note": note, "note_changed_at": note_c, "tags": tags, "tags_changed_at": tags_c},
    stamps, stamps, stamps, stamps, st.sampled_from(["", "a", "b"]), stamps,
    st.sampled_from([[], ["x"], ["y", "x"]]), stamps)


@settings(max_examples=300, deadline=None)
@given(record_like, record_like)
def test_two_machines_importing_each_other_agree_when_changes_differ_in_time(a: dict, b: dict) -> None:
    for group, (value, changed) in {"read": ("read_at", "read_changed_at"),
                                    "starred": ("starred_at", "star_changed_at"),
                                    "note": ("note", "note_changed_at"),
                                    "tags": ("tags", "tags_changed_at")}.items():
        key_a = (a[changed] or (a[value] if group in ("read", "starred") else None) or "", bool(a[value]))
        key_b = (b[changed] or (b[value] if group in ("read", "starred") else None) or "", bool(b[value]))
        if key_a == key_b and a[value] != b[value]:
            return  # a true tie: each side keeps its own, which is the documented rule
    on_a, _ = merge_record(a, b)
    on_b, _ = merge_record(b, a)
    assert {k: on_a[k] for k in ("read_at", "starred_at", "note", "tags")} == \
           {k: on_b[k] for k in ("read_at", "starred_at", "note", "tags")}
