"""Generator repositories as sources: what a source is, and which of its files to pull."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlparse

SOURCE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""A source's name is its folder in the library: no slash, no leading dot, no spaces."""

_SINCE_RELATIVE_RE = re.compile(r"^(\d{1,5})([dw])$")

DATA_FOLDER = "data"
DATA_BRANCH = "data"

_DAY_FILE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:(\.jsonl)|_AI_enhanced_([^/\x00-\x1f\x7f-\x9f]{0,64})\.jsonl|(\.md))")
"""Matched whole (fullmatch: `$` would let a name ending in a newline through); a language
of controls or of more than 64 characters is no generator's (its name may not even fit)."""


class SourceError(ValueError):
    """A source that cannot be used as given; the message is one line."""


@dataclass(slots=True, frozen=True)
class Source:
    """A generator repository to pull digests from, as written in config.toml.

    `branch` None finds the layout (a `data` branch, else `data/` on the default branch);
    `language` None takes the language the repository's newest day has (English first);
    `language` "" means the language-less `_AI_enhanced_.jsonl` files; `since` is
    YYYY-MM-DD or a number of days/weeks back (`30d`, `2w`) and bounds the first pull."""

    name: str
    url: str
    branch: str | None = None
    language: str | None = None
    since: str | None = None


def validate_source_name(name: str) -> str:
    """The name if it can be a library folder; SourceError otherwise."""
    if not SOURCE_NAME_RE.fullmatch(name):  # not match: `$` also matches before a final newline
        raise SourceError(f"source name {name!r} must be letters, digits, '.', '_' or '-' "
                          "(at most 64, not starting with '.' or '-')")
    return name


def check_url(url: str) -> str:
    """The URL if git may be given it; SourceError otherwise: one starting with `-` would be
    read as an option, a `transport::address` runs a helper (`fd::`, `ext::`), and a control
    character or line break could never be shown or typed back."""
    shown = url if len(url) <= 80 else url[:77] + "..."
    if url.startswith("-"):
        raise SourceError(f"the URL {shown.encode('unicode_escape').decode()!r} starts with '-'")
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        raise SourceError(f"the URL {shown.encode('unicode_escape').decode()!r} holds a control character")
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*::", url):
        raise SourceError(f"the URL {shown!r} names a git transport helper; use https://, ssh, "
                          "git@host:path, file:// or a path")
    return url


def parse_since(text: str, today: date | None = None) -> date:
    """The first day a `since` value admits: YYYY-MM-DD, or `30d` / `2w` before today."""
    today = today or date.today()
    text = text.strip()
    m = _SINCE_RELATIVE_RE.match(text)
    if m:
        count = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return today - timedelta(days=count)
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad_since(text)
    except ValueError:
        return _bad_since(text)


def empty_window(since: str, newest: str, today: date | None = None) -> tuple[str, str]:
    """Why a `since` admits no day of a repository whose newest day is `newest`, and the
    `since` date that would admit the same span before that day: ("no day in the last
    30 days; the newest is 2026-07-01", "2026-06-01")."""
    today = today or date.today()
    first_day = parse_since(since, today)
    m = _SINCE_RELATIVE_RE.match(since.strip())
    if m:
        count = int(m.group(1))
        unit = ("week" if m.group(2) == "w" else "day") + ("s" if count != 1 else "")
        window = f"in the last {count} {unit}"
    else:
        window = f"since {first_day.isoformat()}"
    span = max(today - first_day, timedelta(days=1))
    suggested = (date.fromisoformat(newest) - span).isoformat()
    return f"no day {window}; the newest is {newest}", suggested


def _bad_since(text: str) -> date:
    raise SourceError(f"since {text!r} must be a date (YYYY-MM-DD) or days/weeks back (30d, 2w)")


_SCP_LIKE_RE = re.compile(r"^(?:[^@/]+@)?[^/:]+:(?!/)")


def _url_path(url: str) -> str:
    """The path part of a URL, an scp-like `git@host:owner/repo` or a local path."""
    if "://" in url:
        return urlparse(url).path
    if _SCP_LIKE_RE.match(url):
        return url.split(":", 1)[1]
    return url


