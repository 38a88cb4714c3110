"""The generator's data files: `YYYY-MM-DD.jsonl` and `YYYY-MM-DD_AI_enhanced_<Language>.jsonl`."""
from __future__ import annotations

import json

from tui_reader.core.model import Appearance, Digest, Paper, abs_url, find_arxiv_id
from tui_reader.core.formats.text import clean_field
from tui_reader.core.formats.problems import ProblemLog
from tui_reader.core.formats.markdown import join_field_lines, real_names
from tui_reader.core.formats.record_fields import add_record_fields


def parse_jsonl_digest(text: str, source: str, date: str | None) -> Digest:
    """Parse JSON Lines (or one JSON array) of paper records; a bad line becomes a warning
    naming file:line and the other lines are kept."""
    text = text.lstrip("\ufeff")
    if "\r" in text:  # CRLF or old Mac line ends; the test is cheap, the copies are not
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = Digest(source=source, date=date, format="jsonl")
    problems = ProblemLog(digest)
    stripped = text.lstrip()
    if stripped.startswith("["):  # a .json file holding one array of records
        try:
            records = json.loads(stripped)
        except (ValueError, RecursionError) as err:
            problems.add(f"{source}: not valid JSON ({_reason(err)})")
            return digest
        if not isinstance(records, list):
            records = [records]
        for index, record in enumerate(records, start=1):
            _add_record(record, digest, problems, f"{source}: record {index}")
        problems.close()
        return digest
    for lineno, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as err:
            problems.add(f"{source}:{lineno}: not a JSON object ({_reason(err)}), skipped")
            continue
        _add_record(record, digest, problems, f"{source}:{lineno}")
    problems.close()
    return digest


def _reason(err: Exception) -> str:
    if isinstance(err, json.JSONDecodeError):
        return err.msg
    return type(err).__name__


def _text(value: object) -> str:
    """A record's text value as display text: lines joined, placeholders dropped."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value) if isinstance(value, (int, float)) else ""
    return clean_field(join_field_lines(value.split("\n")))


def _add_record(record: object, digest: Digest, problems: ProblemLog, where: str) -> None:
    if not isinstance(record, dict):
        problems.add(f"{where}: not a JSON object, skipped")
        return
    abs_field = record.get("abs")
    url = abs_field if isinstance(abs_field, str) else ""
    ident = find_arxiv_id(str(record.get("id", ""))) or (find_arxiv_id(url) if url else None)
    if ident is None:
        problems.add(f"{where}: no arXiv id, skipped")
        return
    paper_id, version = ident
    from_url = find_arxiv_id(url) if url else None
    link_version = from_url[1] if from_url is not None and from_url[0] == paper_id else None
    if version is None:
        version = link_version
    raw_categories = record.get("categories")
    if isinstance(raw_categories, str):
        raw_categories = raw_categories.replace(",", " ").split()
    categories = [c for c in (clean_field(str(c)) for c in raw_categories or [] if isinstance(c, str)) if c]
    categories = list(dict.fromkeys(categories))
    category = categories[0] if categories else ""
    raw_authors = record.get("authors")
    if isinstance(raw_authors, str):
        raw_authors = raw_authors.split(",")
    authors = real_names(clean_field(a) for a in raw_authors or [] if isinstance(a, str))
    title = record.get("title")
    paper = Paper(
        id=paper_id,
        version=version,
        title=clean_field(" ".join(title.split())) if isinstance(title, str) else "",
        authors=authors,
        category=category,
        categories=categories,
        url=abs_url(paper_id, link_version),  # built from the id: never a digest's host
        abstract=_text(record.get("summary")),
        appearances=[Appearance(source=digest.source, date=digest.date, category=category)],
    )
    add_record_fields(paper, record, record.get("AI"), _text,
                      lambda problem: problems.add(f"{where}: {problem}"))
    digest.papers.append(paper)
