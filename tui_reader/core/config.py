"""The reader's TOML settings: keymap, theme, auto-read, saved searches, watch list, hide rules, sources, sync."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core.sources.source import Source, SourceError, parse_since, validate_source_name

DEFAULT_AUTO_READ_DELAY = 1.0
"""Seconds a paper stays in the detail pane before it is marked read."""

MAX_LIST_ENTRIES = 1_000
"""Watch keywords, watch authors and saved searches a settings file may ask for, each; every
one is matched against the whole library, so a longer list would stall the reader."""

MAX_ENTRY_CHARS = 1_000
"""A longer watch keyword, author or saved query is left out."""

EXAMPLE_CONFIG = """\
# tui-reader settings (TOML)
theme = "textual-dark"        # any Textual theme name
auto_read = true              # mark a paper read after it is shown for a while
auto_read_delay = 1.0         # seconds
# language = "Chinese"        # a day written in several languages shows this one's AI files

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

[sync]                        # share the reading state with other machines
folder = "~/Sync/tui-reader"  # a folder Syncthing, Dropbox, a share or git keeps in step
"""


@dataclass(slots=True, frozen=True)
class HideRule:
    """A query whose papers are hidden everywhere (a killfile line), with why."""

    query: str
    reason: str = ""


NEW_DAY_ALERTS = ("off", "bell", "desktop")


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
    sources: list[Source] = field(default_factory=list)
    """Generator repositories `tui-reader pull` fetches from ([[source]] tables)."""
    pull_on_start: bool = False
    """Pull every source in the background when the reader starts."""
    new_day_alert: str = "off"
    """What else tells of papers arriving in a running reader: "off", "bell" (the terminal's
    bell) or "desktop" (a desktop notification through notify-send, else the bell)."""
    notices: list[str] = field(default_factory=list)
    """What was left out of the file (over the caps), one short phrase each."""
    sync_folder: str | None = None
    """The folder the reading state is exchanged through (`~` not yet expanded)."""
    hide_rules: list[HideRule] = field(default_factory=list)
    language: str | None = None
    """Which AI files a day written in several languages shows (English when unset)."""


def _string_list(value: object, where: str, notices: list[str]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    kept = [v for v in value if v.strip() and len(v) <= MAX_ENTRY_CHARS]
    if len(kept) < len([v for v in value if v.strip()]):
        notices.append(f"{where}: entries over {MAX_ENTRY_CHARS} characters left out")
    return _capped(kept, where, notices)


def _capped(items: list, where: str, notices: list[str]) -> list:
    if len(items) > MAX_LIST_ENTRIES:
        notices.append(f"{where} lists {len(items)} entries; only the first {MAX_LIST_ENTRIES} are used")
        return items[:MAX_LIST_ENTRIES]
    return items


def parse_config(text: str) -> Config:
    """Turn the text of a settings file into a Config; raise ConfigError on any problem."""
    import tomllib  # here: most starts have no settings file to parse

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"not valid TOML: {err}") from None
    except RecursionError:
        raise ConfigError("not valid TOML: nested too deep") from None
    config = Config()
    known = {"keys", "theme", "auto_read", "auto_read_delay", "search", "watch", "hide", "source",
             "pull_on_start", "sync", "new_day_alert", "language"}
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
    language = data.get("language")
    if language is not None and not isinstance(language, str):
        raise ConfigError("language must be a string, e.g. \"Chinese\"")
    config.language = language or None
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
        if len(entry["query"]) > MAX_ENTRY_CHARS or len(entry["name"]) > MAX_ENTRY_CHARS:
            config.notices.append(f"saved search {n}: longer than {MAX_ENTRY_CHARS} characters, left out")
            continue
        config.searches.append(SavedSearch(entry["name"].strip() or f"search {n}", entry["query"]))
    config.searches = _capped(config.searches, "saved searches", config.notices)
    watch = data.get("watch", {})
    if not isinstance(watch, dict):
        raise ConfigError("[watch] must be a table with keywords and authors")
    config.watch_keywords = _string_list(watch.get("keywords", []), "watch.keywords", config.notices)
    config.watch_authors = _string_list(watch.get("authors", []), "watch.authors", config.notices)
    pull_on_start = data.get("pull_on_start", False)
    if not isinstance(pull_on_start, bool):
        raise ConfigError("pull_on_start must be true or false")
    config.pull_on_start = pull_on_start
    alert = data.get("new_day_alert", "off")
    if alert not in NEW_DAY_ALERTS:
        raise ConfigError("new_day_alert must be \"off\", \"bell\" or \"desktop\"")
    config.new_day_alert = alert
    config.sources = parse_sources(data.get("source", []))
    sync = data.get("sync", {})
    if not isinstance(sync, dict) or set(sync) - {"folder"}:
        raise ConfigError("[sync] must be a table with folder = \"DIR\"")
    folder = sync.get("folder")
    if folder is not None and (not isinstance(folder, str) or not folder.strip()):
        raise ConfigError("sync.folder must be the path of a folder")
    config.sync_folder = folder
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
        from tui_reader.core.search.query import QueryError, parse_query  # here: only a settings file with hide rules pays

        try:
            parse_query(query)
        except QueryError as err:
            raise ConfigError(f"hide rule {n}: bad query {query!r}: {err}") from None
        rules.append(HideRule(query, " ".join(entry.get("reason", "").split())))
    return rules


_SOURCE_KEYS = ("name", "url", "branch", "language", "since")


def parse_sources(tables: object) -> list[Source]:
    """The [[source]] tables as Sources; ConfigError naming the first bad one."""
    if not isinstance(tables, list):
        raise ConfigError("sources are written [[source]] with name and url")
    sources: list[Source] = []
    for n, entry in enumerate(tables, 1):
        if not isinstance(entry, dict):
            raise ConfigError(f"source {n} must be a [[source]] table")
        unknown = sorted(set(entry) - set(_SOURCE_KEYS))
        if unknown:
            raise ConfigError(f"source {n}: unknown key {unknown[0]!r} (keys: {', '.join(_SOURCE_KEYS)})")
        if not all(isinstance(entry.get(k, ""), str) for k in _SOURCE_KEYS):
            raise ConfigError(f"source {n}: name, url, branch, language and since are strings")
        name, url = entry.get("name", "").strip(), entry.get("url", "").strip()
        if not name or not url:
            raise ConfigError(f"source {n} needs a name and a url")
        try:
            validate_source_name(name)
            if entry.get("since"):
                parse_since(entry["since"])
        except SourceError as err:
            raise ConfigError(f"source {name!r}: {err}") from None
        if any(s.name == name for s in sources):
            raise ConfigError(f"two sources are named {name!r}")
        sources.append(Source(name, url, entry.get("branch") or None,
                              entry["language"] if "language" in entry else None, entry.get("since") or None))
    return sources


def with_sync_folder(text: str, folder: str) -> str:
    """The settings text with `[sync] folder` set to `folder` and everything else kept as
    written (comments too); ConfigError if the text is not valid settings or keeps the
    setting in a form this edit does not touch (an inline or dotted table)."""
    import json
    import re

    parse_config(text)  # never build on a broken file
    # A JSON string is a valid TOML basic string (the same escapes).
    line = f"folder = {json.dumps(folder, ensure_ascii=False)}"
    header = re.search(r"^[ \t]*\[sync\][ \t]*(#.*)?$", text, flags=re.M)
    if header is None:
        updated = text + ("" if not text or text.endswith("\n") else "\n") + f"\n[sync]\n{line}\n"
    else:
        body_start = header.end() + 1
        next_table = re.search(r"^[ \t]*\[", text[body_start:], flags=re.M)
        body_end = body_start + next_table.start() if next_table else len(text)
        body = text[body_start:body_end]
        existing = re.search(r"^[ \t]*folder[ \t]*=.*$", body, flags=re.M)
        if existing:
            body = body[:existing.start()] + line + body[existing.end():]
        else:
            body = line + "\n" + body
        updated = text[:body_start] + body + text[body_end:]
    try:
        written = parse_config(updated).sync_folder
    except ConfigError:
        written = None
    if written != folder:
        raise ConfigError("the [sync] setting is written in a form this command does not edit; "
                          "set folder by hand")
    return updated


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
        config = parse_config(text)
    except ConfigError as err:
        return Config(), f"settings {path}: {err}; using defaults"
    if config.notices:
        return config, f"settings {path}: {'; '.join(config.notices[:3])}"
    return config, None
