"""Lone surrogates (from a JSON `\\ud800` escape) become
U+FFFD where text enters the model and the state, so no output can fail to encode."""
from __future__ import annotations

import json

import pytest

from tui_reader.core.export.papers import FORMATS as EXPORT_FORMATS, export_papers
from tui_reader.core.formats import parse_digest
from tui_reader.core.model import paper_record
from tui_reader.core.state.backup import parse_backup
from tui_reader.core.formats.text import clean_field, render_latex, strip_controls

SURROGATE_RECORD = (
    '{"id": "2512.20735", "title": "Bad \\ud800 title", "authors": ["A \\udfff"],'
    ' "categories": ["cs.\\ud83d"], "summary": "abs \\udc80 tail",'
    ' "AI": {"tldr": "x\\ud800\\ud800y", "method": "\\ud83d\\ude00 paired is fine"}}'
)


def _encodes(text: str) -> bool:
    text.encode("utf-8")
    return True


def test_a_jsonl_record_with_lone_surrogates_gives_encodable_text():
    [paper] = parse_digest(SURROGATE_RECORD, "x.jsonl", None).papers
    assert paper.title == "Bad \ufffd title"
    assert paper.authors == ["A \ufffd"] and paper.tldr == "x\ufffd\ufffdy"
    assert paper.method == "\U0001F600 paired is fine"  # a real pair decodes to its character
    assert _encodes(json.dumps(paper_record(paper, render_latex), ensure_ascii=False))


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_format_encodes_a_paper_that_had_lone_surrogates(fmt):
    [paper] = parse_digest(SURROGATE_RECORD, "x.jsonl", None).papers
    assert _encodes(export_papers([paper], {}, fmt))


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\ud800\x1b[2J", "é\udc80"])
def test_cleaning_text_replaces_lone_surrogates(text):
    assert _encodes(clean_field(text)) and _encodes(strip_controls(text))
    assert "\ufffd" in strip_controls(text)


def test_a_backup_note_and_tag_with_lone_surrogates_are_imported_as_replacement_characters():
    document = ('{"format": "tui-reader-state", "version": 1, "marks": [{"id": "2512.20735",'
                ' "note": "note \\ud800 here", "note_changed_at": "2025-01-01T00:00:00Z",'
                ' "tags": ["t\\udfff"], "tags_changed_at": "2025-01-01T00:00:00Z"}]}')
    [record] = parse_backup(document.encode())
    assert record["note"] == "note \ufffd here" and record["tags"] == ["t\ufffd"]


def test_a_note_and_tags_with_lone_surrogates_are_stored_as_replacement_characters(tmp_path):
    from tui_reader.core.state.backup import backup_text
    from tui_reader.core.state.store import Mark, Store

    with Store.open(tmp_path / "state.sqlite3") as store:
        store.set_note("2512.20735", "half \ud800 pair")
        store.set_tags("2512.20735", ["t\udfff"])
        store.restore([Mark("2512.20736", note="undo \udc80")])
        assert store.get("2512.20735").note == "half \ufffd pair"
        assert store.get("2512.20735").tags == ("t\ufffd",)
        assert store.get("2512.20736").note == "undo \ufffd"
        assert _encodes(backup_text(store.records()))
