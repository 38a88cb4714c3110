"""Adding and removing [[source]] tables in config.toml as careful text edits.

The file is the person's: their comments, order and other settings stay as written. A table
is appended (or its lines cut out), the result is parsed and compared with what was meant,
and only then written (temporary file, fsync, rename)."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from tui_reader.core.atomic_write import replace_atomically
from tui_reader.core.config import ConfigError, parse_config
from tui_reader.core.sources.source import Source

_SOURCE_HEADER_RE = re.compile(r"^\s*\[\[\s*source\s*\]\]\s*(#.*)?$")
_ANY_HEADER_RE = re.compile(r"^\s*\[")
_KEY_LINE_RE = re.compile(r"^\s*[A-Za-z0-9_\"'-]")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read {path} ({getattr(err, 'strerror', None) or err})") from None


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, and every control character
    (TOML refuses them raw, DEL included) as \\uXXXX."""
    out = ['"']
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def source_table(source: Source) -> str:
    """The [[source]] table text for a source (unset fields left out)."""
    lines = ["[[source]]", f"name = {_toml_string(source.name)}", f"url = {_toml_string(source.url)}"]
    if source.branch:
        lines.append(f"branch = {_toml_string(source.branch)}")
    if source.language is not None:
        lines.append(f"language = {_toml_string(source.language)}")
    if source.since:
        lines.append(f"since = {_toml_string(source.since)}")
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    replace_atomically(path, text.encode("utf-8"), mode)


def add_source_to_config(path: Path, source: Source) -> None:
    """Append a [[source]] table to the settings file; ConfigError (one line) when the file
    is broken or the name is taken. Nothing else in the file changes."""
    source = replace(source, name=source.name.strip(), url=source.url.strip())
    text = _read(path)
    before = parse_config(text).sources if text.strip() else []
    if any(s.name == source.name for s in before):
        raise ConfigError(f"a source named {source.name!r} exists already (choose another with --name)")
    joined = text if not text or text.endswith("\n") else text + "\n"
    if joined.strip():
        joined += "\n"
    result = joined + source_table(source)
    try:
        after = parse_config(result).sources
    except ConfigError as err:
        raise ConfigError(f"{path}: a [[source]] table cannot be appended to this file ({err})") from None
    if after != [*before, source]:
        raise ConfigError(f"{path}: appending a [[source]] table would not add just this source; edit it by hand")
    _write(path, result)


def remove_source_from_config(path: Path, name: str) -> Source:
    """Cut the [[source]] table named `name` out of the settings file; the removed Source.
    ConfigError when there is none, or when the cut would change anything else."""
    import tomllib

    text = _read(path)
    before = parse_config(text).sources if text.strip() else []
    removed = next((s for s in before if s.name == name), None)
    if removed is None:
        names = ", ".join(s.name for s in before) or "none"
        raise ConfigError(f"no source named {name!r} (sources: {names})")
    lines = text.splitlines(keepends=True)
    start = end = None
    n = 0
    while n < len(lines):
        if _SOURCE_HEADER_RE.match(lines[n]):
            block_end = n + 1
            while block_end < len(lines) and not _ANY_HEADER_RE.match(lines[block_end]):
                block_end += 1
            try:
                table = tomllib.loads("".join(lines[n:block_end])).get("source", [{}])[0]
            except tomllib.TOMLDecodeError:
                table = {}
            if table.get("name", "").strip() == name:
                last_key = n
                for k in range(n + 1, block_end):  # comments after the last key belong to what follows
                    if _KEY_LINE_RE.match(lines[k]):
                        last_key = k
                start, end = n, last_key + 1
                while end < len(lines) and not lines[end].strip():
                    end += 1  # and the blank lines that separated it from the next table
                break
            n = block_end
        else:
            n += 1
    if start is None or end is None:
        raise ConfigError(f"{path}: source {name!r} is not written as a [[source]] table; remove it by hand")
    result = "".join(lines[:start] + lines[end:])
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

