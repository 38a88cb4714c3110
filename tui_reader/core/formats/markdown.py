"""The Markdown digest: the generator's current and older templates and its forks."""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from tui_reader.core.formats.importance import read_importance, read_minutes
from tui_reader.core.model import Appearance, Digest, Paper, abs_url, find_arxiv_id
from tui_reader.core.formats.text import clean_field, join_wrapped_lines
from tui_reader.core.formats.problems import ProblemLog

# Every pattern below is anchored and bounded: no nested unbounded repeats, so a hostile
# line (megabytes long, a million '[') costs linear time.

# A paper heading: '### [N] [Title](url)' or '### [Title](url)' (2-4 hashes in forks).
_PAPER_HEAD_RE = re.compile(r"^#{2,4}[ \t]+(?:\[\d{1,9}\][ \t]*)?\[")
_ANY_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})[ \t]")
# A section heading: '# cs.CV [[Back]](#toc)', '## cs.CV ...', "## <div id='cs.CV'></div> cs.CV ...".
# Category names have arXiv's shape (cs.CV, hep-th, astro-ph.GA, cond-mat.mes-hall).
_SECTION_RE = re.compile(
    r"^#{1,2}[ \t]+(?:<div[^>]{0,80}>[ \t]*</div>[ \t]*)?"
    r"(?P<cat>[a-z][a-z\-]{0,20}(?:\.[A-Za-z][A-Za-z\-]{0,20})?)"
    r"[ \t]*(?:\[\[Back\]\]\(#[^)\s]{0,40}\))?[ \t]*$"
)
_DATE_TITLE_RE = re.compile(r"^#[ \t]+(\d{4}-\d{2}-\d{2})(?!\d)")
_TOC_ENTRY_RE = re.compile(
    r"^[-*][ \t]+\[(?P<cat>[^\]]{1,40})\]\(#[^)]{0,40}\)[ \t]*\[Total:[ \t]*(?P<n>\d{1,9})\]"
)
# A labelled line, with optional blockquote marks, list bullet and bold/italic markers:
# 'TL;DR: x', '**TL;DR:** x', '> **TL;DR**: x', '- *Method:* x'.
_LABEL_RE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?:>[ \t]?){0,3}(?:[-*+][ \t]+)?(?P<mark>\*\*|__|\*|_)?"
    r"(?P<label>TL;?[ \t]?DR|Task|Motivation|Method|Results?|Conclusions?|Abstract"
    r"|Main[ \t]category|Categories|Category|Catalog|Authors?)"
    r"[ \t]*(?::[ \t]*(?P=mark)?|(?P=mark)[ \t]*:)[ \t]?(?P<rest>.*)$",
    re.IGNORECASE,
)
# A bold label the model has no field for ('**Keywords:**', '> **ai_Abstract:**', '> **摘要翻译:**'):
# a field of its own under that name, never glued onto the TL;DR or the abstract.
_OTHER_LABEL_RE = re.compile(
    r"^[ \t]{0,3}(?:>[ \t]?){0,3}(?:\*\*|__)(?P<label>[^*:：\n]{1,40})"
    r"(?:[:：][ \t]*(?:\*\*|__)|(?:\*\*|__)[ \t]*[:：])[ \t]?(?P<rest>.*)$"
)
# A plain label on its own line ('Ranking Relevance: 8/10', 'Innovation Snapshot: ...',
# 'Domain: ...'): a capital or CJK first letter, at most 40 characters, text after it.
_PLAIN_LABEL_RE = re.compile(
    r"^(?:>[ \t]?){0,3}(?P<label>[A-Z\u3400-\u9fff][A-Za-z0-9 _&/()'\-\u3400-\u9fff]{0,39}?)"
    r"[ \t]*[:：][ \t]*(?P<rest>[^\s/].*)$"
)
_MAX_LABEL_WORDS = 5
_IMPORTANCE_LABELS = frozenset(("importance", "importance score", "重要性", "重要程度"))
_MINUTES_LABELS = frozenset(("reading time", "read time", "read time minutes", "阅读时间"))
_SUMMARY_LABELS = frozenset((
    "innovation snapshot", "snapshot", "summary", "one-line summary", "one sentence summary",
    "key idea", "gist", "一句话总结", "总结",
))
"""Labels whose one line is the paper's summary when it has no TL;DR (shown and searched as it)."""
OWN_FIELD = "+"
"""Prefix of a builder field that goes to Paper.extra under the label as written."""
_QUOTE_RE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?){1,8}")
_STRUCTURE_RE = re.compile(
    r"^[ \t]{0,8}(?:>[ \t]?){0,3}(?:</?details\b[^>]{0,200}>|<summary\b.{0,400}|</summary>|<div\b.{0,400}"
    r"|</div>|-{3,}|\*{3,}|_{3,})[ \t]*$",
    re.IGNORECASE,
)
_DETAILS_OPEN_RE = re.compile(r"<details\b", re.IGNORECASE)
_DETAILS_CLOSE_RE = re.compile(r"</details>", re.IGNORECASE)
_INLINE_CATEGORY_RE = re.compile(
    r"(?:Main[ \t]category|Categories|Category)[ \t]*:[ \t]*(?P<cats>[^*|]{1,200})", re.IGNORECASE
)


