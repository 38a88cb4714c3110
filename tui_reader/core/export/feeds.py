"""Selected papers as an Atom 1.0 feed (for feed readers) or RIS records (for reference managers)."""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape, quoteattr

from tui_reader.core.model import Paper, abs_url, arxiv_year, pdf_url
from tui_reader.core.state.store import Mark
from tui_reader.core.formats.text import one_line, render_latex, strip_controls

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
FEED_TITLE = "tui-reader: selected arXiv papers"
_NOT_XML_RE = re.compile("[\ufffe\uffff]")
"""Characters XML 1.0 forbids that strip_controls leaves (it removes the C0/C1 controls)."""


def _text(text: str) -> str:
    """One line of display text, LaTeX rendered, safe inside XML or a RIS line."""
    return _NOT_XML_RE.sub("", one_line(render_latex(text)))


def _day_stamp(day: str | None) -> str:
    """An RFC 3339 time for a digest day (midnight UTC); the Unix epoch for an undated paper."""
    return f"{day}T00:00:00Z" if day else "1970-01-01T00:00:00Z"


def _summary(paper: Paper) -> str:
    """The TL;DR, else the AI's task line, else the abstract."""
    return next((_text(t) for t in (paper.tldr, paper.task, paper.abstract) if _text(t)), "")


# ------------------------------------------------------------------------------ Atom

def atom_chunks(papers: Iterable[Paper], marks: dict[str, Mark], *, title: str = FEED_TITLE) -> Iterator[str]:
    """A valid Atom 1.0 feed: an entry a paper, in the order given. The feed's `updated` is
    its newest paper's day (so the same selection gives the same feed byte for byte), its
    id is derived from its title; an entry's id is the paper's unversioned arXiv page."""
    chosen = list(papers)
    newest = max((p.dates[-1] for p in chosen if p.dates), default=None)
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"tui-reader:{title}").urn
    yield '<?xml version="1.0" encoding="utf-8"?>\n'
    yield f'<feed xmlns="{ATOM_NAMESPACE}">\n'
    yield f"  <title>{escape(_text(title))}</title>\n"
    yield f"  <id>{feed_id}</id>\n"
    yield f"  <updated>{_day_stamp(newest)}</updated>\n"
    yield '  <generator uri="https://pypi.org/project/tui-reader/">tui-reader</generator>\n'
    # A feed whose entries may lack authors needs an author of its own (RFC 4287, 4.1.1).
    yield "  <author><name>tui-reader</name></author>\n"
    for paper in chosen:
        yield _atom_entry(paper, marks.get(paper.id))
    yield "</feed>\n"


def _atom_entry(paper: Paper, mark: Mark | None) -> str:
    days = paper.dates
    lines = [
        "  <entry>",
        f"    <id>{escape(abs_url(paper.id))}</id>",
        f"    <title>{escape(_text(paper.title) or paper.id)}</title>",
        f'    <link rel="alternate" type="text/html" href={quoteattr(abs_url(paper.id, paper.version))}/>',
        f'    <link rel="related" type="application/pdf" href={quoteattr(pdf_url(paper.id, paper.version))}/>',
        f"    <published>{_day_stamp(days[0] if days else None)}</published>",
        f"    <updated>{_day_stamp(days[-1] if days else None)}</updated>",
    ]
    lines += [f"    <author><name>{escape(name)}</name></author>"
              for name in (_text(a) for a in paper.authors) if name]
    lines += [f"    <category term={quoteattr(term)}/>"
              for term in dict.fromkeys(_text(c) for c in (paper.categories or [paper.category])) if term]
    summary = _summary(paper)
    if summary:
        lines.append(f"    <summary>{escape(summary)}</summary>")
    if mark is not None and mark.note:
        lines.append(f'    <content type="text">{escape(_NOT_XML_RE.sub("", strip_controls(mark.note)))}</content>')
    lines.append("  </entry>\n")
    return "\n".join(lines)


# ------------------------------------------------------------------------------- RIS

def ris_chunks(papers: Iterable[Paper], marks: dict[str, Mark]) -> Iterator[str]:
    """RIS records, one a paper: an unpublished work (TY UNPB, as arXiv preprints are
    imported) with title, each author, year and date of first listing, abstract, the abstract
    page (UR) and the PDF (L1), the arXiv comment and TL;DR and the person's note (N1),
    categories, keywords and the person's tags (KW), and the arXiv id (AN)."""
    for paper in papers:
        yield _ris_record(paper, marks.get(paper.id))


def _ris_record(paper: Paper, mark: Mark | None) -> str:
    fields: list[tuple[str, str]] = [("TY", "UNPB"), ("TI", _text(paper.title) or paper.id)]
    fields += [("AU", name) for name in (_text(a) for a in paper.authors) if name]
    day = paper.date
    year = arxiv_year(paper.id) or (day or "")[:4]
    if year:
        fields.append(("PY", year))
    if day:
        fields.append(("DA", day.replace("-", "/")))
    if _text(paper.abstract):
        fields.append(("AB", _text(paper.abstract)))
    fields += [("UR", abs_url(paper.id, paper.version)), ("L1", pdf_url(paper.id, paper.version))]
    fields += [("AN", f"arXiv:{paper.id}"), ("DB", "arXiv")]
    doi = paper.extra.get("doi")
    if isinstance(doi, str) and _text(doi):
        fields.append(("DO", _text(doi)))
    notes = [("Comment", paper.comment), ("TL;DR", paper.tldr),
             ("Note", mark.note if mark is not None else "")]
    fields += [("N1", f"{label}: {_text(value)}") for label, value in notes if _text(value)]
    keywords = [*(paper.categories or [paper.category]), *paper.keywords, *(mark.tags if mark else ())]
    fields += [("KW", word) for word in dict.fromkeys(_text(k) for k in keywords) if word]
    return "".join(f"{tag}  - {value}\n" for tag, value in fields) + "ER  - \n\n"

