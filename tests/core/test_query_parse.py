"""The query parser: every construct gives the tree it should, every mistake a QueryError."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.search.query import QueryError, parse_query
from tui_reader.core.search.parse import (
    MAX_QUERY_LENGTH, MAX_TERMS, And, DateTerm, MatchAll, Not, Or, StateTerm, TagTerm, TextTerm,
)

TODAY = date(2025, 12, 25)


def tree(text: str):
    return parse_query(text, today=TODAY).tree


def test_blank_query_matches_everything():
    assert tree("") == MatchAll()
    assert tree("   \t") == MatchAll()
    assert parse_query("").is_empty


def test_words_are_anded_and_folded():
    assert tree("Diffusion MÜLLER") == And((TextTerm("any", "diffusion", "Diffusion"),
                                            TextTerm("any", "muller", "MÜLLER")))


def test_quoted_phrase_is_one_term_with_whitespace_collapsed():
    assert tree('"Large   Language Model"') == TextTerm("any", "large language model", "Large   Language Model")


def test_minus_excludes_a_word_a_phrase_a_field_and_a_group():
    assert tree("-survey") == Not(TextTerm("any", "survey", "survey"))
    assert tree('-"a b"') == Not(TextTerm("any", "a b", "a b"))
    assert tree("-ti:x") == Not(TextTerm("ti", "x", "x"))
    assert tree("-(a OR b)") == Not(Or((TextTerm("any", "a", "a"), TextTerm("any", "b", "b"))))


def test_double_minus_cancels():
    assert tree("--x") == TextTerm("any", "x", "x")


def test_hyphen_inside_a_word_is_part_of_the_word():
    assert tree("self-supervised") == TextTerm("any", "self-supervised", "self-supervised")


def test_or_binds_looser_than_and():
    a, b, c = (TextTerm("any", x, x) for x in "abc")
    assert tree("a b OR c") == Or((And((a, b)), c))
    assert tree("a (b OR c)") == And((a, Or((b, c))))


def test_explicit_and_is_the_same_as_a_space():
    assert tree("a AND b") == tree("a b")


def test_lowercase_or_is_a_word():
    assert tree("a or b") == And(tuple(TextTerm("any", x, x) for x in ("a", "or", "b")))


@pytest.mark.parametrize("prefix,field", [
    ("ti", "ti"), ("au", "au"), ("abs", "abs"), ("tldr", "tldr"), ("cat", "cat"), ("id", "id"),
    ("note", "note"), ("TI", "ti"), ("arxiv", "id"),
])
def test_text_fields(prefix, field):
    assert tree(f"{prefix}:Word") == TextTerm(field, "word", "Word")


def test_field_with_quoted_value():
    assert tree('ti:"Video Diffusion"') == TextTerm("ti", "video diffusion", "Video Diffusion")


def test_id_field_accepts_versions_and_urls():
    assert tree("id:2512.20735v2").value == "2512.20735"
    assert tree("id:https://arxiv.org/abs/2512.20735").value == "2512.20735"
    assert tree("id:2512.").value == "2512."


def test_tag_and_states():
    assert tree("tag:To-Read") == TagTerm("to-read")
    assert tree("is:unread is:READ is:starred") == And(
        (StateTerm("unread"), StateTerm("read"), StateTerm("starred")))


@pytest.mark.parametrize("text,start,stop", [
    ("date:2025-12-25", "2025-12-25", "2025-12-26"),
    ("date:2025-12", "2025-12-01", "2026-01-01"),
    ("date:2025", "2025-01-01", "2026-01-01"),
    ("date:>=2025-12-01", "2025-12-01", None),
    ("date:>2025-12", "2026-01-01", None),
    ("date:<2025-12-01", None, "2025-12-01"),
    ("date:<=2025-12", None, "2026-01-01"),
    ("date:=2024-02-29", "2024-02-29", "2024-03-01"),
    ("date:today", "2025-12-25", "2025-12-26"),
    ("date:yesterday", "2025-12-24", "2025-12-25"),
    ("date:>=7d", "2025-12-18", None),
    ("date:>=2w", "2025-12-11", None),
])
def test_dates(text, start, stop):
    assert tree(text) == DateTerm(start, stop)


def test_terms_are_the_positive_words_and_phrases_as_typed():
    query = parse_query('Müller ti:"video  gen" -survey (a OR b) cat:cs.CV is:unread date:2025 a')
    assert query.terms() == ["Müller", "video gen", "a", "b"]


@pytest.mark.parametrize("text,message,column", [
    ('diffusion "video', "unbalanced quote", 11),
    ('ti:"abc', "unbalanced quote", 4),
    ("(a b", "unbalanced parenthesis", 1),
    ("a (b (c)", "unbalanced parenthesis", 3),
    ("a b)", "unmatched closing parenthesis", 4),
    (")", "unmatched closing parenthesis", 1),
    ("foo:bar", 'unknown field "foo:"', 1),
    ("x https://example.org", 'unknown field "https:"', 3),
    ("date:2025-13-01", 'bad date "2025-13-01"', 6),
    ("date:2025-02-30", 'bad date "2025-02-30"', 6),
    ("date:>=12-01", 'bad date "12-01"', 8),
    ("date:soon", 'bad date "soon"', 6),
    ("a ()", "empty parentheses", 3),
    ("OR a", "OR needs a term on each side", 1),
    ("a OR", "OR needs a term on each side", 3),
    ("a OR OR b", "OR needs a term on each side", 3),
    ("(a OR) b", "OR needs a term on each side", 4),
    ("a AND", "AND needs a term on each side", 3),
    ("a -", 'nothing to exclude after "-"', 3),
    ("-)", 'nothing to exclude after "-"', 1),
    ("ti:", 'nothing after "ti:"', 1),
    ("ti: x", 'nothing after "ti:"', 1),
    ('""', "empty phrase", 1),
    ("is:new", 'unknown state "is:new"', 4),
    ("tag:", 'nothing after "tag:"', 1),
])
def test_errors_say_what_and_where(text, message, column):
    with pytest.raises(QueryError) as caught:
        parse_query(text, today=TODAY)
    err = caught.value
    assert err.message.startswith(message)
    assert err.position == column - 1
    assert str(err).endswith(f"at column {column}")
    assert "\n" not in str(err)


def test_nine_hundred_parentheses_give_an_error_not_a_recursion_error():
    with pytest.raises(QueryError) as caught:
        parse_query("(" * 900 + "a" + ")" * 900)
    assert "nested deeper" in caught.value.message


def test_many_minus_signs_do_not_recurse():
    assert parse_query("-" * 1997 + "a").tree == Not(TextTerm("any", "a", "a"))  # deeper than the recursion limit


def test_sixty_levels_of_parentheses_are_fine():
    assert parse_query("(" * 60 + "a" + ")" * 60).tree == TextTerm("any", "a", "a")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab "()-:OR ANDtidaus.0123456789é\t>=<')) | st.characters(),
               max_size=60))
def test_any_text_gives_a_query_or_a_query_error(text):
    try:
        query = parse_query(text, today=TODAY)
    except QueryError as err:
        assert 0 <= err.position <= len(text)
        assert "\n" not in str(err)
    else:
        assert isinstance(query.terms(), list)


def test_the_query_modules_import_neither_textual_nor_rich():
    import subprocess
    import sys

    code = ("import sys, tui_reader.core.search.query, tui_reader.core.search.index;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_query_of_hundreds_of_terms_is_one_clear_error_before_any_search():
    for text in (" ".join(["ab"] * 600), " OR ".join(["ab"] * 300), " ".join(["-ti:ab"] * 250)):
        with pytest.raises(QueryError) as caught:
            parse_query(text)
        err = caught.value
        assert str(err) == f"more than {MAX_TERMS} terms (a quoted phrase is one term) at column {err.position + 1}"
        term_length = round(len(text) / text.count("ab"))  # each term with what separates it
        assert err.position // term_length == MAX_TERMS  # at the first term too many
    # As many as allowed, of every kind, still parse; a long quoted paste is one term.
    kinds = ["word", '"a phrase"', "ti:x", 'au:"Ada R"', "-minus"]
    assert parse_query(" ".join(kinds[n % len(kinds)] for n in range(MAX_TERMS)))
    assert parse_query('"' + "word " * 300 + '"').terms() == [("word " * 300).strip()]


def test_a_query_longer_than_the_limit_is_one_clear_error():
    with pytest.raises(QueryError) as caught:
        parse_query('"' + "x" * MAX_QUERY_LENGTH + '"')
    assert caught.value.message == f"query longer than {MAX_QUERY_LENGTH:,} characters"
