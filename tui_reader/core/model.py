"""The paper model: Paper, Appearance, Digest, and arXiv id normalisation."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Protocol

TEXT_FIELDS = ("tldr", "motivation", "method", "result", "conclusion", "abstract")
"""The summary and abstract fields of a paper, in the order they are shown."""

DUMP_KEYS = (
    "id", "version", "title", "authors", "category", "categories", "url", "date",
    *TEXT_FIELDS, "sources",
    "comment", "pdf", "code_url", "code_stars", "task", "keywords", "importance", "read_minutes",
    "extra",
)
"""Keys of one `tui-reader dump` line, in order."""

# ASCII only (re.ASCII, [0-9]): a full-width or Arabic-Indic digit is not an id. New-style
# ids began in April 2007 (0704); from January 2015 (1501) they have five digits, before it four.
_MONTH = r"(?:0[1-9]|1[0-2])"
_NEW_ID = (
    rf"(?:07(?:0[4-9]|1[0-2])\.[0-9]{{4}}|(?:0[89]|1[0-4]){_MONTH}\.[0-9]{{4}}"
    rf"|(?:1[5-9]|[2-9][0-9]){_MONTH}\.[0-9]{{5}})"
)
_OLD_ID = r"[a-z][a-z\-]{0,20}(?:\.[A-Z]{2})?/[0-9]{7}"
_ID = rf"(?P<id>{_NEW_ID}|{_OLD_ID})(?:v(?P<version>[0-9]{{1,4}}))?"
_ID_RE = re.compile(_ID, re.ASCII)
# The scheme and the host compare ASCII-case-insensitively (re.ASCII confines (?i) to ASCII
# letters, so no dotless i or Kelvin sign matches); only arxiv.org and its www./export.
# forms are arXiv. A query or fragment is dropped, never kept in a link.
_URL_RE = re.compile(
    rf"^(?:(?i:https?)://)?(?i:(?:www\.|export\.)?arxiv\.org)/(?:abs|pdf|html)/"
    rf"{_ID}(?:\.pdf)?/?(?:[?#].*)?$",
    re.ASCII | re.DOTALL,
)
_PREFIX_RE = re.compile(r"^arxiv:", re.IGNORECASE | re.ASCII)

ARXIV_HOSTS = frozenset({"arxiv.org", "www.arxiv.org", "export.arxiv.org"})
"""The only hosts whose links are taken as arXiv's (ASCII, compared in lower case)."""


class InvalidArxivId(ValueError):
    """Raised for a string that is neither an arXiv id nor an arXiv URL."""


def parse_arxiv_id(text: str) -> tuple[str, int | None]:
    """Return (bare id, version or None) for an id (`2512.20735v2`, `hep-th/9901001`,
    `arXiv:2512.20735`) or an arXiv URL; raise InvalidArxivId otherwise."""
    s = _PREFIX_RE.sub("", text.strip())
    m = _URL_RE.match(s) or _ID_RE.fullmatch(s)
    if not m:
        raise InvalidArxivId(f"not an arXiv id or URL: {text.strip()[:80]!r}")
    version = m.group("version")
    return m.group("id"), int(version) if version else None


def find_arxiv_id(url: str) -> tuple[str, int | None] | None:
    """Like parse_arxiv_id, but return None instead of raising."""
    try:
        return parse_arxiv_id(url)
    except InvalidArxivId:
        return None


def abs_url(paper_id: str, version: int | None = None) -> str:
    """The abstract page of a bare arXiv id (of one version when given): the only link a
    paper has, built from its id and never taken from a digest."""
    return f"https://arxiv.org/abs/{paper_id}" + (f"v{version}" if version else "")


def pdf_url(paper_id: str, version: int | None = None) -> str:
    """The PDF of a bare arXiv id (of one version when given)."""
    return f"https://arxiv.org/pdf/{paper_id}" + (f"v{version}" if version else "")


def arxiv_year(paper_id: str) -> str:
    """The year an arXiv id was issued (`2512.20735` -> 2025, `hep-th/9901001` -> 1999), or ""."""
    new_style = re.fullmatch(r"([0-9]{2})[0-9]{2}\.[0-9]{4,5}", paper_id)
    if new_style:
        return f"20{new_style.group(1)}"
    old_style = re.search(r"/([0-9]{2})[0-9]{5}$", paper_id)
    if old_style:
        yy = int(old_style.group(1))
        return f"{1900 + yy if yy >= 91 else 2000 + yy}"
    return ""


def paper_link(url: str, paper_id: str) -> str:
    """The link a format keeps for a paper: its own abstract page, of the version the
    digest's link names when that link is an arXiv link to this paper."""
    found = find_arxiv_id(url)
    return abs_url(paper_id, found[1] if found is not None and found[0] == paper_id else None)


