"""Selected papers as BibTeX, Markdown, JSON, CSV, Atom or RIS, with the person's marks and notes."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from tui_reader.core.model import Paper, abs_url, arxiv_year
from tui_reader.core.export.feeds import atom_chunks, ris_chunks
from tui_reader.core.state.store import Mark
from tui_reader.core.formats.text import one_line, render_latex, strip_controls

FORMATS = ("bibtex", "markdown", "json", "csv", "atom", "ris")
"""The formats export_papers writes (the command line's --format choices)."""

CSV_COLUMNS = (
    "id", "version", "title", "authors", "category", "categories", "url", "date", "tldr",
    "comment", "code_url", "code_stars", "keywords", "importance", "read_minutes", "extra",
    "read", "read_at", "starred", "starred_at", "note", "tags",
)

_STOPWORDS = frozenset(
    "a an the on of for in to and with via from by at is are as towards toward into "
    "do does can what when why how we our its it your".split()
)


def select_papers(papers: Iterable[Paper], marks: dict[str, Mark], which: str | None,
                  queue: Sequence[str] | None = None) -> list[Paper]:
    """The papers to export: all, or the starred (in `queue` order when given, else the
    longest-starred first), unread or read ones."""
    return list(iter_selected_papers(papers, marks, which, queue))


def iter_selected_papers(papers: Iterable[Paper], marks: dict[str, Mark], which: str | None,
                         queue: Sequence[str] | None = None) -> Iterator[Paper]:
    """select_papers one paper at a time: only the starred ones (which are sorted) are held."""
    empty = Mark("")
    if which == "starred":
        starred = [p for p in papers if marks.get(p.id, empty).starred]
        if queue is not None:
            place = {paper_id: n for n, paper_id in enumerate(queue)}
            yield from sorted(starred, key=lambda p: (place.get(p.id, len(place)), marks[p.id].starred_at, p.id))
            return
        yield from sorted(starred, key=lambda p: (marks[p.id].starred_at, p.id))
    elif which == "read":
        yield from (p for p in papers if marks.get(p.id, empty).read)
    elif which == "unread":
        yield from (p for p in papers if not marks.get(p.id, empty).read)
    else:
        yield from papers


def export_papers(papers: list[Paper], marks: dict[str, Mark], fmt: str) -> str:
    """The papers as text in one of FORMATS."""
    return "".join(export_chunks(papers, marks, fmt))


def export_chunks(papers: Iterable[Paper], marks: dict[str, Mark], fmt: str, *,
                  spool_dir: str | Path | None = None) -> Iterator[str]:
    """export_papers' text in pieces, a paper at a time, for papers that are not all held
    (the Markdown heading counts them first: its entries wait in a temporary file in
    spool_dir, or the system's, unless papers is a list)."""
    if fmt == "markdown":
        return markdown_chunks(papers, marks, spool_dir=spool_dir)
    writers: dict[str, Callable[[Iterable[Paper], dict[str, Mark]], Iterator[str]]] = {
        "bibtex": bibtex_chunks, "json": json_chunks, "csv": csv_chunks,
        "atom": atom_chunks, "ris": ris_chunks,
    }
    return writers[fmt](papers, marks)


def _clean(text: str) -> str:
    """Display text: LaTeX rendered, controls removed."""
    return strip_controls(render_latex(text))


def _text_line(text: str) -> str:
    """A field on one line: LaTeX rendered, then core.formats.text.one_line."""
    return one_line(render_latex(text))


# ------------------------------------------------------------------------ BibTeX

_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIALS_RE = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIALS))


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX value: every brace balanced, specials escaped."""
    return _BIBTEX_SPECIALS_RE.sub(lambda m: _BIBTEX_SPECIALS[m.group(0)], text)


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def paper_year(paper: Paper) -> str:
    """The year of a paper: from its arXiv id, else its digest date."""
    return arxiv_year(paper.id) or (paper.date or "")[:4]


def citation_key(paper: Paper) -> str:
    """firstauthorYYYYword: the first author's surname, the year, the first telling title word."""
    surname = ""
    if paper.authors:
        parts = _text_line(paper.authors[0]).replace(",", " ").split()
        surname = _ascii_word(parts[-1]) if parts else ""
    word = ""
    for candidate in _text_line(paper.title).split():
        folded = _ascii_word(candidate)
        if folded and folded not in _STOPWORDS and not folded.isdigit():
            word = folded
            break
    key = f"{surname or 'anon'}{paper_year(paper)}{word}"
    return key or _ascii_word(paper.id) or "paper"


