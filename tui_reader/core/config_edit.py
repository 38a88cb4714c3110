"""Adding and removing [[source]] tables in config.toml, keeping the person's file as written.

tomlkit (imported only here, when a source is added or removed) reads the file, finds the
tables and writes the new table's values; the edit itself is a splice of the original text:
tomlkit on its own gives the comments above a table to the table before it, and regroups
[[source]] tables that other tables split. The result is parsed and compared with what was
meant, and only then written (temporary file, fsync, rename)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui_reader.core.atomic_write import replace_atomically
from tui_reader.core.config import ConfigError, parse_config
from tui_reader.core.sources.source import Source

if TYPE_CHECKING:
    from tomlkit.items import Table


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read {path} ({getattr(err, 'strerror', None) or err})") from None


def source_table(source: Source) -> str:
    """The [[source]] table text for a source (unset fields left out), written by tomlkit."""
    import tomlkit

    table: dict[str, str] = {"name": source.name, "url": source.url}
    if source.branch:
        table["branch"] = source.branch
    if source.language is not None:
        table["language"] = source.language
    if source.since:
        table["since"] = source.since
    return tomlkit.dumps({"source": [table]})


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    replace_atomically(path, text.encode("utf-8"), mode)


def add_source_to_config(path: Path, source: Source) -> None:
    """Add a [[source]] table after the last one (at the end when there is none); ConfigError
    (one line) when the file is broken or the name is taken. Nothing else in the file changes."""
    source = replace(source, name=source.name.strip(), url=source.url.strip())
    text = _read(path)
    before = parse_config(text).sources if text.strip() else []
    if any(s.name == source.name for s in before):
        raise ConfigError(f"a source named {source.name!r} exists already (choose another with --name)")
    table = source_table(source)
    last = _last_source_table(text, path) if before else None
    if last is not None:  # beside the others, above the comments that begin what follows
        start, end, following = last
        keys_end = end - len(following)
        after = text[keys_end:]
        result = text[:keys_end] + "\n" + table + ("\n" if after and not after.startswith("\n") else "") + after
    else:
        joined = text if not text or text.endswith("\n") else text + "\n"
        result = joined + ("\n" if joined.strip() else "") + table
    try:
        after_sources = parse_config(result).sources
    except ConfigError as err:
        raise ConfigError(f"{path}: a [[source]] table cannot be added to this file ({err})") from None
    if after_sources != [*before, source]:
        raise ConfigError(f"{path}: adding a [[source]] table would not add just this source; edit it by hand")
    _write(path, result)


def remove_source_from_config(path: Path, name: str) -> Source:
    """Cut the [[source]] table named `name` out of the settings file; the removed Source.
    Comments under its last key go with it; those after a blank line stay (they are about
    what follows). ConfigError when there is none, or when the cut would change anything else."""
    import tomllib

    text = _read(path)
    before = parse_config(text).sources if text.strip() else []
    removed = next((s for s in before if s.name == name), None)
    if removed is None:
        names = ", ".join(s.name for s in before) or "none"
        raise ConfigError(f"no source named {name!r} (sources: {names})")
    found = _source_table_span(text, path, name)
    if found is None:
        raise ConfigError(f"{path}: source {name!r} is not written as a [[source]] table; remove it by hand")
    start, end, following = found
    kept, rest = text[:start], following.lstrip("\n") + text[end:]
    if not rest:  # the file's last table: the blank line that led to it goes too
        kept = kept.rstrip("\n") + "\n" if kept.strip() else ""
    result = kept + rest
    old_data = tomllib.loads(text)
    old_data["source"] = [t for t in old_data.get("source", []) if t.get("name", "").strip() != name]
    if not old_data["source"]:
        del old_data["source"]
    try:
        if tomllib.loads(result) != old_data:
            raise ConfigError("mismatch")
    except (tomllib.TOMLDecodeError, ConfigError):
        raise ConfigError(f"{path}: removing source {name!r} by a text edit would change other settings; "
                          "remove it by hand") from None
    _write(path, result)
    return removed


def _source_tables(text: str, path: Path) -> list[Table]:
    """The file's [[source]] tables as tomlkit reads them (none when `source` is written
    another way, e.g. as an inline array)."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError
    from tomlkit.items import AoT

    try:
        tables = tomlkit.parse(text).get("source")
    except TOMLKitError as err:
        raise ConfigError(f"{path}: {str(err).splitlines()[0]}") from None
    return list(tables) if isinstance(tables, AoT) else []


def _span(text: str, table: Table) -> tuple[int, int, str] | None:
    """Where `table` is in the text: (start of its [[source]] header line, end of its body,
    the comment and blank lines that end the body); None unless that is certain (its body
    occurs once, right under a [[source]] header)."""
    body = table.as_string()
    at = text.find(body)
    if at < 0 or text.find(body, at + 1) >= 0:
        return None
    header_start = text.rfind("\n", 0, max(at - 1, 0)) + 1 if at > 0 else 0
    header = text[header_start:at].split("#", 1)[0].strip().replace(" ", "").replace("\t", "")
    if header != "[[source]]":
        return None
    return header_start, at + len(body), _comments_after_last_key(table)


def _source_table_span(text: str, path: Path, name: str) -> tuple[int, int, str] | None:
    for table in _source_tables(text, path):
        if str(table.get("name", "")).strip() == name:
            return _span(text, table)
    return None


def _last_source_table(text: str, path: Path) -> tuple[int, int, str] | None:
    tables = _source_tables(text, path)
    return _span(text, tables[-1]) if tables else None


def _comments_after_last_key(table: Table) -> str:
    """The lines ending a table's body that are about what follows: tomlkit counts every
    comment and blank line above the next header in the table; those from the first blank
    line on (all of them when there is none) are the next table's."""
    from tomlkit.items import Comment, Whitespace

    trailing: list[str] = []
    for key, item in reversed(table.value.body):
        if key is not None or not isinstance(item, (Comment, Whitespace)):
            break
        trailing.append(item.as_string())
    lines = "".join(reversed(trailing)).splitlines(keepends=True)
    blank = next((i for i, line in enumerate(lines) if not line.strip()), 0)
    return "".join(lines[blank:])