def name_from_url(url: str) -> str:
    """A source name made from a repository URL: its last path part without `.git`."""
    last = _url_path(url).rstrip("/").rsplit("/", 1)[-1]
    if last.endswith(".git"):
        last = last[:-4]
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", last).strip(".-")
    return name[:64] or "source"


def repository_key(url: str) -> str:
    """What two URLs of one repository share: scheme and user left out, host in lower case,
    no trailing `/` or `.git`; a local path (or file://) as its absolute real path."""
    import os

    url = url.strip()
    if url.startswith("file://"):
        url = urlparse(url).path
    if "://" not in url and not _SCP_LIKE_RE.match(url):
        return os.path.realpath(os.path.expanduser(url)).rstrip("/").removesuffix(".git")
    if "://" in url:
        parsed = urlparse(url)
        host, path = (parsed.hostname or "").lower(), parsed.path
    else:
        host, path = url.split(":", 1)
        host = host.rsplit("@", 1)[-1].lower()
    return f"{host}/{path.strip('/').removesuffix('.git').strip('/')}"


def owner_from_url(url: str) -> str | None:
    """The owner part (`owner` of github.com/owner/repo), for telling two forks apart."""
    parts = [p for p in _url_path(url).strip("/").split("/") if p]
    return parts[-2] if len(parts) >= 2 else None


@dataclass(slots=True, frozen=True)
class DayFile:
    """A file of the generator's data folder: its day, kind and language."""

    name: str
    day: str
    kind: str
    """"raw" (YYYY-MM-DD.jsonl), "ai" (_AI_enhanced_<language>.jsonl) or "md"."""
    language: str | None
    blob: str


def classify_day_files(files: list[tuple[str, str]]) -> list[DayFile]:
    """The generator's day files among (file name, blob id) pairs; anything else is left out
    (assets/file-list.txt, READMEs, a fork's own notes)."""
    out = []
    for name, blob in files:
        m = _DAY_FILE_RE.fullmatch(name)
        if not m:
            continue
        day = m.group(1)
        try:
            date.fromisoformat(day)
        except ValueError:
            continue
        if m.group(2):
            out.append(DayFile(name, day, "raw", None, blob))
        elif m.group(4):
            out.append(DayFile(name, day, "md", None, blob))
        else:
            out.append(DayFile(name, day, "ai", m.group(3), blob))
    return out


def languages_present(files: list[DayFile]) -> list[str]:
    """The AI files' languages, the newest day's first ("" is the language-less suffix)."""
    seen: dict[str, str] = {}
    for f in sorted(files, key=lambda f: f.day, reverse=True):
        if f.kind == "ai" and f.language is not None:
            seen.setdefault(f.language, f.day)
    return list(seen)


def choose_language(files: list[DayFile], wanted: str | None) -> str | None:
    """The AI files' language to pull: the one asked for (any case), else among those of the
    newest day with AI files, English first. None when there is no AI file to take."""
    present = languages_present(files)
    if wanted is not None:
        for lang in present:
            if lang.casefold() == wanted.casefold():
                return lang
        return None
    if not present:
        return None
    newest = max(f.day for f in files if f.kind == "ai")
    of_newest = [f.language for f in files if f.kind == "ai" and f.day == newest and f.language is not None]
    for lang in of_newest:
        if lang.casefold() == "english":
            return lang
    return sorted(of_newest)[0]


def select_files(files: list[DayFile], language: str | None, first_day: date | None,
                 already: set[str]) -> list[DayFile]:
    """The files to have in the library: for every day from `first_day` on (and every day
    already pulled, so a rolling `30d` never deletes what was pulled), the raw file and the
    AI file of `language`; the Markdown only for a day that has no JSON Lines to take.

    A day's full set of papers is the union of its raw and AI files (the AI file leaves out
    filtered papers), which the library's merge by id makes of them."""
    by_day: dict[str, list[DayFile]] = {}
    for f in files:
        by_day.setdefault(f.day, []).append(f)
    chosen: list[DayFile] = []
    floor = first_day.isoformat() if first_day else ""
    for day in sorted(by_day):
        day_files = by_day[day]
        if day < floor and not any(f.name in already for f in day_files):
            continue
        jsonl = [f for f in day_files if f.kind == "raw" or (f.kind == "ai" and f.language == language)]
        chosen.extend(jsonl or [f for f in day_files if f.kind == "md"])
    return chosen
