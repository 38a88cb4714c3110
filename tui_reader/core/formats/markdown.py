"""The Markdown digest: the generator's current and older templates and its forks."""
from __future__ import annotations

import re

from ..model import Appearance, Digest, Paper, find_arxiv_id
from ..text import clean_field, join_wrapped_lines

# A paper heading: '### [N] [Title](url)' or '### [Title](url)' (2-4 hashes in forks).
_PAPER_HEAD_RE = re.compile(r"^#{2,4}[ \t]+(?:\[\d+\][ \t]*)?\[")
# A section heading: '# cs.CV [[Back]](#toc)', '## cs.CV ...', "## <div id='cs.CV'></div> cs.CV ...".
_SECTION_RE = re.compile(
    r"^#{1,2}[ \t]+(?:<div[^>]{0,80}>[ \t]*</div>[ \t]*)?"
    r"(?P<cat>[A-Za-z][A-Za-z\-]{0,20}(?:\.[A-Za-z][A-Za-z\-]{0,20})?)"
    r"[ \t]*(?:\[\[Back\]\]\(#toc\))?[ \t]*$"
)
_DATE_TITLE_RE = re.compile(r"^#[ \t]+(\d{4}-\d{2}-\d{2})\b")
_TOC_ENTRY_RE = re.compile(r"^[-*][ \t]+\[(?P<cat>[^\]]{1,40})\]\(#[^)]{0,40}\)[ \t]*\[Total:[ \t]*(?P<n>\d{1,9})\]")
# A labelled line, with optional blockquote marks, list bullet and bold/italic markers:
# 'TL;DR: x', '**TL;DR:** x', '> **TL;DR**: x', '- *Method:* x'.
_LABEL_RE = re.compile(
    r"^[ \t]{0,3}(?:>[ \t]?){0,3}(?:[-*+][ \t]+)?(?P<mark>\*\*|__|\*|_)?"
    r"(?P<label>TL;?[ \t]?DR|Task|Motivation|Method|Results?|Conclusions?|Abstract|Main category|Authors?)"
    r"[ \t]*(?::[ \t]*(?P=mark)?|(?P=mark)[ \t]*:)[ \t]?(?P<rest>.*)$",
    re.IGNORECASE,
)
_AUTHORS_RE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)?\*(?!\*)(?P<names>.*[^*\s].*?)\*[ \t]*$")
_STRUCTURE_RE = re.compile(
    r"^[ \t]*(?:>[ \t]?)*[ \t]*(?:</?details\b[^>]*>|<summary\b.*|</summary>|<div\b.*|</div>|-{3,}|\*{3,}|_{3,})[ \t]*$",
    re.IGNORECASE,
)
_FIELD_OF_LABEL = {
    "tldr": "tldr", "tl;dr": "tldr", "tl dr": "tldr", "tl;dr ": "tldr",
    "motivation": "motivation", "method": "method", "result": "result", "results": "result",
    "conclusion": "conclusion", "conclusions": "conclusion", "abstract": "abstract",
    "task": "task", "main category": "category", "author": "authors", "authors": "authors",
}


def _label_field(label: str) -> str:
    key = re.sub(r"[ \t]+", " ", label.lower())
    if key.startswith("tl"):
        return "tldr"
    return _FIELD_OF_LABEL.get(key, key)


def split_paper_heading(line: str) -> tuple[str, str] | None:
    """Return (title, url) from a paper heading line, or None if it is not one.

    Titles may hold brackets and parentheses, so the link is taken from the end."""
    m = _PAPER_HEAD_RE.match(line)
    if not m:
        return None
    rest = line[m.end():].rstrip()
    if not rest.endswith(")"):
        return None
    cut = rest.rfind("](")
    if cut < 0:
        return None
    url = rest[cut + 2 : -1].strip()
    if " " in url:  # '[x](url "title")' forms: keep the address only
        url = url.split()[0]
    return rest[:cut], url


