"""`dump --query` gives the papers the reader's search gives, reading marks included."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_reader import cli
from tui_reader.core.library.load import load_library
from tui_reader.core.paths import AppPaths
from tui_reader.core.search.query import SearchIndex, parse_query
from tui_reader.core.state.store import Store

ENTRY = """\
### [{n}] [{title}](https://arxiv.org/abs/{pid})
*{authors}*

Main category: {cat}

TL;DR: {tldr}

<details>
  <summary>Details</summary>
Abstract: {abstract}

</details>

"""

PAPERS = [
    ("2512.10001", "Diffusion Priors for Maps", "Dana Müller,Bo Li", "cs.CV", "Maps from priors.", "We map."),
    ("2512.10002", "Sparse Attention Revisited", "Ana Muller", "cs.CL", "Faster attention.", "Long inputs."),
    ("2512.10003", "Graph Learning at Scale", "Eve Smith", "cs.LG", "Graphs.", "Mentions Muller once."),
    ("2512.10004", "Robots That Read", "Jürgen Möller,Kim Mullerova", "cs.RO", "Robots read.", "Text."),
]


def write_digest(folder: Path) -> Path:
    path = folder / "2025-12-24.md"
    body = ["# Table of Contents\n\n"]
    for cat in dict.fromkeys(p[3] for p in PAPERS):
        body.append(f"<div id='{cat}'></div>\n\n# {cat} [[Back]](#toc)\n\n")
        for n, (pid, title, authors, c, tldr, abstract) in enumerate(PAPERS, 1):
            if c == cat:
                body.append(ENTRY.format(n=n, title=title, pid=pid, authors=authors, cat=c,
                                         tldr=tldr, abstract=abstract))
    path.write_text("".join(body), encoding="utf-8")
    return path


def reader_ids(path: Path, text: str, home: Path) -> list[str]:
    """What the reader lists for a query: the library's papers through SearchIndex."""
    papers = load_library([str(path)]).sorted_papers()
    with Store.open(AppPaths.resolve(str(home)).state_file) as store:
        marks = store.marks()
    return [papers[i].id for i in SearchIndex(papers).search(parse_query(text), marks)]


def dump_ids(path: Path, text: str, capsys) -> list[str]:
    assert cli.main(["dump", f"--query={text}", str(path)]) == 0
    return [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("text", ["au:muller is:unread", "muller", "is:starred OR tag:maps", "-is:read"])
def test_dump_query_gives_the_papers_the_reader_shows(tmp_path, home, capsys, text):
    path = write_digest(tmp_path)
    with Store.open(AppPaths.resolve(str(home)).state_file) as store:
        store.set_read(["2512.10001"], True)
        store.set_starred(["2512.10003"], True)
        store.set_tags("2512.10004", ["maps"])
    expected = reader_ids(path, text, home)
    assert dump_ids(path, text, capsys) == expected
    assert expected  # every query here finds something, so the comparison means something


def test_dump_query_uses_marks(tmp_path, home, capsys):
    path = write_digest(tmp_path)
    assert dump_ids(path, "au:muller is:unread", capsys) == ["2512.10001", "2512.10002", "2512.10004"]
    with Store.open(AppPaths.resolve(str(home)).state_file) as store:
        store.set_read(["2512.10001"], True)
    assert dump_ids(path, "au:muller is:unread", capsys) == ["2512.10002", "2512.10004"]


def test_dump_without_a_state_file_treats_everything_as_unread(tmp_path, home, capsys):
    path = write_digest(tmp_path)
    assert len(dump_ids(path, "is:unread", capsys)) == len(PAPERS)
    assert not AppPaths.resolve(str(home)).state_file.exists()  # a query never creates one


def test_dump_bad_query_is_one_line_and_a_usage_error(tmp_path, home, capsys):
    path = write_digest(tmp_path)
    assert cli.main(["dump", "--query", 'au:"muller', str(path)]) == cli.EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "tui-reader: bad query: unbalanced quote at column 4\n"
