"""The real shared digest parses into the papers and categories it holds, as people read them."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from functools import lru_cache

import pytest

from tui_reader.core.model import TEXT_FIELDS

_SHOWN_FIELDS = ("title", *TEXT_FIELDS)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=1)
def _dump(path: str) -> tuple[dict, ...]:
    out = subprocess.run(
        [sys.executable, "-m", "tui_reader", "dump", path],
        capture_output=True, text=True, check=True,
    )
    return tuple(json.loads(line) for line in out.stdout.splitlines())


@pytest.fixture
def papers(sample_digest) -> dict[str, dict]:
    return {paper["id"]: paper for paper in _dump(str(sample_digest))}


def test_dump_of_sample_gives_185_papers_in_five_categories(sample_digest):
    papers = _dump(str(sample_digest))
    assert len(papers) == 185
    assert Counter(p["category"] for p in papers) == {
        "cs.CV": 63, "cs.CL": 30, "cs.MA": 3, "cs.AI": 31, "cs.LG": 58,
    }
    for paper in papers:
        for name in TEXT_FIELDS:
            assert paper[name].strip(), (paper["id"], name)
        assert paper["date"] == "2025-12-25"


def test_no_mojibake_left_in_any_field_or_author(papers):
    for paper in papers.values():
        for text in [*(paper[name] for name in _SHOWN_FIELDS), *paper["authors"]]:
            assert "Ã" not in text and "Î" not in text, (paper["id"], text)
            assert not re.search("â(?![a-z])", text), (paper["id"], text)
            assert not _CONTROL.search(text), (paper["id"], text)


def test_no_latex_left_in_any_field(papers):
    for paper in papers.values():
        for name in _SHOWN_FIELDS:
            text = paper[name]
            assert not re.search(r"\\[A-Za-z]|\$\\|\\%", text), (paper["id"], name, text)
            assert not re.search(r"\$[^$\s]{1,40}\$", text), (paper["id"], name, text)


def test_broken_author_names_are_repaired(papers):
    assert any("Müller" in a for a in papers["2512.20761"]["authors"])
    assert any(a.startswith("Gül ") and a.endswith("Altıntaş") for a in papers["2512.20757"]["authors"])


@pytest.mark.parametrize(("paper_id", "field", "expected"), [
    ("2512.20746", "abstract", "μJ"),          # '$Î¼$J': mojibake inside LaTeX maths
    ("2512.21284", "result", "8×"),            # '8Ã': the byte of × was lost
    ("2512.21284", "abstract", "8×"),          # '$8\times$'
    ("2512.20636", "result", "≤2%"),           # 'â¤2%'
    ("2512.20636", "method", "ones—no"),       # lone 'â' between words
    ("2512.21002", "result", "≈94%"),          # lone 'â' before a number
    ("2512.20814", "result", "O(1/√K)"),       # lone 'â' after a slash
    ("2512.20814", "abstract", "𝒪(d)"),        # '$\mathcal{O}(d)$'
    ("2512.20865", "abstract", "ℓₚ-norm"),     # '${\ell}_p$-norm'
    ("2512.20660", "abstract", "1.3B–15B"),    # '1.3B--15B'
])
def test_repaired_and_rendered_text_is_where_the_sample_has_it_broken(papers, paper_id, field, expected):
    assert expected in papers[paper_id][field]


def test_hard_wrapped_abstract_keeps_its_paragraphs(papers):
    abstract = papers["2512.20668"]["abstract"]
    assert abstract.count("\n\n") == 3
    assert "\n" not in abstract.replace("\n\n", "")