def split_authors(names: str) -> list[str]:
    """Authors joined with ',' or ', ' (and sometimes ' and ')."""
    return [a.strip() for a in names.split(",") if a.strip()]


class _PaperBuilder:
    """Collects the lines of one paper until the next heading."""

    __slots__ = ("title", "url", "line", "authors", "category", "fields", "current")

    def __init__(self, title: str, url: str, line: int) -> None:
        self.title = title
        self.url = url
        self.line = line
        self.authors: list[str] = []
        self.category = ""
        self.fields: dict[str, list[str]] = {}
        self.current: list[str] | None = None

    def start_field(self, name: str, first: str) -> None:
        self.current = self.fields.setdefault(name, [])
        if self.current:  # a repeated label continues as a new paragraph
            self.current.append("")
        self.current.append(first)


def parse_markdown_digest(text: str, source: str, date: str | None) -> Digest:
    """Parse a Markdown digest into papers; problems become warnings, never exceptions."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    digest = Digest(source=source, date=date, format="markdown")
    section = ""
    builder: _PaperBuilder | None = None
    seen_title = False

    def finish() -> None:
        if builder is not None:
            paper = _build_paper(builder, section, digest)
            if paper is not None:
                digest.papers.append(paper)

    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#"):
            head = split_paper_heading(line)
            if head is not None:
                finish()
                builder = _PaperBuilder(head[0], head[1], lineno)
                continue
            m = _SECTION_RE.match(line)
            if m and m.group("cat").lower() not in ("table", "contents"):
                finish()
                builder = None
                section = m.group("cat")
                continue
            m = _DATE_TITLE_RE.match(line)
            if m and not seen_title:
                seen_title = True
                if digest.date is None:
                    digest.date = m.group(1)
                continue
            if builder is None or builder.current is None:
                continue
        if builder is None:
            m = _TOC_ENTRY_RE.match(line)
            if m:
                digest.declared_totals[m.group("cat")] = int(m.group("n"))
            continue
        if not line.strip():
            if builder.current is not None and builder.current[-1] != "":
                builder.current.append("")
            continue
        if _STRUCTURE_RE.match(line):
            builder.current = None
            continue
        m = _LABEL_RE.match(line)
        if m:
            name = _label_field(m.group("label"))
            rest = m.group("rest").rstrip()
            if name == "category":
                builder.category = rest.strip("*_` ")
                builder.current = None
            elif name == "authors":
                builder.authors = split_authors(rest.strip("*_ "))
                builder.current = None
            else:
                builder.start_field(name, rest)
            continue
        if not builder.authors and builder.current is None and not builder.fields:
            m = _AUTHORS_RE.match(line)
            if m:
                builder.authors = split_authors(m.group("names"))
                continue
        if builder.current is not None:
            builder.current.append(line)
    finish()
    return digest


def _build_paper(b: _PaperBuilder, section: str, digest: Digest) -> Paper | None:
    ident = find_arxiv_id(b.url)
    if ident is None:
        digest.warnings.append(f"{digest.source}:{b.line}: skipped a paper whose link is not an arXiv address")
        return None
    paper_id, version = ident
    fields = {name: clean_field(join_wrapped_lines(lines)) for name, lines in b.fields.items()}
    category = clean_field(b.category) or section
    paper = Paper(
        id=paper_id,
        version=version,
        title=clean_field(" ".join(b.title.split())),
        authors=[clean_field(a) for a in b.authors if clean_field(a)],
        category=category,
        categories=[category] if category else [],
        url=b.url,
        tldr=fields.get("tldr", ""),
        motivation=fields.get("motivation", ""),
        method=fields.get("method", ""),
        result=fields.get("result", ""),
        conclusion=fields.get("conclusion", ""),
        abstract=fields.get("abstract", ""),
        appearances=[Appearance(source=digest.source, date=digest.date, category=section or category)],
    )
    if section and section not in paper.categories:
        paper.categories.append(section)
    return paper