@lru_cache(maxsize=256)
def _label_field(label: str) -> str:
    key = " ".join(label.lower().split())
    if key.startswith("tl"):
        return "tldr"
    if key in ("main category", "category", "categories", "catalog"):
        return "category"
    if key.startswith("author"):
        return "authors"
    return key.rstrip("s") if key in ("results", "conclusions") else key


def split_paper_heading(line: str) -> tuple[str, str] | None:
    """Return (title, url) from a paper heading line, or None if it is not one.

    Titles may hold brackets and parentheses, so the link is taken from the end."""
    m = _PAPER_HEAD_RE.match(line)
    if not m:
        return None
    # Searched in place rather than on a stripped copy: a hostile line can be megabytes.
    close = line.rfind(")")
    if close < 0 or (close + 1 < len(line) and not line[close + 1 :].isspace()):
        return None
    cut = line.rfind("](", m.end(), close)
    if cut < 0:
        return None
    url = line[cut + 2 : close].strip()
    if " " in url:  # '[x](url "title")' forms: keep the address only
        url = url.split()[0]
    return line[m.end() : cut], url


def split_authors(names: str) -> list[str]:
    """Authors joined with ',' or ', ' (emphasis marks around a name dropped)."""
    return real_names(a.strip(" \t*_") for a in names.split(","))


def real_names(names: Iterable[str]) -> list[str]:
    """The names that hold a letter or digit: arXiv lists a collaboration as
    `NVIDIA, :, Aaron Blakeman`, whose `:` is punctuation, not an author."""
    return [n for n in names if any(c.isalnum() for c in n)]


def split_categories(text: str) -> list[str]:
    """'cs.CV, cs.AI' or 'cs.CV; cs.AI' or 'cs.CV' into a list."""
    return [c.strip("*_` ") for c in re.split(r"[,;]", text) if c.strip("*_` ")]


def _authors_line(line: str) -> tuple[list[str], list[str]] | None:
    """'*A,B*' or '*A, B* | **Main category: cs.CV**' into (authors, categories)."""
    s = line.strip()
    if len(s) < 3 or not s.startswith("*") or s.startswith("**"):
        return None
    end = s.find("*", 1)
    if end > 1 and s[end + 1 :].lstrip().startswith("|"):
        names, extra = s[1:end], s[end + 1 :]
    elif s.endswith("*") and not s.endswith("**"):
        names, extra = s[1:-1], ""
    else:
        return None
    if not names.strip():
        return None
    m = _INLINE_CATEGORY_RE.search(extra)
    return split_authors(names), split_categories(m.group("cats")) if m else []


