"""The reading loop as a person lives it (issue 18), through a real terminal at 120×40 with
real keys and real pauses: a paper becomes read when it stayed under the list cursor for
the delay (0.5 s here) with the list or the detail pane focused, and only then; typing a
search or moving in the tree marks nothing; undo takes back an automatic mark; the header
counts follow. Checked on the state file on disk, and on the screen.

They were written to fail on the code before the reading-loop fix (issue 18), as strict
xfails that flipped when it landed."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from reading_walk import DELAY, DWELL, read_on_disk, start_walk, unread_in_header, write_home

pytest.importorskip("pyte")
pytest.importorskip("pty")



@pytest.fixture(params=["fixtures", "sample"])
def any_home(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A home on the small library written by the test, then on the shared sample digest."""
    return write_home(tmp_path, request.param)


@pytest.fixture
def small_home(tmp_path: Path) -> Path:
    """A home on the small library written by the test (three days, eleven papers)."""
    return write_home(tmp_path, "fixtures")


def papers_in_header(screen) -> int:
    """The number of papers of the All node, from the header's position (`All 3/11 · …`)."""
    match = re.search(r"All \d+/(\d[\d,]*) ", screen.line(0))
    assert match, screen
    return int(match.group(1).replace(",", ""))


def wait_read_on_disk(walk, home: Path, paper: str, timeout: float = 5.0) -> set[str]:
    """Poll the state file (reading the terminal meanwhile) until `paper` is read there."""
    end = time.monotonic() + timeout
    while paper not in (read := read_on_disk(home)):
        if time.monotonic() > end:
            raise AssertionError(walk.terminal.describe(f"{paper} never became read on disk"))
        walk.terminal.read(0.1)
    return read


def test_j_twice_with_pauses_marks_exactly_the_papers_dwelt_on_read(terminals, any_home):
    walk = start_walk(terminals, any_home)
    first = walk.press("j")
    walk.stay()
    second = walk.press("j")
    walk.stay()
    assert walk.quit() == 0
    walk.check_read(read_on_disk(any_home), meant={first, second})


def test_typing_a_search_with_pauses_marks_nothing_read(terminals, any_home):
    walk = start_walk(terminals, any_home)
    reader = walk.terminal
    reader.read(DWELL)  # whatever the paper at start becomes, it is decided before the search
    before, unread = read_on_disk(any_home), unread_in_header(reader.screen)
    reader.press("/", pause=0.3)
    reader.type("diffusion", pause=0.15)
    screen = reader.wait_until(lambda s: len(re.findall("(?i)diffusion", s.text())) >= 2,
                               "matches of the search on the screen")
    reader.read(DWELL)  # past the delay, still in the search line
    screen = reader.screen
    typing = read_on_disk(any_home)
    reader.press("escape")
    assert reader.quit() == 0
    assert typing == before, f"read while typing: {sorted(typing - before)}\n{screen}"
    assert unread_in_header(screen) == unread, screen


def test_moving_in_the_tree_marks_nothing_read(terminals, small_home):
    walk = start_walk(terminals, small_home)
    reader = walk.terminal
    reader.read(DWELL)
    before, unread = read_on_disk(small_home), unread_in_header(reader.screen)
    reader.press("h", pause=0.3)  # the tree takes the focus
    screens = []
    for _ in range(4):
        reader.press("j", pause=2 * DELAY)
        screens.append(reader.screen)
    during = read_on_disk(small_home)
    assert reader.quit() == 0
    assert len({tuple(s.lines[1:-1]) for s in screens}) >= 3, "the tree did not move:\n" + str(screens[-1])
    assert during == before, f"read while moving in the tree: {sorted(during - before)}\n{screens[-1]}"
    assert unread_in_header(screens[-1]) == unread, screens[-1]


def test_n_marks_the_paper_it_arrives_at_once_dwelt_on(terminals, small_home):
    walk = start_walk(terminals, small_home)
    arrived = walk.press("n")
    walk.stay()
    assert walk.quit() == 0
    walk.check_read(read_on_disk(small_home), meant={arrived})


def test_space_at_the_end_of_a_paper_moves_on_and_marks_the_next_once_dwelt_on(terminals, small_home):
    walk = start_walk(terminals, small_home)
    finished = walk.current
    walk.press("l", moves=False)  # the detail pane, scrolled to the paper's end
    walk.press("G", moves=False)
    arrived = walk.press("space")
    walk.stay()
    assert walk.quit() == 0
    walk.check_read(read_on_disk(small_home), meant={arrived}, finished={finished})


