"""Hide rules: [[hide]] queries of the settings hide papers, with every construct of the search language."""
from __future__ import annotations

import pytest

from tui_reader.core.config import ConfigError, HideRule, parse_config
from tui_reader.core.search.hide import hidden_papers
from tui_reader.core.model import Appearance, Paper
from tui_reader.core.search.query import SearchIndex
from tui_reader.core.state.store import Mark


def _paper(n: int, title: str, *, authors: tuple[str, ...] = ("Ada Lovelace",), category: str = "cs.LG",
           day: str = "2025-01-06", abstract: str = "") -> Paper:
    return Paper(id=f"2501.{n:05d}", title=title, authors=list(authors), category=category,
                 categories=[category], abstract=abstract or f"About {title}.",
                 appearances=[Appearance(f"{day}.md", day, category)])


PAPERS = [
    _paper(1, "A Survey of Diffusion Models"),
    _paper(2, "Large Language Model Agents", category="cs.CL"),
    _paper(3, "Video Diffusion at Scale", authors=("Jürgen Müller",), category="cs.CV"),
    _paper(4, "Quantum Error Correction", category="quant-ph", day="2025-01-07"),
    _paper(5, "Language agents for robots", category="cs.RO", abstract="Large language model planning."),
]


def _hidden(query: str, marks: dict[str, Mark] | None = None) -> set[int]:
    hidden = hidden_papers(PAPERS, [HideRule(query)], marks)
    return {int(paper_id[-5:]) for paper_id in hidden}


@pytest.mark.parametrize(("query", "expected"), [
    ("diffusion", {1, 3}),                                 # a word
    ("survey diffusion", {1}),                             # all words
    ('"large language model"', {2, 5}),                    # a phrase
    ("diffusion -survey", {3}),                            # negation
    ("quantum OR robots", {4, 5}),                         # OR
    ("(survey OR quantum) -cat:quant-ph", {1}),            # grouping with a negated field
    ("ti:language", {2, 5}),                               # title field
    ("au:muller", {3}),                                    # author field, folded
    ("cat:cs.CL", {2}),                                    # category
    ("abs:planning", {5}),                                 # abstract
    ("id:2501.00004", {4}),                                # id
    ("date:2025-01-07", {4}),                              # date
    ("date:<2025-01-07 cat:cs.RO", {5}),                   # date range with a field
])
def test_a_hide_rule_hides_what_its_query_finds(query: str, expected: set[int]) -> None:
    assert _hidden(query) == expected


def test_hide_rules_on_reading_state_and_tags_follow_the_marks() -> None:
    marks = {"2501.00002": Mark("2501.00002", read_at="2025-01-06T10:00:00+00:00"),
             "2501.00003": Mark("2501.00003", starred_at="2025-01-06T10:00:00+00:00", tags=("boring",))}
    assert _hidden("is:read", marks) == {2}
    assert _hidden("is:starred", marks) == {3}
    assert _hidden("is:unread cat:cs", marks) == {1, 3, 5}
    assert _hidden("tag:boring", marks) == {3}


def test_the_first_matching_rule_gives_the_reason_and_a_rule_without_one_names_its_query() -> None:
    rules = [HideRule("ti:survey", "no surveys"), HideRule("diffusion")]
    hidden = hidden_papers(PAPERS, rules, index=SearchIndex(PAPERS))
    assert hidden == {"2501.00001": "no surveys", "2501.00003": "hidden by 'diffusion'"}


def test_no_rules_hide_nothing() -> None:
    assert hidden_papers(PAPERS, []) == {}


def test_the_settings_file_gives_hide_rules_with_optional_reasons() -> None:
    config = parse_config('[[hide]]\nquery = "ti:survey"\nreason = "no  surveys"\n\n[[hide]]\nquery = "cat:hep-th"\n')
    assert config.hide_rules == [HideRule("ti:survey", "no surveys"), HideRule("cat:hep-th", "")]


@pytest.mark.parametrize(("text", "message"), [
    ('[[hide]]\nquery = "ti:\\"survey"\n', "hide rule 1: bad query"),
    ('[[hide]]\nquery = ""\n', "empty query"),
    ('[[hide]]\nreason = "x"\n', "needs a query"),
    ('[[hide]]\nquery = "a"\nwhy = "x"\n', "needs a query"),
    ('hide = "survey"\n', "[[hide]]"),
])
def test_a_bad_hide_rule_is_one_clear_settings_error(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[")):
        parse_config(text)