def join_field_lines(lines: list[str]) -> str:
    """A field's lines as text: most fields are one line, which needs no paragraph logic."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    if end == 1:
        return lines[0].strip()
    return join_wrapped_lines(lines[:end])


class _PaperBuilder:
    """Collects the lines of one paper until the next heading."""

    __slots__ = ("title", "url", "line", "authors", "categories", "fields", "current", "current_name",
                 "importance", "minutes")

    def __init__(self, title: str, url: str, line: int) -> None:
        self.title = title
        self.url = url
        self.line = line
        self.authors: list[str] = []
        self.categories: list[str] = []
        self.fields: dict[str, list[str]] = {}
        self.current: list[str] | None = None
        self.current_name = ""
        self.importance: int | float | str | None = None
        self.minutes: int | float | None = None

    def start_own_field(self, label: str, first: str) -> None:
        """A label the template has no field for: importance, reading time, a summary under
        another name, or a field of its own under the label as written."""
        label = " ".join(label.strip(" \t*_").split())
        key = label.casefold()
        if key in _IMPORTANCE_LABELS and read_importance(first.strip(" *_")) is not None:
            self.importance = read_importance(first.strip(" *_"))
            self.end_field()
        elif key in _MINUTES_LABELS and read_minutes(first.strip(" *_")) is not None:
            self.minutes = read_minutes(first.strip(" *_"))
            self.end_field()
        elif key in _SUMMARY_LABELS and "tldr" not in self.fields:
            self.start_field("tldr", first)
        else:
            self.start_field(OWN_FIELD + label, first)

    def start_field(self, name: str, first: str) -> None:
        self.current = self.fields.setdefault(name, [])
        self.current_name = name
        if self.current:  # a repeated label continues as a new paragraph
            self.current.append("")
        self.current.append(first)

    def end_field(self) -> None:
        self.current = None
        self.current_name = ""

    def is_continuation(self, line: str, name: str) -> bool:
        """A label-looking line inside an open field that belongs to the field's text:
        an indented line (the generator indents continuation lines), or a structured
        abstract's 'Results:' once the paper has its own result."""
        if self.current is None:
            return False
        if line[:1] in (" ", "\t"):
            return True
        return self.current_name == "abstract" and name in self.fields


def parse_markdown_digest(text: str, source: str, date: str | None) -> Digest:
    """Parse a Markdown digest into papers; problems become warnings, never exceptions."""
    text = text.lstrip("\ufeff")
    if "\r" in text:  # CRLF or old Mac line ends; the test is cheap, the copies are not
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = Digest(source=source, date=date, format="markdown")
    parse_markdown_lines(text.split("\n"), digest)
    return digest


def parse_markdown_lines(lines: Iterable[str], digest: Digest) -> None:
    """Parse digest lines into `digest` (papers, date, totals, warnings).

    Shared by the HTML reader, which turns a rendered page back into these lines."""
    problems = ProblemLog(digest)
    section = ""
    builder: _PaperBuilder | None = None
    seen_title = False
    open_details = 0
    lineno = 0

    def finish() -> None:
        if builder is not None:
            paper = _build_paper(builder, section, digest, problems)
            if paper is not None:
                digest.papers.append(paper)

    for lineno, line in enumerate(lines, start=1):
        if line.startswith("#"):
            head = split_paper_heading(line)
            if head is not None:
                finish()
                builder = _PaperBuilder(head[0], head[1], lineno)
                open_details = 0
                continue
            m = _SECTION_RE.match(line)
            if m:
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
            m = _ANY_HEADING_RE.match(line)
            if m:
                if _PAPER_HEAD_RE.match(line):
                    problems.add(
                        f"{digest.source}:{lineno}: a paper heading without a complete link, skipped"
                    )
                if len(m.group("hashes")) <= 2 or _PAPER_HEAD_RE.match(line):
                    finish()
                    builder = None
                elif builder is not None:
                    builder.end_field()
                continue
        if builder is None:
            m = _TOC_ENTRY_RE.match(line)
            if m:
                digest.declared_totals[m.group("cat")] = int(m.group("n"))
            continue
        if not line or line.isspace():
            if builder.current is not None and builder.current[-1] != "":
                builder.current.append("")
            continue
        if _STRUCTURE_RE.match(line):
            if _DETAILS_OPEN_RE.search(line):
                open_details += 1
            elif _DETAILS_CLOSE_RE.search(line):
                open_details = max(0, open_details - 1)
            builder.end_field()
            continue
        m = _LABEL_RE.match(line)
        name = _label_field(m.group("label")) if m else ""
        if m and not builder.is_continuation(line, name):
            rest = m.group("rest").rstrip()
            if name == "category":
                first, *others = rest.split("|") if "|" in rest else (rest,)
                builder.categories = split_categories(first)
                for part in others:
                    _metadata_part(builder, part, f"{digest.source}:{lineno}", problems)
                builder.end_field()
            elif name == "authors":
                builder.authors = split_authors(rest.strip("*_ "))
                builder.end_field()
            else:
                builder.start_field(name, rest)
            continue
        if builder.current is None and not builder.authors and not builder.fields:
            found = _authors_line(line)
            if found is not None and not line.lstrip().startswith(">"):
                builder.authors, categories = found
                builder.categories = builder.categories or categories
                continue
        m = _OTHER_LABEL_RE.match(line)
        if m is None and builder.current_name != "abstract" and line[:1] not in (" ", "\t"):
            m = _PLAIN_LABEL_RE.match(line)
            if m and len(m.group("label").split()) > _MAX_LABEL_WORDS:
                m = None
        if m and not builder.is_continuation(line, ""):
            builder.start_own_field(m.group("label"), m.group("rest").rstrip())
            continue
        if builder.current is not None:
            if line.lstrip().startswith(">"):
                line = _QUOTE_RE.sub("", line)
            builder.current.append(line)
    # A last paper inside an open <details>, or without the abstract every other paper has,
    # is where a file was cut off.
    cut_short = builder is not None and (
        open_details or ("abstract" not in builder.fields and any(p.abstract for p in digest.papers))
    )
    if cut_short:
        problems.add(f"{digest.source}:{lineno}: the file ends inside a paper (truncated?); kept what it has")
    finish()
    problems.close()