_HOST_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.ASCII)
_LINK_RE = re.compile(
    r"(?P<scheme>https?)://(?P<host>[^/?#:@]{1,253})(?::(?P<port>[0-9]{1,5}))?(?P<rest>[/?#][!-~]*)?",
    re.ASCII | re.IGNORECASE,
)
MAX_LINK_CHARS = 2048
"""A longer link is not opened or copied."""


def safe_link(url: str) -> str | None:
    """The link to open or copy for a URL from a digest (a code link, a project page), or
    None when it must only be shown as text.

    Kept: http(s) with a plain ASCII host name (letters, digits, hyphens; no IDNA `xn--`
    label, no user name, a real port), and a path of printable ASCII without spaces. An
    arXiv link becomes the paper's own page, built from its id."""
    if not isinstance(url, str) or len(url) > MAX_LINK_CHARS:
        return None
    m = _LINK_RE.fullmatch(url.strip())
    if m is None:
        return None
    host = m.group("host").lower()
    labels = host.split(".")
    if len(labels) < 2 or not all(_HOST_LABEL_RE.fullmatch(label) for label in labels) \
            or any(label.startswith("xn--") for label in labels) or labels[-1].isdigit():
        return None
    port = m.group("port")
    if port is not None and not 0 < int(port) < 65536:
        return None
    found = find_arxiv_id(url.strip()) if host in ARXIV_HOSTS else None
    if found is not None:
        return abs_url(*found)
    scheme = m.group("scheme").lower()
    return f"{scheme}://{host}{':' + port if port else ''}{m.group('rest') or ''}"


_MERGED_TEXTS = ("title", "category", "url", *TEXT_FIELDS, "comment", "pdf", "code_url",
                 "code_last_update", "task")
_merged_texts_of = attrgetter(*_MERGED_TEXTS)
"""A paper's _MERGED_TEXTS values as a tuple, in one C call (a first start merges 150,000 records)."""


_OWN_LABELS = {
    "comments": "AI comments",  # a model's remarks, not arXiv's comment (shown under the title)
    "ai_abstract": "AI abstract",
    "summary_zh": "Summary (Chinese)",
    "author_affiliation": "Affiliations",
    "author_affiliations": "Affiliations",
}


def field_label(key: str) -> str:
    """The heading an extra field is shown under: `future_work` -> `Future work`,
    `ai_Abstract` -> `AI abstract`, a label written as words stays as written."""
    own = _OWN_LABELS.get(key.casefold())
    if own:
        return own
    words = " ".join(key.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:] if words else key


@dataclass(slots=True, frozen=True)
class Appearance:
    """One place a paper was listed: a digest file, its date (or None) and the section."""

    source: str
    date: str | None
    category: str


_APPEARANCE_DATE = attrgetter("date")


