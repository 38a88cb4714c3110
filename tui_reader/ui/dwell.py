"""DwellRule: a paper counts as read once the person has looked at it for the auto-read
delay, brought there by a key or click of theirs (never one that slid under the cursor as a
list changed by itself), and not before their first key or click."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .timings import timer_seconds

if TYPE_CHECKING:
    from textual.timer import Timer

    from .messages import ServiceHost


class DwellRule:
    """`looked_at()` says which paper (index) is looked at now (None: none); `delay()` the
    person's auto-read delay (None: off); `is_done(i)` whether it is read already;
    `mark_read(i)` marks it read automatically."""

    def __init__(self, host: ServiceHost, looked_at: Callable[[], int | None], delay: Callable[[], float | None],
                 is_done: Callable[[int], bool], mark_read: Callable[[int], object]) -> None:
        self.host, self.looked_at, self.delay, self.is_done, self.mark_read = host, looked_at, delay, is_done, mark_read
        self.interacted = False
        """No paper counts as looked at before the person's first key or click."""
        self._inputs = 0
        """Keys and clicks so far."""
        self._timed_inputs = -1
        """`_inputs` when the read timer was last started."""
        self._index: int | None = None
        self._timer: Timer | None = None

    def user_input(self) -> bool:
        """A key or a click; True for the first (papers count as looked at from now on)."""
        self._inputs += 1
        first = not self.interacted
        self.interacted = True
        return first

    def update(self) -> None:
        """(Re)start the read timer when the paper looked at changed."""
        target = self.looked_at() if self.interacted else None
        if target == self._index:
            return
        self.forget()
        self._index = target
        delay = self.delay()
        if target is None or delay is None or self.is_done(target):
            return
        if self._inputs == self._timed_inputs:
            return  # no key or click since the last paper: this one slid under the cursor
        self._timed_inputs = self._inputs
        self._timer = self.host.set_timer(timer_seconds(delay), self._dwelt)

    def _dwelt(self) -> None:
        self._timer = None
        target = self.looked_at() if self.interacted else None
        if target is None or target != self._index or self.is_done(target):
            return
        self.mark_read(target)

    def forget(self) -> None:
        """The paper looked at was marked by hand: it stays as marked until left."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def library_replaced(self) -> None:
        """Indices into the old library mean nothing now; the same paper may count again."""
        self.forget()
        self._index = None
        self._timed_inputs = -1
