"""A JSONL record's fields beyond the summaries: comment, links, code, task, keywords,
importance and a fork's own AI keys. Wrong types are shown as text or dropped with a
warning naming the file and line; nothing here raises."""
from __future__ import annotations

from collections.abc import Callable

from tui_reader.core.formats.importance import read_importance, read_minutes
from tui_reader.core.model import Paper
from tui_reader.core.formats.text import clean_field

SUMMARY_KEYS = ("tldr", "motivation", "method", "result", "conclusion")
"""Keys of the `AI` object that are Paper fields of the same name."""
IMPORTANCE_KEYS = ("importance_score", "importance")
"""Keys forks write a paper's importance under (a number or a level: 8, "High", "高")."""
MINUTES_KEYS = ("read_time_minutes", "reading_time_minutes", "read_time", "reading_time")
"""Keys forks write the reading time under (minutes)."""
KNOWN_AI_KEYS = frozenset((*SUMMARY_KEYS, "task", "keywords", *IMPORTANCE_KEYS))
"""AI keys with a place of their own; every other key goes to Paper.extra."""

MAX_STARS = 10_000_000
"""More stars than any repository has: a larger count is a damaged value."""
MAX_URL = 2_000
MAX_KEY = 64
"""An extra field's name longer than this is not a field name but damage."""
MAX_LIST = 200
"""Keywords or list items kept from one field (a fork writes a handful)."""

Text = Callable[[object], str]
Warn = Callable[[str], None]


def add_record_fields(paper: Paper, record: dict, ai: object, text: Text, warn: Warn) -> None:
    """Fill the paper's comment, pdf, code_*, task, keywords, importance and extra from a
    record and its `AI` value; `text` turns a value into display text, `warn` takes one
    problem (without the file:line, which the caller adds)."""
    comment = record.get("comment")
    if isinstance(comment, (str, int, float)) and not isinstance(comment, bool):
        paper.comment = " ".join(text(comment).split())
    elif comment is not None:
        warn(f'"comment" is {_kind(comment)}, not text; ignored')
    paper.pdf = _link(record.get("pdf"), "pdf", warn)
    paper.code_url = _link(record.get("code_url"), "code_url", warn)
    paper.code_stars = _stars(record.get("code_stars"), warn)
    update = record.get("code_last_update")
    if isinstance(update, str):
        paper.code_last_update = clean_field(update)[:64]
    elif update is not None:
        warn(f'"code_last_update" is {_kind(update)}, not text; ignored')
    if ai is None:
        return
    if not isinstance(ai, dict):
        warn(f'"AI" is {_kind(ai)}, not an object; its fields are ignored')
        return
    for name in SUMMARY_KEYS:
        setattr(paper, name, _summary(ai.get(name), name, text, warn))
    paper.task = _summary(ai.get("task"), "task", text, warn)
    paper.keywords = _keywords(ai.get("keywords"), text, warn)
    for key in IMPORTANCE_KEYS:
        if paper.importance is None:
            _importance(paper, key, ai.get(key), text, warn)
    minutes_key = next((key for key in MINUTES_KEYS if ai.get(key) not in (None, "")), "")
    if minutes_key:
        paper.read_minutes = read_minutes(ai[minutes_key])
    for key, value in ai.items():
        if key in KNOWN_AI_KEYS or value is None or (key == minutes_key and paper.read_minutes is not None):
            continue
        name = clean_field(key) if isinstance(key, str) else ""
        if not name or len(name) > MAX_KEY or not name.isprintable():
            warn(f"an AI key of {len(key)} characters is not a field name; ignored")
            continue
        shown = _extra_value(value, name, text, warn)
        if shown:
            paper.extra[name] = shown


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", bool: "true or false", str: "text"}.get(
        type(value), "a number" if isinstance(value, (int, float)) else type(value).__name__)


def _summary(value: object, name: str, text: Text, warn: Warn) -> str:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return text("\n\n".join(value))  # a list of paragraphs: shown as text
    if isinstance(value, (dict, list, bool)):
        warn(f'"AI.{name}" is {_kind(value)}, not text; ignored')
        return ""
    return text(value)


def _link(value: object, name: str, warn: Warn) -> str:
    """A printable http(s) address, else empty (a warning unless absent)."""
    if value is None or value == "":
        return ""
    if (isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) <= MAX_URL
            and value.isprintable() and not any(c.isspace() or c in '<>"`\\' for c in value)):
        return value
    warn(f'"{name}" is not a web address; ignored')
    return ""


def _stars(value: object, warn: Warn) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_STARS:
        return value
    shown = repr(value) if isinstance(value, (int, float)) else _kind(value)
    warn(f'"code_stars" {shown[:40]} is not a star count; ignored')
    return None


def _keywords(value: object, text: Text, warn: Warn) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # "a, b; c": shown as the words it lists
        value = value.replace(";", ",").split(",")
    if not isinstance(value, list):
        warn(f'"AI.keywords" is {_kind(value)}, not a list; ignored')
        return []
    words = [" ".join(text(v).split()) for v in value[:MAX_LIST] if isinstance(v, (str, int, float))
             and not isinstance(v, bool)]
    return list(dict.fromkeys(w for w in words if w))


def _importance(paper: Paper, key: str, value: object, text: Text, warn: Warn) -> None:
    """A number or a level word (High, 高) is the importance; other text is shown as an
    extra field under its key."""
    if value is None or value == "":
        return
    found = read_importance(value)
    if found is not None:
        paper.importance = found
    elif isinstance(value, str):
        shown = text(value)
        if shown:
            paper.extra[key] = shown
    else:
        warn(f'"AI.{key}" is {_kind(value)}, not a score; ignored')


def _extra_value(value: object, name: str, text: Text, warn: Warn) -> str | list[str]:
    if isinstance(value, list):
        items = [text(v) for v in value[:MAX_LIST] if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
        if len(items) < min(len(value), MAX_LIST):
            warn(f'"AI.{name}" holds items that are not text; those are ignored')
        return [i for i in items if i]
    if isinstance(value, bool) or isinstance(value, dict):
        warn(f'"AI.{name}" is {_kind(value)}, not text; ignored')
        return ""
    return text(value)
