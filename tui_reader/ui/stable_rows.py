"""Rows that stay put: a list shown again because marks or scores changed keeps what the
person has already passed over, and the paper under the cursor, where they were (as mail
readers keep a read message in place until you move on); only the rows below it move."""
from __future__ import annotations

from collections.abc import Sequence


def keep_in_place(old_rows: Sequence[int], cursor: int, new_rows: Sequence[int]) -> tuple[list[int], int]:
    """The rows to show instead of `new_rows` when the list showing `old_rows` with the
    cursor at `cursor` is refreshed by something the person did not ask for: the old rows
    up to the cursor, unchanged (a read paper stays), then the new rows not among them,
    in their new order. Returns (rows, cursor), the cursor on the same paper."""
    if not old_rows or not 0 <= cursor < len(old_rows):
        return list(new_rows), 0
    kept = list(old_rows[:cursor + 1])
    placed = set(kept)
    return kept + [row for row in new_rows if row not in placed], cursor