def test_space_at_the_end_of_a_paper_marks_the_paper_it_leaves(terminals, small_home):
    walk = start_walk(terminals, small_home)
    finished = walk.press("n", pause=0.0)  # a paper shown too briefly to be marked by the delay
    walk.press("l", moves=False, pause=0.0)  # to its end in the detail pane, at once
    walk.press("G", moves=False, pause=0.0)
    walk.press("space")  # it was not dwelt on, but read to its end
    assert walk.quit() == 0
    if any(v.longest >= DELAY for v in walk.visits if v.paper == finished):
        pytest.skip(f"the machine is too slow to show a paper for less than the delay:\n{walk.log()}")
    assert finished in read_on_disk(small_home), walk.log()


def test_enter_after_arriving_keeps_the_paper_dwelt_on_with_the_detail_pane_focused(terminals, small_home):
    walk = start_walk(terminals, small_home)
    arrived = walk.press("n")
    walk.press("enter", moves=False)  # the detail pane takes the focus; the paper stays
    walk.stay()
    assert walk.quit() == 0
    walk.check_read(read_on_disk(small_home), meant={arrived})


@pytest.mark.parametrize("library", ["one day", "fixtures"])
def test_the_paper_at_start_stays_unread_until_the_first_key(terminals, tmp_path, library):
    """Nobody has looked at a paper the reader opened on (the first, or the one restored
    from the last session) until they press a key: left alone, it stays unread; once a key
    is pressed (one that moves nothing: l then h), it counts like any other."""
    home = write_home(tmp_path, library)
    walk = start_walk(terminals, home)
    walk.stay()
    assert read_on_disk(home) == set()
    walk.press("l", moves=False)
    walk.press("h", moves=False)
    walk.stay()
    assert walk.quit() == 0
    walk.check_read(read_on_disk(home), meant={walk.current})


def test_p_goes_back_to_an_unread_paper_and_marks_it_once_dwelt_on(terminals, small_home):
    walk = start_walk(terminals, small_home)
    passed = walk.press("n")  # passed over quickly: stays unread
    walk.press("n")
    back = walk.press("p")
    walk.stay()
    assert walk.quit() == 0
    if passed in walk.maybe_dwelt():  # a busy machine (xdist, other jobs) showed it for the delay
        pytest.skip(f"the machine is too slow to show a paper for less than the delay:\n{walk.log()}")
    assert back == passed
    walk.check_read(read_on_disk(small_home), meant={back})


def test_undo_takes_back_an_automatic_mark_and_says_so(terminals, small_home):
    walk = start_walk(terminals, small_home)
    reader = walk.terminal
    arrived = walk.press("n")
    walk.stay()
    read = wait_read_on_disk(walk, small_home, arrived)
    unread = papers_in_header(reader.screen) - len(read)
    reader.wait_until(lambda s: unread_in_header(s) == unread, f"the header counting {unread} unread", 2.0)
    reader.press("u", pause=0.0)
    screen = reader.wait_for(re.compile("(?i)undone|undid|nothing to undo"), timeout=5)
    reader.read(DWELL)  # still under the cursor: an undone mark is not made again
    after = read_on_disk(small_home)
    screen_after = reader.screen
    assert reader.quit() == 0
    assert "Nothing to undo" not in screen.text(), screen
    assert after == read - {arrived}, f"read after undo: {sorted(after)}\n{screen_after}"
    assert unread_in_header(screen_after) == unread + 1, screen_after


@pytest.mark.parametrize("key", ["n", "j"])
def test_the_header_and_tree_counts_change_on_screen_as_a_paper_becomes_read(terminals, small_home, key):
    walk = start_walk(terminals, small_home)
    reader = walk.terminal
    unread_before = unread_in_header(reader.screen)
    arrived = walk.press(key)  # and no key from here on: what changes, changes by itself
    read = wait_read_on_disk(walk, small_home, arrived)
    unread = papers_in_header(reader.screen) - len(read)
    screen = reader.wait_until(lambda s: unread_in_header(s) == unread
                               and re.search(rf"^Unread\D*{unread}\b", s.text(), re.M) is not None,
                               f"the header and the tree counting {unread} unread", timeout=2.0)
    assert reader.quit() == 0
    assert unread < unread_before, screen