def _metadata_part(builder: _PaperBuilder, part: str, where: str, problems: ProblemLog) -> None:
    """One `| Label: value` part of a metadata line: a field of its own; a part without a
    label is kept under 'Metadata' with one warning naming the file and line."""
    label, colon, value = part.partition(":")
    if not colon:
        label, colon, value = part.partition("：")
    label = label.strip(" \t*_")
    if colon and label and len(label) <= 40:
        builder.start_own_field(label, value.strip(" \t*_"))
    elif part.strip(" \t*_"):
        problems.add(f"{where}: a metadata part without a label ({part.strip()[:60]!r}), kept as Metadata")
        builder.start_own_field("Metadata", part.strip(" \t*_"))
    builder.end_field()


def _build_paper(b: _PaperBuilder, section: str, digest: Digest, problems: ProblemLog) -> Paper | None:
    ident = find_arxiv_id(b.url)
    if ident is None:
        problems.add(f"{digest.source}:{b.line}: skipped a paper whose link is not an arXiv address")
        return None
    paper_id, version = ident
    fields = {name: clean_field(join_field_lines(lines)) for name, lines in b.fields.items()}
    extra: dict[str, str | list[str]] = {
        name[len(OWN_FIELD):]: text for name, text in fields.items() if name.startswith(OWN_FIELD) and text}
    task = fields.get("task", "")
    if task:  # the first template's 'Task:' has no field of its own; keep it with the motivation
        motivation = fields.get("motivation", "")
        fields["motivation"] = f"Task: {task}\n\n{motivation}" if motivation else f"Task: {task}"
    categories = [c for c in (clean_field(c) for c in b.categories) if c]
    category = categories[0] if categories else section
    if category and category not in categories:
        categories.insert(0, category)
    if section and section not in categories:
        categories.append(section)
    return Paper(
        id=paper_id,
        version=version,
        title=clean_field(" ".join(b.title.split())),
        authors=[a for a in (clean_field(a) for a in b.authors) if a],
        category=category,
        categories=categories,
        url=abs_url(paper_id, version),  # built from the id: never a digest's host or tail
        tldr=fields.get("tldr", ""),
        motivation=fields.get("motivation", ""),
        method=fields.get("method", ""),
        result=fields.get("result", ""),
        conclusion=fields.get("conclusion", ""),
        abstract=fields.get("abstract", ""),
        importance=b.importance,
        read_minutes=b.minutes,
        extra=extra,
        appearances=[Appearance(source=digest.source, date=digest.date, category=section or category)],
    )
