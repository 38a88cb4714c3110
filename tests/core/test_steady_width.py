"""steady_width: list cells are drawn as wide as they are counted, whether the terminal joins
emoji sequences into one glyph (as Rich counts them) or draws their parts (as wcwidth, pyte
and older terminals do)."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from wcwidth import wcwidth

from tui_reader.core.formats.text import steady_width

PARTS = ["a", "Z", " ", "漢", "é", "\U0001F469", "\U0001F4BB", "\U0001F44D", "\u2764", "\U0001F3F3", "\U0001F308",
         "\u200d", "\ufe0f", "\ufe0e", "\U0001F3FD", "\U0001F1EB", "\U0001F1F7", "\U000E0067", "\U000E007F",
         "\u20e3", "1"]


def drawn_by_parts(text: str) -> int:
    """Cells a terminal that draws every character on its own uses."""
    return sum(max(0, wcwidth(char)) for char in text)


@given(st.lists(st.sampled_from(PARTS), max_size=30).map("".join))
def test_a_cell_counts_the_same_whether_emoji_join_or_not(text: str) -> None:
    steady = steady_width(text)
    assert cell_len(steady) == drawn_by_parts(steady)


def test_joined_emoji_show_as_their_parts_and_flags_as_letters() -> None:
    assert steady_width("Coders \U0001F469\u200D\U0001F4BB") == "Coders \U0001F469\U0001F4BB"
    assert steady_width("\u2764\uFE0F \U0001F44D\U0001F3FD") == "\u2764 \U0001F44D"
    assert steady_width("\U0001F1EB\U0001F1F7 paper") == "FR paper"
    assert steady_width("plain ascii") == "plain ascii"
