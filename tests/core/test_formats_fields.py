"""The generator's and its forks' fields beyond the summaries, read from fixtures written here."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tui_reader.core.library.cache import ParseCache
from tui_reader.core.formats.jsonl import parse_jsonl_digest
from tui_reader.core.formats.markdown import split_authors
from tui_reader.core.library.load import load_library
from tui_reader.core.model import DUMP_KEYS, Paper, field_label, paper_record

FIELDS = Path(__file__).parent.parent / "fixtures" / "formats" / "fields"


def _library():
    return load_library([FIELDS])


def test_raw_and_ai_files_of_a_day_give_comment_pdf_and_code_link_with_stars():
    paper = _library().papers["2512.30001"]
    assert paper.comment == "Accepted at ICLR 2026; 12 pages, 5 figures"
    assert paper.pdf == "https://arxiv.org/pdf/2512.30001"
    assert paper.code_url == "https://github.com/gaze-lab/vl4gaze"
    assert paper.code_stars == 1234
    assert paper.code_last_update == "2025-12-20"
    assert paper.tldr == "Gaze following with a VLM."  # from the AI file, merged with the raw one


def test_the_first_templates_task_is_kept_and_failure_placeholders_are_missing():
    library = _library()
    assert library.papers["2503.15001"].task == "Make attention over hour-long videos affordable."
    failed = library.papers["2503.15002"]
    assert (failed.task, failed.motivation, failed.method, failed.result, failed.conclusion) == ("",) * 5


def test_a_forks_keywords_importance_and_other_keys_are_kept_in_file_order():
    paper = _library().papers["2601.05001"]
    assert paper.keywords == ["diffusion", "dexterous manipulation", "robotics"]
    assert paper.importance == 8
    assert paper.read_minutes == 12  # the reading time has a place of its own (sorting, `minutes:`)
    assert list(paper.extra) == ["key_contributions", "limitations", "future_work"]
    assert paper.extra["key_contributions"] == ["A diffusion policy for 24-DoF hands", "A benchmark of 40 objects"]
    assert [field_label(k) for k in paper.extra] == ["Key contributions", "Limitations", "Future work"]


def test_keywords_written_as_one_string_are_split_into_words():
    paper = _library().papers["2601.05002"]
    assert paper.keywords == ["benchmark", "evaluation"]
    assert paper.importance == 4.5


def test_an_astro_ph_record_keeps_background_and_data_as_extra_fields():
    paper = _library().papers["2601.06001"]
    assert paper.tldr == "Magnetars explain repeating FRBs."
    assert paper.extra == {"background": "FRB origins are debated.", "data": "CHIME/FRB catalogue 2."}
    assert paper.motivation == "" and paper.conclusion == ""


def test_chinese_korean_and_language_less_files_are_read_with_their_dates():
    library = _library()
    assert library.papers["2601.07001"].tldr.startswith("本文提出")
    assert library.papers["2601.08001"].tldr.startswith("대규모")
    assert library.papers["2601.09001"].date == "2026-01-09"
    assert not library.warnings


def test_a_collaboration_colon_is_never_an_author():
    assert _library().papers["2512.30002"].authors == ["NVIDIA", "Aaron Blakeman", "Aarti Basant"]
    assert split_authors("NVIDIA, :, Aaron Blakeman") == ["NVIDIA", "Aaron Blakeman"]


def _one(record: dict) -> tuple[Paper | None, list[str]]:
    record = {"id": "2601.00001", "title": "T", **record}
    digest = parse_jsonl_digest(json.dumps(record), "bad.jsonl", "2026-01-01")
    return (digest.papers[0] if digest.papers else None), digest.warnings


def test_wrong_types_are_shown_as_text_or_ignored_with_one_warning_naming_file_and_line():
    paper, warnings = _one({"code_stars": -5, "comment": {"a": 1},
                            "AI": {"tldr": "Kept.", "importance_score": "top pick", "keywords": 7}})
    assert paper is not None and paper.tldr == "Kept."
    assert paper.code_stars is None and paper.comment == "" and paper.keywords == []
    assert paper.importance is None and paper.extra == {"importance_score": "top pick"}  # shown as text
    assert len(warnings) == 3 and all(w.startswith("bad.jsonl:1: ") for w in warnings)


def test_a_huge_star_count_a_list_ai_block_and_a_non_web_code_link_are_ignored_with_warnings():
    paper, warnings = _one({"code_stars": 10**30, "code_url": "javascript:alert(1)", "AI": ["tldr", "x"]})
    assert paper is not None and paper.code_stars is None and paper.code_url == "" and paper.tldr == ""
    assert [w.split(": ", 1)[0] for w in warnings] == ["bad.jsonl:1"] * 3


def test_a_megabyte_comment_is_kept_as_one_line_of_text():
    paper, warnings = _one({"comment": "pages " * 200_000 + "\x1b[31m red"})
    assert paper is not None and len(paper.comment) > 1_000_000
    assert "\x1b" not in paper.comment and "\n" not in paper.comment and not warnings


def test_dump_records_carry_the_new_keys_in_order():
    record = paper_record(_library().papers["2601.05001"], str)
    assert tuple(record) == DUMP_KEYS
    assert record["keywords"][0] == "diffusion" and record["importance"] == 8
    assert record["extra"]["limitations"] == "Only simulated hands."
    assert json.loads(json.dumps(record)) == record


def test_the_parse_cache_gives_back_every_new_field(tmp_path, monkeypatch):
    import tui_reader.core.library.load as library_module

    with ParseCache.open(tmp_path) as cache:
        first = load_library([FIELDS], cache=cache)

    def no_parsing(path):
        raise AssertionError(f"{path} parsed again instead of read from the cache")

    monkeypatch.setattr(library_module, "read_digest_file", no_parsing)
    with ParseCache.open(tmp_path) as cache:
        second = load_library([FIELDS], cache=cache)
    assert [paper_record(p, str) for p in second.sorted_papers()] == \
        [paper_record(p, str) for p in first.sorted_papers()]
    assert second.papers["2601.05001"].extra["key_contributions"][1] == "A benchmark of 40 objects"

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_ai_keys = st.sampled_from(["tldr", "task", "keywords", "importance_score", "limitations",
                            "key_contributions", "summary_zh", "motivation", "\x1b[31m", ""])


@settings(max_examples=200, deadline=None)
@given(top=st.dictionaries(st.sampled_from(["comment", "pdf", "code_url", "code_stars", "code_last_update"]),
                           _json_values, max_size=5),
       ai=_json_values | st.dictionaries(_ai_keys, _json_values, max_size=6))
def test_any_json_in_the_new_fields_gives_a_paper_of_clean_typed_values(top, ai):
    paper, warnings = _one({**top, "AI": ai})
    assert paper is not None
    assert all(w.startswith("bad.jsonl:1: ") and "\n" not in w for w in warnings)
    texts = [paper.comment, paper.pdf, paper.code_url, paper.code_last_update, paper.task, *paper.keywords]
    for key, value in paper.extra.items():
        texts.append(key)
        texts.extend(value if isinstance(value, list) else [value])
    assert all(isinstance(t, str) for t in texts)
    assert not [c for t in texts for c in t if unicodedata.category(c) == "Cc" and c not in "\n\t"]
    assert paper.code_stars is None or (type(paper.code_stars) is int and paper.code_stars >= 0)
    assert paper.importance is None or type(paper.importance) in (int, float)
    json.dumps(paper_record(paper, str), allow_nan=False)
