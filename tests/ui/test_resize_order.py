"""Textual 8.2.8 lets a screen end at an older terminal size: every re-layout that changes
the screen's size posts the screen a Resize of its own (the screen is in its compositor's
map), after any newer size the app has already delivered; Resize.can_replace then merges
the newer size into the older one, or (with a key between them) the two sizes take turns
for ever, each re-layout posting the next. The reader's screens follow the terminal's
size (app.size) and nothing else: these tests hand the screen the state that race leaves
in its queue (an older size handled after the newest), which Textual alone lays out."""
from __future__ import annotations

from textual import events
from textual.geometry import Size

from tui_reader.ui.screens.pane_focus import SMALL_WIDTH


def deliver(screen, *messages) -> None:
    """Messages in a screen's queue, in order, as a busy app leaves them there."""
    for message in messages:
        screen.post_message(message)


async def settle(pilot, rounds: int = 6) -> None:
    for _ in range(rounds):
        await pilot.pause()


async def test_an_older_size_queued_before_the_newest_never_wins(reader):
    older, newest = Size(44, 15), Size(100, 30)
    async with reader(size=(newest.width, newest.height)) as pilot:
        app, main = pilot.app, pilot.app.main
        assert app.size == newest
        # The end of the race: the echo of an older size is handled after the newest size.
        deliver(main, events.Resize(older, older))
        await settle(pilot)
        assert main.size == newest
        assert main.has_class("-narrow") and main.has_class("-tall"), main.classes
        assert not main.has_class("-small") and not main.has_class("-short"), main.classes
        assert main.detail.display and main.detail.region.height > 0
        assert main.paper_list.region.width > SMALL_WIDTH


async def test_a_small_size_queued_before_a_wide_one_leaves_the_wide_layout(reader):
    small, big = Size(44, 15), Size(148, 58)
    async with reader(size=(100, 30)) as pilot:
        app, main = pilot.app, pilot.app.main
        await pilot.resize_terminal(big.width, big.height)
        deliver(main, events.Resize(big, big), events.Key("j", "j"), events.Resize(small, small))
        await settle(pilot)
        assert main.size == big == app.size
        assert main.has_class("-wide"), main.classes