_WORD_RE = re.compile(r"(?<![\\\w])[^\W_]+")
"""A run of letters and digits that is not an escape's name (\\textbackslash)."""


def _keeps_capitals(word: str) -> bool:
    """VL4Gaze, LLaMA, GPT, T5, 3D: BibTeX styles lower-case a title's words after the first
    letter, so a word with a capital after its start (or with a digit) is braced."""
    return any(c.isupper() for c in word[1:]) or (any(c.isupper() for c in word) and any(c.isdigit() for c in word))


def bibtex_title(title: str) -> str:
    """A title as a BibTeX value: specials escaped, acronyms and CamelCase braced."""
    return _WORD_RE.sub(lambda m: "{" + m.group(0) + "}" if _keeps_capitals(m.group(0)) else m.group(0),
                        bibtex_escape(_text_line(title)))


def _bibtex_author(name: str) -> str:
    name = bibtex_escape(_text_line(name))
    # A comma would make BibTeX read "Last, First"; a lone "and" would split the name.
    if "," in name or re.search(r"(?i)\band\b", name):
        return "{" + name + "}"
    return name


def bibtex(papers: list[Paper], marks: dict[str, Mark]) -> str:
    """@misc entries with eprint/archivePrefix/primaryClass; keys unique within the file."""
    return "".join(bibtex_chunks(papers, marks))


