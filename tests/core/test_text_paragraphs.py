"""join_wrapped_lines tells hard wraps from paragraph breaks in a field's lines."""
from __future__ import annotations

import textwrap

from tui_reader.core.formats.text import join_wrapped_lines

_FIRST = ("Sparse mixtures of adapters are a popular way to tune large models cheaply. "
          "Yet routing tokens among them remains brittle.")
_SECOND = ("We propose a router that learns from its own mistakes, trained with a small "
           "auxiliary loss on the gate entropy. It needs no extra data and no teacher, and "
           "it can be added to an existing model.")
_THIRD = "Code is available."


def wrapped(*paragraphs: str, width: int = 70) -> list[str]:
    """Lines as an author's editor hard-wraps them, paragraphs one after another."""
    return [line for p in paragraphs for line in textwrap.wrap(p, width)]


def test_hard_wrapped_paragraphs_are_joined_and_separated():
    lines = wrapped(_FIRST, _SECOND, _THIRD)
    assert join_wrapped_lines(lines) == "\n\n".join((_FIRST, _SECOND, _THIRD))


def test_a_wrapped_line_ending_a_sentence_is_not_a_paragraph_break():
    # The wrap falls right after 'cheaply.', but 'Yet' would not have fitted on that line.
    text = ("Adapters of many kinds are an increasingly popular way to tune models cheaply. "
            "Yet routing remains brittle in most of the systems we studied.")
    lines = textwrap.wrap(text, 80)
    assert lines[0].endswith("cheaply.")
    assert join_wrapped_lines(lines) == text


def test_a_short_line_not_ending_a_sentence_is_joined():
    lines = ["We study the problem of routing tokens among many adapters in a",
             "shared model", "and show that a learned gate beats fixed ones."]
    assert join_wrapped_lines(lines) == " ".join(lines)


def test_long_lines_are_whole_paragraphs():
    paragraphs = [_SECOND, _SECOND.replace("router", "gate"), _FIRST + " " + _FIRST]
    assert all(len(p) > 100 for p in paragraphs)
    assert join_wrapped_lines(paragraphs) == "\n\n".join(paragraphs)


def test_a_long_line_without_a_sentence_end_continues():
    first = _SECOND[:-1] + " and moreover it opens up avenues for applications to more"
    lines = [first, "advanced architectures."]
    assert join_wrapped_lines(lines) == first + " advanced architectures."


def test_blank_lines_always_separate_paragraphs():
    assert join_wrapped_lines(["One line", "", "", "Two line", ""]) == "One line\n\nTwo line"


def test_hyphen_at_a_wrap_joins_without_a_space():
    lines = ["We introduce a forward-", "only training rule for deep networks."]
    assert join_wrapped_lines(lines) == "We introduce a forward-only training rule for deep networks."


def test_a_single_line_and_nothing():
    assert join_wrapped_lines(["  Only one line.  "]) == "Only one line."
    assert join_wrapped_lines([]) == ""
    assert join_wrapped_lines(["", "  "]) == ""


def test_lines_are_stripped_of_their_indent():
    lines = ["  Indented by the generator", "  and continued here."]
    assert join_wrapped_lines(lines) == "Indented by the generator and continued here."


def test_a_paragraph_ending_on_a_full_line_cannot_be_told_from_a_wrap():
    # Documented limit: the next word would not have fitted, so this reads as a hard wrap.
    lines = ["We propose a router that learns from its own mistakes, trained with a",
             "small loss, and it can be added to any existing model after the fact.",
             "Code is available."]
    assert join_wrapped_lines(lines) == " ".join(lines)


def test_indented_line_starts_a_paragraph_when_indents_differ():
    # arXiv's convention, as in a data file's 'summary': wrapped lines flush left, a new
    # paragraph indented.
    # The first paragraph ends without a full stop, so only the indent can tell.
    lines = ["Routing tokens among adapters is brittle, and we show why in a short",
             "analysis of the gate (Section 2)",
             "  We then propose a router that learns from its mistakes and is cheap",
             "to train on any model."]
    assert join_wrapped_lines(lines) == (
        "Routing tokens among adapters is brittle, and we show why in a short analysis of "
        "the gate (Section 2)\n\nWe then propose a router that learns from its mistakes and "
        "is cheap to train on any model.")


def test_even_indentation_says_nothing_about_paragraphs():
    lines = ["Routing tokens among adapters is brittle, and we show why in a short",
             "  analysis of the gate. We then propose a router that learns from its",
             "  mistakes."]
    assert join_wrapped_lines(lines) == " ".join(line.strip() for line in lines)
