"""The link rule and the id rule: a paper's links are built from its ASCII id; any other
link is opened only when its host is plain ASCII."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, strategies as st

from tui_reader.core.formats import parse_digest
from tui_reader.core.model import (
    InvalidArxivId, abs_url, find_arxiv_id, parse_arxiv_id, pdf_url, safe_link,
)

LOOKALIKES = [
    "https://arx\u0131v.org/abs/2512.90009",        # dotless i: IGNORECASE matched it
    "https://xn--arxv-nza.org/abs/2512.90009",      # the same host, IDNA-encoded
    "https://\u0430rxiv.org/abs/2512.90009",        # Cyrillic a
    "https://arxiv.org.evil.example/abs/2512.90009",
    "https://arxiv.org@evil.example/abs/2512.90009",
    "https://evil.example/?u=arxiv.org/abs/2512.90009",
    "https://arxiv.org:8080/abs/2512.90009",
    "https://mirror.arxiv.org/abs/2512.90009",
    "https://\u212aarxiv.org/abs/2512.90009",      # Kelvin sign before the host
]


@pytest.mark.parametrize("url", LOOKALIKES)
def test_a_lookalike_arxiv_host_is_not_an_arxiv_link(url):
    assert find_arxiv_id(url) is None


@pytest.mark.parametrize("url", [
    "https://arxiv.org/abs/2512.90009", "http://www.arxiv.org/abs/2512.90009",
    "https://export.arxiv.org/pdf/2512.90009v2.pdf", "HTTPS://ArXiv.ORG/abs/2512.90009",
    "arxiv.org/abs/2512.90009?context=cs#x",
])
def test_only_the_three_ascii_arxiv_hosts_are_arxiv_links(url):
    assert (find_arxiv_id(url) or ("",))[0] == "2512.90009"


@pytest.mark.parametrize("url", LOOKALIKES[:3])
def test_a_markdown_paper_linked_to_a_lookalike_host_is_skipped(url):
    text = f"### [1] [Lookalike]({url})\n*A*\n\nTL;DR: x\n"
    digest = parse_digest(text + "### [2] [Real](https://arxiv.org/abs/2512.20735)\n*B*\n", "x.md", None)
    assert [p.id for p in digest.papers] == ["2512.20735"]
    assert all("arxiv.org/abs/" in p.url and p.url.isascii() for p in digest.papers)


def test_a_jsonl_paper_with_a_lookalike_abs_link_gets_the_link_built_from_its_id():
    record = json.dumps({"id": "2512.90009", "abs": LOOKALIKES[0], "title": "t"})
    [paper] = parse_digest(record, "x.jsonl", None).papers
    assert paper.url == "https://arxiv.org/abs/2512.90009"


def test_a_papers_link_drops_the_query_and_fragment_of_the_digest_link():
    text = "### [1] [T](https://arxiv.org/abs/2512.20735v2?utm=x#frag)\n*A*\n"
    [paper] = parse_digest(text, "x.md", None).papers
    assert paper.url == "https://arxiv.org/abs/2512.20735v2"


def test_a_pdf_link_in_a_digest_becomes_the_papers_abstract_page():
    text = "### [1] [T](http://export.arxiv.org/pdf/2512.20735)\n*A*\n"
    [paper] = parse_digest(text, "x.md", None).papers
    assert paper.url == "https://arxiv.org/abs/2512.20735"


def test_links_are_built_from_the_id():
    assert abs_url("2512.20735") == "https://arxiv.org/abs/2512.20735"
    assert abs_url("2512.20735", 3) == "https://arxiv.org/abs/2512.20735v3"
    assert pdf_url("hep-th/9901001") == "https://arxiv.org/pdf/hep-th/9901001"


@pytest.mark.parametrize("text", [
    "\uff12\uff15\uff11\uff12.\uff12\uff10\uff17\uff13\uff15",   # full-width digits
    "\u0662\u0665\u0661\u0662.\u0662\u0660\u0667\u0663\u0665",   # Arabic-Indic digits
    "2512.2073\u0665", "hep-th/990100\u0661", "2512.20735v\u0662",
    "https://arxiv.org/abs/\uff12\uff15\uff11\uff12.\uff12\uff10\uff17\uff13\uff15",
])
def test_an_id_with_non_ascii_digits_is_refused(text):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)


@pytest.mark.parametrize("text", [
    "2512.2073",     # after 1501 new ids have five digits
    "1501.0001",
    "1412.00001",    # before 1501, four
    "2513.20735",    # no thirteenth month
    "2500.20735",
    "0612.1234",     # new-style ids began in April 2007
])
def test_an_impossible_new_style_id_is_refused(text):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)


@pytest.mark.parametrize("text", ["0704.0001", "1412.9999", "1501.00001", "2512.20735v12",
                                  "hep-th/9901001", "math.AG/0601001", "arXiv:2512.20735"])
def test_real_ids_of_every_era_are_accepted(text):
    assert parse_arxiv_id(text)[0] == text.removeprefix("arXiv:").split("v1")[0]


def test_a_jsonl_record_with_non_ascii_digits_is_skipped_not_a_duplicate():
    lines = [json.dumps({"id": "2512.20735", "title": "real"}),
             json.dumps({"id": "\uff12\uff15\uff11\uff12.\uff12\uff10\uff17\uff13\uff15", "title": "copy"})]
    digest = parse_digest("\n".join(lines), "x.jsonl", None)
    assert [p.id for p in digest.papers] == ["2512.20735"]


@given(st.text(max_size=60))
def test_every_accepted_id_is_ascii(text):
    found = find_arxiv_id(text)
    if found is not None:
        assert found[0].isascii()


@pytest.mark.parametrize("url,expected", [
    ("https://github.com/owner/repo", "https://github.com/owner/repo"),
    ("http://example.org/a/b?c=d#e", "http://example.org/a/b?c=d#e"),
    ("HTTPS://GitHub.com/x", "https://github.com/x"),
])
def test_safe_link_keeps_a_plain_ascii_web_link(url, expected):
    assert safe_link(url) == expected


@pytest.mark.parametrize("url", [
    "https://g\u0131thub.com/owner/repo", "https://xn--gthub-n4a.com/owner/repo",
    "javascript:alert(1)", "file:///etc/passwd", "https://github.com/a\x1b[2Jb",
    "https://github.com/a b", "https://user:pw@github.com/x", "//github.com/x",
    "https://github.com/\u202eexe.txt", "https://", "https://-bad-.com/x", "https://a..b/x",
    "https://github.com:99999/x", pytest.param("https://github.com/" + "x" * 5000, id="too-long"),
])
def test_safe_link_refuses_anything_else(url):
    assert safe_link(url) is None


def test_safe_link_of_an_arxiv_link_is_the_papers_own_page():
    assert safe_link("https://www.arxiv.org/abs/2512.20735?x=1#y") == "https://arxiv.org/abs/2512.20735"
    assert safe_link("https://arx\u0131v.org/abs/2512.20735") is None
