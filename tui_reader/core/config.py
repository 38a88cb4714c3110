"""The reader's TOML settings: keymap, theme, auto-read, saved searches, watch list and hide rules."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_AUTO_READ_DELAY = 1.0
"""Seconds a paper stays in the detail pane before it is marked read."""

EXAMPLE_CONFIG = """\
# tui-reader settings (TOML)
theme = "textual-dark"        # any Textual theme name
auto_read = true              # mark a paper read after it is shown for a while
auto_read_delay = 1.0         # seconds

[keys]                        # binding id = "key,alias" (ids are listed in ? help)
# next_unread = "n,ctrl+n"

[[search]]
name = "Diffusion"
query = "ti:diffusion is:unread"

[watch]
keywords = ["diffusion"]
authors = ["Müller"]

[[hide]]                      # papers matching a query are hidden everywhere
query = "ti:survey"
reason = "no surveys"
"""


@dataclass(slots=True, frozen=True)
class HideRule:
    """A query whose papers are hidden everywhere (a killfile line), with why."""

    query: str
    reason: str = ""


class ConfigError(ValueError):
    """A settings file that cannot be used; the message is one line."""


@dataclass(slots=True, frozen=True)
class SavedSearch:
    """A named query shown as a node of the category tree."""

    name: str
    query: str


@dataclass(slots=True)
class Config:
    """Everything the reader can be told by the settings file."""

    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    auto_read_delay: float | None = DEFAULT_AUTO_READ_DELAY
    """None turns auto-read off."""
    searches: list[SavedSearch] = field(default_factory=list)
    watch_keywords: list[str] = field(default_factory=list)
    watch_authors: list[str] = field(default_factory=list)
    hide_rules: list[HideRule] = field(default_factory=list)


def _string_list(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return [v for v in value if v.strip()]


def parse_config(text: str) -> Config:
    """Turn the text of a settings file into a Config; raise ConfigError on any problem."""
    import tomllib  # here: most starts have no settings file to parse

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"not valid TOML: {err}") from None
    config = Config()
    known = {"keys", "theme", "auto_read", "auto_read_delay", "search", "watch", "hide"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"unknown setting {unknown[0]!r}")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) and v.strip() for v in keys.values()):
        raise ConfigError("[keys] must map binding ids to key strings, e.g. next_unread = \"n\"")
    config.keymap = {str(k): v.replace(" ", "") for k, v in keys.items()}
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise ConfigError("theme must be a string")
    config.theme = theme
    auto_read = data.get("auto_read", True)
    if not isinstance(auto_read, bool):
        raise ConfigError("auto_read must be true or false")
    delay = data.get("auto_read_delay", DEFAULT_AUTO_READ_DELAY)
    if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= 3600:
        raise ConfigError("auto_read_delay must be a number of seconds between 0 and 3600")
    config.auto_read_delay = float(delay) if auto_read else None
    searches = data.get("search", [])
    if not isinstance(searches, list):
        raise ConfigError("saved searches are written [[search]] with name and query")
    for n, entry in enumerate(searches, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) \
                or not isinstance(entry.get("query"), str):
            raise ConfigError(f"saved search {n} needs a name and a query (strings)")
        config.searches.append(SavedSearch(entry["name"].strip() or f"search {n}", entry["query"]))
    watch = data.get("watch", {})
    if not isinstance(watch, dict):
        raise ConfigError("[watch] must be a table with keywords and authors")
    config.watch_keywords = _string_list(watch.get("keywords", []), "watch.keywords")
    config.watch_authors = _string_list(watch.get("authors", []), "watch.authors")
    config.hide_rules = _hide_rules(data.get("hide", []))
    return config


def _hide_rules(entries: object) -> list[HideRule]:
    """The [[hide]] entries, each query checked by the search language's parser."""
    if not isinstance(entries, list):
        raise ConfigError('hide rules are written [[hide]] with query = "..." (and an optional reason)')
    rules = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("query"), str) \
                or not isinstance(entry.get("reason", ""), str) or set(entry) - {"query", "reason"}:
            raise ConfigError(f"hide rule {n} needs a query (a string) and at most a reason (a string)")
        query = entry["query"].strip()
        if not query:
            raise ConfigError(f"hide rule {n} has an empty query (it would hide every paper)")
        from .query import QueryError, parse_query  # here: only a settings file with hide rules pays

        try:
            parse_query(query)
        except QueryError as err:
            raise ConfigError(f"hide rule {n}: bad query {query!r}: {err}") from None
        rules.append(HideRule(query, " ".join(entry.get("reason", "").split())))
    return rules


def load_config(path: Path) -> tuple[Config, str | None]:
    """The settings in `path` (defaults when it is absent) and a one-line problem, if any.

    A broken file never stops the reader: its problem is returned with the defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), None
    except (OSError, UnicodeDecodeError) as err:
        return Config(), f"settings {path}: cannot read ({getattr(err, 'strerror', None) or err}); using defaults"
    try:
        return parse_config(text), None
    except ConfigError as err:
        return Config(), f"settings {path}: {err}; using defaults"
