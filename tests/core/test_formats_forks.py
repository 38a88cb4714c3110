"""The shapes forks and pull requests of the generator write (issue 26), read from fixtures
written here, checked through `tui-reader dump` run as a real process and through the core."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui_reader.core.library.load import day_languages, find_digest_files, load_library
from tui_reader.core.library.order import sort_papers
from tui_reader.core.search.query import filter_papers, parse_query

FORKS = Path(__file__).resolve().parents[1] / "fixtures" / "forks"
MARKDOWN = FORKS / "markdown"
JSONL = FORKS / "jsonl"
LAYOUT = FORKS / "layout"
BILINGUAL = FORKS / "bilingual"


def dump(tmp_path: Path, *args: str) -> tuple[dict[str, dict], str]:
    """`tui-reader dump ARGS` in a fresh process with its own home: papers by id, stderr."""
    env = {**os.environ, "TUI_READER_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "tui_reader", "dump", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    papers = [json.loads(line) for line in done.stdout.splitlines()]
    return {p["id"]: p for p in papers}, done.stderr


def test_a_metadata_line_with_several_fields_gives_the_category_and_fields_of_their_own(tmp_path):
    papers, _ = dump(tmp_path, str(MARKDOWN))
    lantern = papers["2602.01001"]
    assert lantern["category"] == "cs.CV" and lantern["categories"] == ["cs.CV"]
    assert lantern["importance"] == "High"
    assert lantern["extra"]["Domain"] == "Document imaging"


def test_a_plain_unknown_label_after_the_tldr_is_a_field_never_glued_onto_it(tmp_path):
    papers, _ = dump(tmp_path, str(MARKDOWN))
    lantern = papers["2602.01001"]
    assert lantern["tldr"] == "Ultraviolet photographs bring back ink that visible light no longer shows."
    assert lantern["extra"]["Ranking Relevance"] == "8/10, close to the reader's interest in archives"
    assert lantern["motivation"] == "Iron-gall ink fades until the page looks blank."


def test_catalog_is_the_category_and_source_a_field(tmp_path):
    papers, _ = dump(tmp_path, str(MARKDOWN))
    pebble = papers["2602.01002"]
    assert pebble["category"] == "cs.CV" and pebble["extra"] == {"Source": "arXiv"}
    assert pebble["importance"] == "低"  # a plain 'Importance: 低' line
    assert pebble["tldr"] == "A drone survey counts beach pebbles by size class."


def test_a_one_line_summary_under_another_label_is_the_summary_and_is_searched(tmp_path):
    papers, _ = dump(tmp_path, str(MARKDOWN))
    assert papers["2602.01003"]["tldr"] == "Thermal video finds herons that reeds hide from ordinary cameras."
    assert papers["2602.01003"]["extra"] == {}
    found, _ = dump(tmp_path, "--query", "tldr:thermal", str(MARKDOWN))
    assert list(found) == ["2602.01003"]


def test_blockquoted_bold_labels_are_each_kept_under_their_own_name(tmp_path):
    papers, stderr = dump(tmp_path, str(MARKDOWN))
    quay = papers["2602.01004"]
    assert quay["tldr"] == "Fixed cameras on the harbour wall measure the slack of mooring lines."
    assert quay["extra"]["ai_Abstract"].startswith("The paper watches mooring lines")
    assert quay["extra"]["摘要翻译"] == "本文用港口墙上的摄像头观察系泊缆绳，估计其松弛程度。"
    assert quay["abstract"] == "Mooring lines slacken with the tide. Cameras on the quay measure them."
    assert quay["importance"] == "Medium"


def test_an_unlabelled_metadata_part_is_kept_with_one_warning_naming_file_and_line(tmp_path):
    papers, stderr = dump(tmp_path, str(MARKDOWN))
    assert papers["2602.01004"]["extra"]["Metadata"] == "Harbour cameras"
    warnings = [line for line in stderr.splitlines() if "Harbour cameras" in line]
    assert len(warnings) == 1 and "2026-02-02.md:58:" in warnings[0]
    assert "Traceback" not in stderr


def test_jsonl_ai_objects_of_other_schemas_keep_every_field(tmp_path):
    papers, _ = dump(tmp_path, str(JSONL))
    tide = papers["2602.03001"]
    assert tide["importance"] == "高" and tide["read_minutes"] == 7
    assert tide["comment"] == "9 pages, 3 figures"  # arXiv's comment
    assert tide["extra"] == {"author_affiliation": "Harbour Institute of Technology; Coastal Data Lab",
                             "comments": "Strong baseline comparisons; code promised."}
    solver = papers["2602.03002"]
    assert solver["tldr"] == "" and solver["method"] == "Perturb the input slightly and solve twice."
    assert list(solver["extra"]) == ["problem", "experiment"]
    eleven = papers["2602.03003"]
    assert len(eleven["extra"]) == 11 and eleven["extra"]["findings"] == "Half the weights go, accuracy stays."
    bilingual = papers["2602.03004"]
    assert bilingual["importance"] == 6
    assert bilingual["extra"] == {"summary_zh": "用两种语言总结图论论文。", "title_translation": "图论论文的双语标题"}


def test_a_missing_ai_object_and_placeholders_count_as_missing(tmp_path):
    papers, _ = dump(tmp_path, str(JSONL))
    failed = papers["2602.03005"]
    assert failed["abstract"] and not failed["tldr"] and failed["extra"] == {}
    placeholders = papers["2602.03006"]
    assert placeholders["tldr"] == "" and placeholders["motivation"] == ""
    assert placeholders["method"] == "A real method line." and placeholders["extra"] == {}


def test_the_month_folder_layout_with_a_jsonl_md_name_is_read_as_markdown(tmp_path):
    papers, _ = dump(tmp_path, str(LAYOUT))
    towel = papers["2602.02001"]
    assert towel["date"] == "2026-02-03" and towel["category"] == "cs.RO"
    assert towel["tldr"] == "One continuous motion folds a towel without regrasping."


def test_a_day_in_two_languages_shows_english_by_default_and_the_one_asked_for(tmp_path):
    english, _ = dump(tmp_path, str(BILINGUAL))
    assert english["2602.04001"]["tldr"] == "Satellites map kelp canopies weekly."
    assert english["2602.04001"]["sources"] == [str(BILINGUAL / "2026-02-05_AI_enhanced_English.jsonl")]
    chinese, _ = dump(tmp_path, "--language", "chinese", str(BILINGUAL))
    assert chinese["2602.04001"]["tldr"] == "卫星每周绘制海带冠层地图。"
    assert chinese["2602.04002"]["motivation"].startswith("新的叶片形状")


def test_the_settings_language_chooses_when_no_flag_does(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "config.toml").write_text('language = "Chinese"\n', encoding="utf-8")
    papers, _ = dump(tmp_path, str(BILINGUAL))
    assert papers["2602.04002"]["tldr"] == "新的叶片形状使风扇噪音降低三分之一。"


def test_the_languages_to_switch_between_are_those_of_days_written_in_several():
    assert day_languages([BILINGUAL]) == ["English", "Chinese"]
    assert day_languages([JSONL, MARKDOWN]) == []
    names = [p.name for p in find_digest_files([BILINGUAL], [], "Chinese")]
    assert names == ["2026-02-05_AI_enhanced_Chinese.jsonl"]


def test_text_levels_sort_high_medium_low_and_numbers_keep_their_order():
    papers = list(load_library([MARKDOWN]).papers.values())
    ordered = [p.importance for p in sort_papers(papers, "importance")]
    assert ordered == ["High", "Medium", "低", None]
    chinese = list(load_library([JSONL]).papers.values())
    assert [p.importance for p in sort_papers(chinese, "importance")][:4] == [6, "高", "中", "低"]


def test_importance_and_reading_time_in_search():
    papers = list(load_library([MARKDOWN, JSONL]).papers.values())

    def ids(text: str) -> set[str]:
        found = {p.id for p in filter_papers(papers, text)}
        query = parse_query(text)  # the one-paper path agrees with the index
        assert found == {p.id for p in papers if query.matches(p, None)}
        return found

    assert ids("importance:>=5") == {"2602.03004"}  # numbers only: a level is not a number
    assert ids("importance:high") == {"2602.01001", "2602.03001"}
    assert ids("importance:>=medium") == {"2602.01001", "2602.01004", "2602.03001", "2602.03002"}
    assert ids("importance:<中") == {"2602.01002", "2602.03003"}
    assert ids("minutes:<=10") == {"2602.03001"} and ids("has:minutes") == {"2602.03001"}
    assert ids("harbour institute") == {"2602.03001"}  # affiliations are searched
    assert ids("interest in archives") == ids("document imaging") == {"2602.01001"}  # own fields searched
    assert ids("摘要翻译") == set() and ids("系泊缆绳") == {"2602.01004"}  # values, not labels


@pytest.mark.parametrize("config", ['language = 7\n'])
def test_a_bad_language_setting_is_one_clear_error(config):
    from tui_reader.core.config import ConfigError, parse_config

    with pytest.raises(ConfigError, match="language must be a string"):
        parse_config(config)


def test_the_json_and_csv_exports_keep_a_forks_fields(tmp_path):
    env = {**os.environ, "TUI_READER_HOME": str(tmp_path / "home")}
    for fmt in ("json", "csv"):
        done = subprocess.run([sys.executable, "-m", "tui_reader", "export", "-f", fmt, "-o", str(tmp_path / fmt),
                               str(JSONL), str(MARKDOWN)], capture_output=True, text=True, env=env, timeout=120,
                              check=False)
        assert done.returncode == 0, done.stderr
    records = {r["id"]: r for r in json.loads((tmp_path / "json").read_text(encoding="utf-8"))}
    assert records["2602.03001"]["importance"] == "高" and records["2602.03001"]["read_minutes"] == 7
    assert records["2602.01004"]["extra"]["摘要翻译"].startswith("本文")
    import csv

    rows = {r["id"]: r for r in csv.DictReader((tmp_path / "csv").open(encoding="utf-8"))}
    assert rows["2602.01001"]["importance"] == "High"
    assert rows["2602.01001"]["extra"] == ("Domain: Document imaging | "
                                          "Ranking Relevance: 8/10, close to the reader's interest in archives")
    assert rows["2602.03001"]["read_minutes"] == "7"


def test_a_text_importance_gives_the_ranker_its_band_and_never_breaks_it():
    from tui_reader.core.rank.features import IMPORTANCE_PREFIX, importance_tokens

    assert importance_tokens("High") == [f"{IMPORTANCE_PREFIX}high"]
    assert importance_tokens("低") == [f"{IMPORTANCE_PREFIX}low"]
    assert importance_tokens("someday") == []
    assert importance_tokens(8) == [f"{IMPORTANCE_PREFIX}8", f"{IMPORTANCE_PREFIX}high"]


def test_importance_is_shown_as_written_whether_number_or_level():
    """What the detail pane and For you's explanation show (a level once broke `:g`)."""
    from tui_reader.core.formats.importance import shown_importance

    assert [shown_importance(v) for v in (8, 7.5, "High", "高")] == ["8", "7.5", "High", "高"]
