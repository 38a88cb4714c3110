"""Property tests: the text functions never raise, never let controls through, and settle."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.formats.text import clean_field, join_wrapped_lines, render_latex, strip_controls

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# Text rich in what the functions look at: mojibake leads, C1 bytes, LaTeX syntax.
_INTERESTING = st.sampled_from(list(
    "ÃÂâÄÅÎÏÐÑð€™œ¤¥¦¼©®°±²³µ¶·¸¹º»¼½¾¿\x80\x93\x94\x97\x99\x9c\x9d\x9f\x1b\x07\r\n\t\u202e"
    "$\\{}^_~`'-–—0123456789 aeiousxyzAOE.,;:()[]"
))
_LATEX_BITS = st.sampled_from([
    "\\textbf{", "\\frac", "\\sqrt", "\\sqrt[3]", "\\mathcal{", "\\mathbb{", "\\left(",
    "\\right.", "\\times", "\\alpha", "\\'", '\\"', "\\\\", "\\", "$", "$$", "{", "}", "^{",
    "_{", "\\(", "\\)", "\\[", "\\]", "\\cite{", "\\href{", "--", "---", "``", "''", "~",
    "\\unknown", "\\hat", "\\text{", "Ã", "â", "Ã¼", "Î¼", "\\%", "\\$",
])
_MESSY_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(_INTERESTING, _LATEX_BITS, st.text(max_size=5)), max_size=60).map("".join),
)


@settings(max_examples=400, deadline=None)
@given(_MESSY_TEXT)
def test_clean_field_never_raises_and_lets_no_control_through(text):
    cleaned = clean_field(text)
    assert not _CONTROL.search(cleaned)
    assert cleaned == cleaned.strip()


@settings(max_examples=400, deadline=None)
@given(_MESSY_TEXT)
def test_clean_field_is_idempotent(text):
    once = clean_field(text)
    assert clean_field(once) == once


@settings(max_examples=400, deadline=None)
@given(_MESSY_TEXT)
def test_render_latex_never_raises_and_adds_no_control(text):
    shown = render_latex(clean_field(text))
    assert isinstance(shown, str)
    assert not _CONTROL.search(shown)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_characters="$\\`-", exclude_categories=["Cs"])))
def test_render_latex_leaves_text_without_markup_alone(text):
    assert render_latex(text) == text


@settings(max_examples=300, deadline=None)
@given(st.lists(_MESSY_TEXT, max_size=12))
def test_join_wrapped_lines_never_raises_and_keeps_every_word(lines):
    joined = join_wrapped_lines(lines)
    words = [w for line in lines for w in line.split()]
    assert "".join(joined.split()) == "".join(words)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_strip_controls_only_removes(text):
    stripped = strip_controls(text)
    assert not _CONTROL.search(stripped)
    if "\x1b" not in text and not re.search("[\x90\x98\x9b\x9d-\x9f]", text):
        assert len(stripped) == len(text) - len(_CONTROL.findall(text))
    rest = iter(text)  # escape sequences go whole: what is left is a subsequence of the text
    assert all(char in rest for char in stripped)