@dataclass(slots=True)
class Paper:
    """One arXiv paper, merged across every digest it appeared in.

    Text fields hold display-ready text (repaired, control characters removed) with any
    LaTeX left as written; `core.formats.text.render_latex` turns it into Unicode when shown.
    A missing field is the empty string."""

    id: str
    title: str
    version: int | None = None
    authors: list[str] = field(default_factory=list)
    category: str = ""
    categories: list[str] = field(default_factory=list)
    url: str = ""
    tldr: str = ""
    motivation: str = ""
    method: str = ""
    result: str = ""
    conclusion: str = ""
    abstract: str = ""
    comment: str = ""
    """The arXiv comment ("Accepted at ICLR 2026; 12 pages"), or empty."""
    pdf: str = ""
    code_url: str = ""
    """A code repository link the generator found in the abstract, or empty."""
    code_stars: int | None = None
    code_last_update: str = ""
    task: str = ""
    """The first AI template's `task` (written where later ones write `tldr`)."""
    keywords: list[str] = field(default_factory=list)
    importance: int | float | str | None = None
    """A fork's importance: a number as written (0-10) or a level as written ("High", "高"), or None."""
    read_minutes: int | float | None = None
    """A fork's estimated reading time in minutes, or None."""
    extra: dict[str, str | list[str]] = field(default_factory=dict)
    """A paper's other AI fields by their own key, in file order: text or a list of texts."""
    appearances: list[Appearance] = field(default_factory=list)
    text_source: TextSource | None = field(default=None, repr=False, compare=False)
    """Where a paper read from the library snapshot finds its LONG_FIELDS (None: it holds them)."""

    def __getattr__(self, name: str) -> object:
        # Only reached for a slot never set: a LONG_FIELDS text of a paper made by
        # light_paper, read from the snapshot the first time it is asked for (and kept).
        if name in LONG_FIELDS:
            source = object.__getattribute__(self, "text_source")
            texts = source.texts(self) if source is not None else None
            for key, value in zip(LONG_FIELDS, texts or EMPTY_LONG):
                setattr(self, key, value() if callable(value) else value)
            return object.__getattribute__(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def dates(self) -> list[str]:
        """Sorted distinct dates the paper appeared on."""
        return sorted({a.date for a in self.appearances if a.date})

    @property
    def date(self) -> str | None:
        """The first date it appeared, or None (dates[0] without the sorted set: the list,
        the tree and the sort ask for it of every paper)."""
        return min(filter(None, map(_APPEARANCE_DATE, self.appearances)), default=None)

    @property
    def sources(self) -> list[str]:
        """Distinct source files, in the order they were read."""
        return list(dict.fromkeys(a.source for a in self.appearances))

    def merge(self, other: Paper) -> None:
        """Fold another record of the same paper into this one.

        Later versions win for the version number; empty fields are filled from the
        other record (so an AI-enhanced file's summaries complete a raw file's record);
        the higher star count wins (the later count); categories, keywords, extra fields
        and appearances are unioned in order."""
        if other.version is not None and (self.version is None or other.version > self.version):
            self.version = other.version
        mine, offered = _merged_texts_of(self), _merged_texts_of(other)
        if mine != offered:  # records of one paper mostly agree: nothing to fill then
            for name, have, value in zip(_MERGED_TEXTS, mine, offered):
                if value and not have:
                    setattr(self, name, value)
        if not self.authors and other.authors:
            self.authors = list(other.authors)
        if other.code_stars is not None and (self.code_stars is None or other.code_stars > self.code_stars):
            self.code_stars = other.code_stars
        if self.importance is None:
            self.importance = other.importance
        if self.read_minutes is None:
            self.read_minutes = other.read_minutes
        for word in other.keywords:
            if word not in self.keywords:
                self.keywords.append(word)
        for key, value in other.extra.items():
            if not self.extra.get(key) and value:
                self.extra[key] = list(value) if isinstance(value, list) else value
        for cat in other.categories:
            if cat not in self.categories:
                self.categories.append(cat)
        for app in other.appearances:
            if app not in self.appearances:
                self.appearances.append(app)


LONG_FIELDS = (*TEXT_FIELDS, "task", "extra", "comment", "url", "pdf")
"""The fields a paper from the library snapshot reads only when asked (the detail pane,
export): most of a library's memory, and not needed for the list, the tree or search
(which has its own folded copy)."""
EMPTY_LONG = tuple(dict if name == "extra" else "" for name in LONG_FIELDS)
"""What a light paper whose texts are lost shows (dict: a new empty one each time)."""
SHORT_FIELDS = ("id", "title", "version", "authors", "category", "categories", "code_url",
                "code_stars", "code_last_update", "keywords", "importance", "read_minutes")
"""Every other field but the appearances: what a light paper holds."""


class TextSource(Protocol):
    """Gives a light paper its LONG_FIELDS values, in order (None when they are lost)."""

    def texts(self, paper: Paper) -> tuple | None: ...


def light_paper(short: Sequence[object], appearances: list[Appearance], source: TextSource) -> Paper:
    """A Paper holding SHORT_FIELDS (values in that order) and its appearances, whose long
    texts `source` gives on first use."""
    paper = Paper.__new__(Paper)
    for name, value in zip(SHORT_FIELDS, short):
        setattr(paper, name, value)
    paper.appearances = appearances
    paper.text_source = source
    return paper


def long_texts(paper: Paper) -> tuple:
    """A paper's LONG_FIELDS values, without keeping them in a light paper that lacks them
    (what reading every paper once, as the ranker does, must not grow)."""
    try:
        return tuple(object.__getattribute__(paper, name) for name in LONG_FIELDS)
    except AttributeError:
        pass
    source = paper.text_source
    texts = source.texts(paper) if source is not None else None
    return tuple(texts) if texts is not None else tuple(v() if callable(v) else v for v in EMPTY_LONG)


@dataclass(slots=True)
class Digest:
    """What one file gave: its papers (in file order), its date, and the problems met."""

    source: str
    date: str | None
    format: str
    papers: list[Paper] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    declared_totals: dict[str, int] = field(default_factory=dict)


def paper_record(paper: Paper, render: Callable[[str], str]) -> dict:
    """One paper as a `dump` JSON object (keys in DUMP_KEYS order); `render` turns a
    field's stored text into display text (LaTeX to Unicode)."""
    return {
        "id": paper.id,
        "version": paper.version,
        "title": render(paper.title),
        "authors": list(paper.authors),
        "category": paper.category,
        "categories": list(paper.categories),
        "url": paper.url,
        "date": paper.date,
        **{name: render(getattr(paper, name)) for name in TEXT_FIELDS},
        "sources": paper.sources,
        "comment": render(paper.comment),
        "pdf": paper.pdf,
        "code_url": paper.code_url,
        "code_stars": paper.code_stars,
        "task": render(paper.task),
        "keywords": [render(word) for word in paper.keywords],
        "importance": paper.importance,
        "read_minutes": paper.read_minutes,
        "extra": {key: [render(v) for v in value] if isinstance(value, list) else render(value)
                  for key, value in paper.extra.items()},
    }
