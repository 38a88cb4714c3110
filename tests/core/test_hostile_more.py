"""Hostile input, continued: whole escape sequences removed, JSONL and HTML in linear time."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.formats import DigestError, parse_digest
from tui_reader.core.library.load import load_library
from tui_reader.core.formats.text import clean_field, strip_controls

from linear_time import assert_linear

# What a terminal would act on: any ESC or C1 control, and the bidi controls.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize(("hostile", "shown"), [
    ("\x1b[31mRed\x1b[0m", "Red"),                                   # SGR colour
    ("a\x1b[2Jb", "ab"),                                             # clear screen
    ("a\x1b[?1049hb", "ab"),                                         # private mode (alt screen)
    ("a\x1b[38;2;255;0;0mb", "ab"),                                  # true colour
    ("\x1b]0;pwned\x07Title", "Title"),                              # window title, BEL end
    ("\x1b]2;pwned\x1b\\Title", "Title"),                            # window title, ST end
    ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
    ("copy \x1b]52;c;ZXZpbA==\x07 done", "copy  done"),              # OSC 52 clipboard write
    ("\x1bP1$r0m\x1b\\after", "after"),                              # DCS
    ("\x1b_apc payload\x1b\\after", "after"),                        # APC
    ("\x1b^pm\x1b\\after", "after"),                                 # PM
    ("\x1bXsos\x1b\\after", "after"),                                # SOS
    ("\x1b(0line", "line"),                                          # charset switch
    ("\x1bc reset", " reset"),                                       # RIS full reset
    ("\x1b7saved\x1b8", "saved"),                                    # cursor save/restore
    ("c1 \x9b31mcsi", "c1 csi"),                                     # 8-bit CSI
    ("c1 \x9d0;title\x9c ok", "c1  ok"),                             # 8-bit OSC and ST
    ("c1 \x9d8;;https://evil.example\x07x", "c1 x"),                 # 8-bit OSC 8
    ("c1 \x90dcs\x9c ok", "c1  ok"),                                 # 8-bit DCS
    ("unterminated \x1b]0;title\nnext line", "unterminated \nnext line"),
    ("bidi \u202etxt.exe\u202c and \u2066iso\u2069", "bidi txt.exe and iso"),
])
def test_escape_sequences_go_whole_leaving_no_residue(hostile, shown):
    assert strip_controls(hostile) == shown
    cleaned = clean_field(hostile)
    assert not _UNSAFE.search(cleaned)
    if not re.search("[\x90\x98\x9d-\x9f]", hostile):
        assert cleaned == shown.strip()
    # In a digest field an 8-bit string introducer (0x90, 0x9D...) is far more often the
    # debris of broken UTF-8 than a command, so clean_field drops it alone: what followed
    # it stays as inert text, with nothing left that a terminal would act on.


def test_escape_sequences_go_whole_in_non_ascii_text_too():
    # Non-ASCII fields take the mojibake path, which strips C0 controls before repairing.
    assert clean_field("Gül \x1b[31mrot\x1b[0m \x1b]0;pwned\x07Ende") == "Gül rot Ende"
    assert clean_field("GÃ¼l \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\") == "Gül link"


def test_an_unterminated_string_sequence_takes_at_most_a_bounded_run_of_text():
    text = "\x1b]0;" + "x" * 10_000
    cleaned = strip_controls(text)
    assert 5_000 < len(cleaned) < 10_000
    assert not _UNSAFE.search(cleaned)


_SEQUENCE_BITS = st.sampled_from([
    "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b\\", "\x07", "\x9b", "\x9c", "\x9d", "\x90",
    "31m", "0;", "8;;", "52;c;", "?1049h", "2J", "http://e.x", ";", "[", "]", "m", "\n", "ü", "Ã",
    "\u202e",
])


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_SEQUENCE_BITS, st.text(max_size=4)), max_size=40).map("".join))
def test_strip_controls_leaves_no_control_and_only_removes(text):
    stripped = strip_controls(text)
    assert not _UNSAFE.search(stripped)
    rest = iter(text)
    assert all(char in rest for char in stripped)  # a subsequence: nothing invented
    assert strip_controls(stripped) == stripped
    cleaned = clean_field(text)
    assert not _UNSAFE.search(cleaned)
    assert clean_field(cleaned) == cleaned


def test_hostile_fixture_shows_no_escape_residue(fixtures):
    library = load_library([fixtures / "hostile"])
    terminal = library.papers["2501.10002"]
    assert " ".join(terminal.title.split()) == "Terminal Red Title and OSC 8 link"
    assert terminal.authors == ["Carol Clear", "DaveCsi"]
    for value in (terminal.title, *terminal.authors, terminal.tldr, terminal.motivation, terminal.method,
                  terminal.abstract):
        for residue in ("[31m", "[0m", "[2J", "]0;", "]8;", "]52;", "pwned", "evil.example", "ZXZpbA"):
            assert residue not in value, (residue, value)
    assert "\u202e" not in terminal.method and "txt.exe" in terminal.method


# --- Linear time for the JSONL and HTML parsers ----------------------------------------

def _parse_quietly(text: str) -> None:
    try:
        parse_digest(text, "big", None)
    except DigestError:
        pass


_RECORD = {"id": "2501.{:05d}", "title": "T", "authors": ["A B"], "categories": ["cs.LG"],
           "summary": "s", "AI": {"tldr": "t"}}


def test_jsonl_with_one_enormous_abstract_line_parses_in_linear_time():
    def make(n: int) -> str:
        record = dict(_RECORD, id="2501.00001", summary="The fox jumps \x1b[31m [ { " * n)
        return json.dumps(record) + "\n"
    assert_linear(_parse_quietly, make, 25_000)


@pytest.mark.slow
def test_jsonl_with_many_records_and_bad_lines_parses_in_linear_time():
    line = json.dumps(_RECORD)

    def make(n: int) -> str:
        return "".join(line.replace("{:05d}", f"{i % 99999:05d}") + "\n{[[[\n" for i in range(n))
    assert_linear(_parse_quietly, make, 1_500)


def test_jsonl_one_line_of_open_brackets_parses_in_linear_time():
    assert_linear(_parse_quietly, lambda n: '{"id": "2501.00001"}\n' + "[" * n + "\n", 8_000_000)


def test_html_with_one_enormous_text_run_parses_in_linear_time():
    head = ('<html><body><h3><a href="https://arxiv.org/abs/2501.00001">T</a></h3>'
            "<p><em>A, B</em></p><p><strong>Abstract:</strong> ")
    assert_linear(_parse_quietly, lambda n: head + "The fox jumps [ ( $ " * n + "</p></body></html>", 20_000)


@pytest.mark.slow
def test_html_with_thousands_of_unclosed_details_parses_in_linear_time():
    head = '<html><body><h3><a href="https://arxiv.org/abs/2501.00001">T</a></h3><p><em>A</em></p>'
    assert_linear(_parse_quietly, lambda n: head + "<details><summary>Details</summary><p>x</p>" * n, 600)


# --- State backups are data from elsewhere too ------------------------------------------

def test_an_imported_backup_cannot_put_escape_sequences_into_notes_or_tags():
    from tui_reader.core.state.backup import parse_backup

    backup = {"format": "tui-reader-state", "version": 1, "marks": [{
        "id": "2501.10001", "note": "line one\nnote \x1b]52;c;ZXZpbA==\x07 \x1b]0;pwned\x07 [bold]kept",
        "note_changed_at": "2025-01-01T00:00:00Z",
        "tags": ["\x1b[2JClear", "\u202etag", "\x9b31mred"], "tags_changed_at": "2025-01-01T00:00:00Z",
    }]}
    [record] = parse_backup(json.dumps(backup).encode())
    assert record["note"] == "line one\nnote   [bold]kept"
    assert record["tags"] == ["Clear", "tag", "red"]


@pytest.mark.parametrize("link", [
    "https://arxiv.org/abs/2501.10005#\x9b2J",              # 8-bit CSI after the id
    "https://arxiv.org/abs/2501.10005?\x1b]0;pwned\x07",    # OSC title in the query
])
def test_a_markdown_link_with_controls_becomes_the_papers_own_page(link):
    text = f"### [1] [T]({link})\n*A*\n\nTL;DR: x\n"
    [paper] = parse_digest(text, "x.md", None).papers
    assert paper.id == "2501.10005" and paper.url == "https://arxiv.org/abs/2501.10005"


@pytest.mark.parametrize("link", [
    "https://arxiv.org/abs/2501.10007\u202e\x1b[2J",     # bidi override and clear screen
    "javascript:alert(1)//[@click=app.quit]",            # not a web page
    "https://evil.example/2501.10007",                   # another site
    "https://arxiv.org/abs/2501.99999",                  # another paper's page
])
def test_a_jsonl_abs_link_must_be_the_papers_own_printable_page(link):
    record = json.dumps({"id": "2501.10007", "abs": link, "title": "t"})
    [paper] = parse_digest(record, "x.jsonl", None).papers
    assert paper.url == "https://arxiv.org/abs/2501.10007"


def test_a_jsonl_abs_link_with_a_version_is_kept():
    record = json.dumps({"id": "2501.10007", "abs": "https://arxiv.org/abs/2501.10007v3", "title": "t"})
    [paper] = parse_digest(record, "x.jsonl", None).papers
    assert (paper.url, paper.version) == ("https://arxiv.org/abs/2501.10007v3", 3)


# --- The query language over hostile papers ------------------------------------------

_HOSTILE_PAPERS: list = []


def _hostile_papers(fixtures_dir) -> list:
    if not _HOSTILE_PAPERS:
        _HOSTILE_PAPERS.extend(load_library([fixtures_dir / "hostile"]).sorted_papers())
    return _HOSTILE_PAPERS


_QUERY_BITS = st.sampled_from([
    "ti:", "au:", "abs:", "tldr:", "cat:", "id:", "date:", "tag:", "note:", "is:", "unread", "read",
    "starred", "OR", "AND", "-", "(", ")", '"', "[bold]", "[/]", "[@click=app.quit]", "\x1b[31m", "漢字",
    "😀", "e\u0301", ">=", "<", "2025-02-01", "2501.10001", "..", "*", " ", "\\", "\u202e",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_QUERY_BITS, st.text(max_size=3)), max_size=12).map("".join))
def test_any_query_over_hostile_papers_gives_papers_or_a_one_line_query_error(query):
    from tui_reader.core.search.query import QueryError, filter_papers, parse_query

    papers = _hostile_papers(Path(__file__).resolve().parents[1] / "fixtures")
    try:
        found = filter_papers(papers, query)
    except QueryError as err:
        assert "\n" not in str(err) and 0 <= err.position <= len(query)
        return
    assert all(paper in papers for paper in found)
    parsed = parse_query(query)
    assert [p for p in papers if parsed.matches(p, None)] == found


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.lists(st.one_of(_QUERY_BITS, st.text(max_size=4)), max_size=4))
def test_highlight_spans_stay_inside_any_text(text, terms):
    from tui_reader.core.search.query import highlight_spans

    previous_end = -1
    for start, end in highlight_spans(text, terms):
        assert 0 <= start < end <= len(text) and start > previous_end
        previous_end = end


# --- Command output: file names are data too --------------------------------------------

def test_dump_and_export_json_print_no_c1_or_bidi_control_from_a_file_name(tmp_path, home, capsys):
    from tui_reader.cli import main

    name = "2025-02-05 \u202etxt.exe \x9b31m.md"
    (tmp_path / name).write_text("### [1] [T](https://arxiv.org/abs/2502.40001)\n*A*\n\nTL;DR: x\n",
                                 encoding="utf-8")
    for command in (["dump", str(tmp_path)], ["export", "--format", "json", str(tmp_path)]):
        assert main(command) == 0
        printed = capsys.readouterr().out
        assert not _UNSAFE.search(printed.replace("\n", "").replace("\t", ""))
        record = json.loads(printed.splitlines()[0]) if command[0] == "dump" else json.loads(printed)[0]
        assert record["sources"] == [str(tmp_path / name)]  # the same value, escaped
