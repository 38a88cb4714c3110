"""More like this: core.rank.similar on invented papers and on the real history, and `like:`
in the search language and in `tui-reader dump`."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader import cli
from tui_reader.core.model import Appearance, Paper
from tui_reader.core.search.query import SearchIndex, parse_query
from tui_reader.core.search.parse import LikeTerm, QueryError
from tui_reader.core.rank.similar import SimilarityIndex, order_by_likeness

from test_query_dump import ENTRY

REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "2025-q4"


def paper(pid: str, title: str, abstract: str = "", authors: tuple[str, ...] = ()) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, authors=list(authors), category="cs.LG",
                 categories=["cs.LG"], appearances=[Appearance("d.md", "2025-12-24", "cs.LG")])


PAPERS = [
    paper("2512.00001", "Diffusion models for video generation", "Latent diffusion on long video clips.",
          ("Dana Müller", "Bo Li")),
    paper("2512.00002", "Faster video diffusion sampling", "Fewer diffusion steps for video generation.",
          ("Bo Li",)),
    paper("2512.00003", "Graph neural networks for molecules", "Message passing predicts molecular properties."),
    paper("2512.00004", "Protein graphs and message passing", "Molecules and proteins as graphs."),
    paper("2512.00005", "An empty one"),
    paper("2512.00006", "Robots grasping objects", "Reinforcement learning for grasping."),
]


@pytest.mark.parametrize("method", ["tfidf", "svd"])
def test_neighbours_share_the_topic_and_say_why(method):
    index = SimilarityIndex(PAPERS, method=method)
    found = index.neighbours("2512.00001", 3)
    assert found[0].index == 1
    assert {"video", "diffusion"} & set(" ".join(found[0].shared_words).split())
    assert found[0].shared_authors == ("Bo Li",)
    assert "authors: Bo Li" in found[0].why()
    assert all(a.score >= b.score for a, b in zip(found, found[1:]))
    assert 0 not in [n.index for n in found]  # never the paper itself
    graphs = index.neighbours("2512.00003", 1)
    assert [n.index for n in graphs] == [3]


def test_unknown_id_empty_abstract_and_a_library_of_one():
    index = SimilarityIndex(PAPERS)
    assert index.neighbours("2512.99999") == []
    assert index.why_none("2512.99999") == "no paper 2512.99999 in the library"
    assert index.why_none("2512.00001") is None
    # A paper with a title but no abstract still has words; one with nothing has none.
    bare = SimilarityIndex([*PAPERS, paper("2512.00007", "", "")])
    assert bare.neighbours("2512.00007") == []
    assert "no words" in (bare.why_none("2512.00007") or "")
    alone = SimilarityIndex(PAPERS[:1])
    assert alone.neighbours("2512.00001") == []
    assert alone.why_none("2512.00001") == "the library holds no other paper"
    assert SimilarityIndex([]).size == 0


def test_like_in_the_search_language():
    query = parse_query("like:arXiv:2512.00001v2 -tag:x")
    assert query.like_ids() == ["2512.00001"]
    assert LikeTerm("2512.00001") in query.tree.children  # type: ignore[union-attr]
    with pytest.raises(QueryError, match="nothing after"):
        parse_query("like:")
    index = SearchIndex(PAPERS)
    found = index.search(parse_query("like:2512.00001"), {})
    assert 1 in found and 0 not in found
    assert index.search(parse_query("like:2512.00001 graph"), {}) == []  # it combines with words
    assert index.search(parse_query("like:2512.99999"), {}) == []
    assert order_by_likeness(SimilarityIndex(PAPERS), ["2512.00003"], [0, 1, 2, 3, 5])[0] == 3


def write_digest(folder: Path) -> Path:
    path = folder / "2025-12-24.md"
    body = ["# Table of Contents\n\n<div id='cs.LG'></div>\n\n# cs.LG [[Back]](#toc)\n\n"]
    for n, p in enumerate(PAPERS, 1):
        body.append(ENTRY.format(n=n, title=p.title, pid=p.id, authors=",".join(p.authors) or "Someone",
                                 cat="cs.LG", tldr="", abstract=p.abstract))
    path.write_text("".join(body), encoding="utf-8")
    return path


def test_dump_like_prints_most_similar_first_and_warns_once_for_an_unknown_id(tmp_path, home, capsys):
    path = write_digest(tmp_path)
    assert cli.main(["dump", "--query", "like:2512.00003", str(path)]) == 0
    out, err = capsys.readouterr()
    ids = [json.loads(line)["id"] for line in out.splitlines()]
    assert ids[0] == "2512.00004" and "2512.00003" not in ids
    assert err == ""
    # --sort digest keeps the digest order: the same papers, in the library's order.
    assert cli.main(["dump", "--sort", "digest", "--query", "like:2512.00003", str(path)]) == 0
    in_digest_order = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert sorted(in_digest_order) == sorted(ids) and in_digest_order == sorted(ids)
    # --sort relevance: the For-you order over the whole library, like: selecting from it.
    assert cli.main(["dump", "--sort", "relevance", "--query", "like:2512.00003", str(path)]) == 0
    ranked = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert sorted(ranked) == sorted(ids)
    assert cli.main(["dump", "--query", "like:2512.99999", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "no paper 2512.99999 in the library" in err


def test_heavy_imports_stay_off_a_query_without_like():
    code = ("import sys; from tui_reader.core.search.query import parse_query, filter_papers; "
            "parse_query('diffusion au:li'); print(sorted(m for m in ('sklearn', 'scipy', 'numpy') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def real_papers() -> list[Paper]:
    if not REAL.is_dir():
        pytest.skip("../shared/real/2025-q4 is not present")
    from tui_reader.core.library.stream import plan_library

    return list(plan_library([str(REAL)]).papers())


@pytest.mark.slow
def test_real_neighbours_share_obvious_topic_words(real_papers, home, capsys):
    seed = next(p for p in real_papers if "structured pruning" in p.title.lower())
    index = SimilarityIndex(real_papers)
    found = index.neighbours(seed.id, 5)
    assert len(found) == 5
    titles = [real_papers[n.index].title.lower() + real_papers[n.index].abstract.lower() for n in found]
    assert all("prun" in t for t in titles), titles
    assert all(n.shared_words for n in found)
    # The command line prints the same neighbours, most similar first.
    assert cli.main(["dump", "--query", f"like:{seed.id}", str(REAL)]) == 0
    ids = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert ids[:5] == [real_papers[n.index].id for n in found]


def test_the_index_is_kept_with_the_cache_and_read_back_on_a_warm_start(tmp_path):
    from tui_reader.core.rank.ranker import Ranker, features_file
    from tui_reader.core.state.store import Mark

    file = features_file(tmp_path / "cache")
    first = SimilarityIndex(PAPERS, features_file=file)
    assert first.hashed == len(PAPERS) and file.is_file()
    again = SimilarityIndex(PAPERS, features_file=file)
    assert again.hashed == 0  # read, not made again
    assert again.neighbours("2512.00001") == first.neighbours("2512.00001")
    # The same file as For you's: what either made, the other reads.
    shared = tmp_path / "shared.npz"
    stars = {p.id: Mark(p.id, starred_at="2025-12-24T10:00:00+00:00") for p in PAPERS[:3]}
    Ranker(features_file=shared).train(PAPERS, stars)
    assert SimilarityIndex(PAPERS, features_file=shared).hashed == 0


@pytest.mark.parametrize("junk", [b"", b"not numpy at all", b"PK\x03\x04 a broken zip"])
def test_a_damaged_index_file_is_made_again_silently(tmp_path, junk):
    file = tmp_path / "rank-features.npz"
    expected = SimilarityIndex(PAPERS).neighbours("2512.00001")
    file.write_bytes(junk)
    index = SimilarityIndex(PAPERS, features_file=file)
    assert index.hashed == len(PAPERS)
    assert index.neighbours("2512.00001") == expected
    assert SimilarityIndex(PAPERS, features_file=file).hashed == 0  # written anew, whole
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # no half-written file left