def bibtex_chunks(papers: Iterable[Paper], marks: dict[str, Mark]) -> Iterator[str]:
    """bibtex's text an entry at a time (entries are separated by a blank line)."""
    used: set[str] = set()
    for number, paper in enumerate(papers):
        base = key = citation_key(paper)
        count = 0
        while key in used:
            count += 1
            key = f"{base}{_suffix(count)}"
        used.add(key)
        mark = marks.get(paper.id, Mark(paper.id))
        fields = [
            ("title", bibtex_title(paper.title)),
            ("author", " and ".join(_bibtex_author(a) for a in paper.authors if a.strip())),
            ("year", paper_year(paper)),
            ("eprint", paper.id),
            ("archivePrefix", "arXiv"),
            ("primaryClass", bibtex_escape(_text_line(paper.category))),
            ("url", bibtex_escape(abs_url(paper.id))),
            ("note", bibtex_escape(_text_line(paper.comment))),
            ("abstract", bibtex_escape(_text_line(paper.abstract))),
            ("keywords", bibtex_escape(", ".join(mark.tags))),
            ("annote", bibtex_escape(_text_line(mark.note))),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
        gap = "\n" if number else ""
        yield f"{gap}@misc{{{key},\n{body}\n}}\n"


def _suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ... for the second, third, ... paper sharing a key."""
    letters = ""
    n -= 1
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n = n // 26 - 1
        if n < 0:
            return letters


# ------------------------------------------------------------------------ Markdown

_MARKDOWN_SPECIALS_RE = re.compile(r"([\\`*_\[\]<>#|!])")


def markdown_escape(text: str) -> str:
    """Text that Markdown shows literally (no links, emphasis or HTML from the digest)."""
    return _MARKDOWN_SPECIALS_RE.sub(r"\\\1", text)


def markdown(papers: list[Paper], marks: dict[str, Mark]) -> str:
    """A reading list: numbered linked titles, authors, state, comment, code link, TL;DR,
    note and tags."""
    return "".join(markdown_chunks(papers, marks))


def markdown_chunks(papers: Iterable[Paper], marks: dict[str, Mark], *,
                    spool_dir: str | Path | None = None) -> Iterator[str]:
    """markdown's text in pieces. The heading says how many papers follow, so unless
    papers is a list the entries are written to a temporary file first, then copied."""
    if isinstance(papers, list):
        yield _markdown_heading(len(papers))
        for number, paper in enumerate(papers, 1):
            yield _markdown_entry(number, paper, marks)
        return
    import tempfile

    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="", dir=spool_dir,
                                prefix="tui-reader-export-") as spool:
        count = 0
        for count, paper in enumerate(papers, 1):
            spool.write(_markdown_entry(count, paper, marks))
        yield _markdown_heading(count)
        spool.seek(0)
        while chunk := spool.read(1 << 20):
            yield chunk


def _markdown_heading(count: int) -> str:
    return f"# Reading list ({count} paper{'s' if count != 1 else ''})\n"


def _markdown_entry(number: int, paper: Paper, marks: dict[str, Mark]) -> str:
    """One numbered entry, each line (and the blank line that ends it) after a newline."""
    mark = marks.get(paper.id, Mark(paper.id))
    title = markdown_escape(_text_line(paper.title)) or paper.id
    lines = [f"{number}. **[{title}]({abs_url(paper.id)})**  "]
    facts = [", ".join(_text_line(a) for a in paper.authors),
             _text_line(paper.category), paper.date or "", f"arXiv:{paper.id}",
             "starred" if mark.starred else "", "read" if mark.read else ""]
    lines.append("   " + " · ".join(markdown_escape(f) for f in facts if f))
    if paper.comment:
        lines += ["", f"   **Comment:** {markdown_escape(_text_line(paper.comment))}"]
    if paper.code_url:
        stars = f" ({paper.code_stars:,} stars)" if paper.code_stars is not None else ""
        lines += ["", f"   **Code:** <{paper.code_url}>{stars}"]
    if paper.tldr:
        lines += ["", f"   **TL;DR:** {markdown_escape(_text_line(paper.tldr))}"]
    if mark.note:
        lines += ["", f"   **Note:** {markdown_escape(_text_line(mark.note))}"]
    if mark.tags:
        lines += ["", f"   **Tags:** {markdown_escape(', '.join(mark.tags))}"]
    lines.append("")
    return "".join("\n" + line for line in lines)


# ------------------------------------------------------------------------ JSON and CSV

def paper_with_marks(paper: Paper, mark: Mark) -> dict:
    """One exported paper: its metadata (text rendered) and the person's marks."""
    from tui_reader.core.model import paper_record

    record = paper_record(paper, _clean)
    record.update({
        "read": mark.read, "read_at": mark.read_at,
        "starred": mark.starred, "starred_at": mark.starred_at,
        "note": mark.note, "tags": list(mark.tags),
    })
    return record


def json_list(papers: list[Paper], marks: dict[str, Mark]) -> str:
    """A JSON array of paper objects."""
    return "".join(json_chunks(papers, marks))


def json_chunks(papers: Iterable[Paper], marks: dict[str, Mark]) -> Iterator[str]:
    """json_list's text a paper at a time: the array json.dumps(indent=1) writes, each
    element cut from a one-element array so that it is indented exactly alike."""
    separator = "[\n"
    for paper in papers:
        element = json.dumps([paper_with_marks(paper, marks.get(paper.id, Mark(paper.id)))],
                             ensure_ascii=False, indent=1)[2:-2]
        yield separator + terminal_safe_json(element)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


_TERMINAL_ACTIVE_RE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe_json(text: str) -> str:
    """JSON text with C1 and bidi controls written as \\u escapes: the same JSON value, but
    nothing a terminal acts on when it is printed (json itself escapes C0 controls). File
    names in "sources" can hold them."""
    if text.isascii() and "\x7f" not in text:  # most lines: two C-speed scans instead of a regex one
        return text
    return _TERMINAL_ACTIVE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet opening a CSV file runs a cell that starts with one of these as a formula."""


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that would start a formula (a digest's
    title "=HYPERLINK(...)") gets a leading apostrophe, the spreadsheets' text marker."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def csv_table(papers: list[Paper], marks: dict[str, Mark]) -> str:
    """A CSV table with a header row; lists are joined with '; '; no cell starts a formula."""
    return "".join(csv_chunks(papers, marks))


def csv_chunks(papers: Iterable[Paper], marks: dict[str, Mark]) -> Iterator[str]:
    """csv_table's text a row at a time (the header row first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for paper in papers:
        record = paper_with_marks(paper, marks.get(paper.id, Mark(paper.id)))
        row = []
        for column in CSV_COLUMNS:
            value = record[column]
            if isinstance(value, dict):  # a fork's own fields: `Label: text` each, in file order
                value = " | ".join(f"{key}: {'; '.join(v) if isinstance(v, list) else v}"
                                   for key, v in value.items())
            if isinstance(value, list):
                value = "; ".join(value)
            elif isinstance(value, bool):
                value = "yes" if value else ""
            row.append("" if value is None else spreadsheet_safe(value) if isinstance(value, str) else value)
        writer.writerow(row)
        yield out.getvalue()
        out.seek(0)
        out.truncate()
    yield out.getvalue()
