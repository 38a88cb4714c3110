"""`dump` and `export` carry the generator's extra fields (fixtures in tests/fixtures/formats/fields)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import bibtexparser

from tui_reader.cli import main
from tui_reader.core.model import DUMP_KEYS


def _run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_dump_lines_carry_comment_pdf_code_task_keywords_importance_and_extra(home, capsys, fixtures: Path):
    lines = _run(capsys, "dump", str(fixtures / "formats" / "fields")).splitlines()
    records = {r["id"]: r for r in map(json.loads, lines)}
    assert all(tuple(r)[:len(DUMP_KEYS)] == DUMP_KEYS and "dismissed" in r for r in records.values())
    gaze = records["2512.30001"]
    assert gaze["comment"].startswith("Accepted at ICLR 2026")
    assert (gaze["code_url"], gaze["code_stars"]) == ("https://github.com/gaze-lab/vl4gaze", 1234)
    assert gaze["pdf"] == "https://arxiv.org/pdf/2512.30001"
    assert gaze["keywords"] == ["gaze following", "vision-language models"] and gaze["importance"] is None
    assert gaze["extra"] == {"limitations": "Struggles when the face is hidden."}
    assert records["2512.30003"]["keywords"] == [] and records["2512.30003"]["extra"] == {}
    assert records["2503.15001"]["task"].startswith("Make attention")
    fork = records["2601.05001"]
    assert fork["keywords"][0] == "diffusion" and fork["importance"] == 8
    assert fork["extra"]["future_work"] == "Transfer to real hardware."
    assert records["2601.06001"]["extra"]["background"] == "FRB origins are debated."
    assert records["2601.07001"]["tldr"].startswith("本文提出")


def test_dump_query_on_the_new_fields(home, capsys, fixtures: Path):
    folder = str(fixtures / "formats" / "fields")
    ids = [json.loads(line)["id"] for line in _run(capsys, "dump", "--query", "has:code comment:iclr", folder).splitlines()]
    assert ids == ["2512.30001"]
    ids = [json.loads(line)["id"] for line in _run(capsys, "dump", "-q", "importance:>=7", folder).splitlines()]
    assert ids == ["2601.05001"]


def test_bibtex_export_has_note_url_braced_capitals_and_no_colon_author(home, capsys, fixtures: Path):
    out = _run(capsys, "export", "-f", "bibtex", "-q", "has:code", str(fixtures / "formats" / "fields"))
    entries = {e["eprint"]: e for e in bibtexparser.parse_string(out).entries}
    gaze = entries["2512.30001"]
    assert gaze["note"] == "Accepted at ICLR 2026; 12 pages, 5 figures"
    assert gaze["url"] == "https://arxiv.org/abs/2512.30001"
    assert gaze["title"].startswith("{VL4Gaze}: Gaze Following with Vision-Language Models")
    assert entries["2512.30002"]["author"] == "NVIDIA and Aaron Blakeman and Aarti Basant"


def test_markdown_and_csv_exports_show_the_comment_and_the_code_link(home, capsys, fixtures: Path):
    folder = str(fixtures / "formats" / "fields")
    text = _run(capsys, "export", "-f", "markdown", "-q", "id:2512.30001", folder)
    assert "**Comment:** Accepted at ICLR 2026; 12 pages, 5 figures" in text
    assert "**Code:** <https://github.com/gaze-lab/vl4gaze> (1,234 stars)" in text
    rows = list(csv.DictReader(io.StringIO(_run(capsys, "export", "-f", "csv", "-q", "kw:diffusion", folder))))
    assert rows[0]["comment"] == "RSS 2026" and rows[0]["keywords"].startswith("diffusion; dexterous")
    rows = list(csv.DictReader(io.StringIO(_run(capsys, "export", "-f", "csv", "-q", "has:code", folder))))
    assert {r["code_url"] for r in rows} == {"https://github.com/gaze-lab/vl4gaze", "https://gitlab.com/nv/nemotron"}


def test_json_export_carries_every_field(home, capsys, fixtures: Path):
    records = json.loads(_run(capsys, "export", "-f", "json", "-q", "kw:diffusion", str(fixtures / "formats" / "fields")))
    assert set(DUMP_KEYS) <= set(records[0])
    assert records[0]["extra"]["key_contributions"] == ["A diffusion policy for 24-DoF hands", "A benchmark of 40 objects"]
