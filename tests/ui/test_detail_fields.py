"""The detail pane shows a paper's comment, code link, keywords and a fork's fields (Rich Text,
cell-width wrapping for CJK), with snapshots at 120×40 and, for a Chinese summary, 80×24."""
from __future__ import annotations

from pathlib import Path

import pytest
from reader_helpers import wait_loaded, wait_settled
from rich.console import Console
from rich.text import Text

from tui_reader.core.model import Paper
from tui_reader.ui.widgets.detail_pane import (
    code_line, paper_body, paper_comment, paper_header, star_count, wrap_cells,
)

FIELDS = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "fields"
CODE_DAY = [str(FIELDS / "2025-12-30.jsonl"), str(FIELDS / "2025-12-30_AI_enhanced_English.jsonl")]
CHINESE = [str(FIELDS / "2026-01-07_AI_enhanced_Chinese.jsonl")]


def _paper(**fields) -> Paper:
    return Paper(id="2601.00001", title="T", **fields)


def test_star_counts_are_short():
    assert [star_count(n) for n in (0, 999, 1000, 1234, 12_500, 1_200_000)] == \
        ["0", "999", "1k", "1.2k", "12.5k", "1.2M"]


def test_a_github_link_is_shown_short_with_stars_and_another_host_whole_as_plain_text():
    github = code_line(_paper(code_url="https://github.com/owner/repo.git", code_stars=1234))
    assert github.plain == "github.com/owner/repo ★ 1.2k"
    assert any("underline" in str(span.style) for span in github.spans)
    lookalike = code_line(_paper(code_url="https://gіthub.com/owner/repo"))  # Cyrillic і
    assert lookalike.plain == "https://gіthub.com/owner/repo" and not lookalike.spans
    other = code_line(_paper(code_url="https://gitlab.com/nv/nemotron", code_stars=87))
    assert other.plain == "https://gitlab.com/nv/nemotron ★ 87" and not other.spans


def test_markup_in_fields_stays_text():
    paper = _paper(comment="[bold red]ICLR[/]", keywords=["[link=x]k[/link]"],
                   extra={"future_work": "[blink]soon[/]"})
    assert paper_comment(paper, False).plain == "[bold red]ICLR[/]"
    assert "[link=x]k[/link]" in paper_header(paper, False).plain
    assert "[blink]soon[/]" in paper_body(paper).plain


def test_extra_fields_follow_the_conclusion_under_their_own_names_and_lists_are_bullets():
    paper = _paper(task="The task.", conclusion="Concluded.", abstract="Abstract text.",
                   extra={"limitations": "Few.", "key_contributions": ["One", "Two"], "background": "Old."})
    plain = paper_body(paper).plain
    order = [plain.index(h) for h in ("Task", "Conclusion", "Limitations", "Key contributions",
                                      "Background", "Abstract")]
    assert order == sorted(order)
    assert "• One\n• Two" in plain


def test_a_long_comment_is_folded_until_expanded():
    paper = _paper(comment="pages " * 10_000)
    assert len(paper_comment(paper, False).plain) < 500
    assert len(paper_comment(paper, True).plain) == len(paper.comment)


CHINESE_TLDR = "TL;DR 本文提出一种基于大语言模型的古典诗词生成方法，显著提升了格律与意境的一致性。"


@pytest.mark.parametrize("width", [2, 7, 11, 20, 33])
def test_chinese_text_wraps_by_cell_width_without_half_characters(width):
    lines = wrap_cells(Text(CHINESE_TLDR), Console(width=200), width)
    assert all(line.cell_len <= width for line in lines)
    assert "".join(line.plain for line in lines).replace("TL;DR", "TL;DR ", 1) == CHINESE_TLDR \
        or "".join(line.plain for line in lines) == CHINESE_TLDR  # only the space at a break goes
    assert not any(line.plain.startswith(("，", "。")) for line in lines[1:]) or width < 4


def test_chinese_text_fills_the_line_after_a_latin_label_instead_of_starting_a_new_one():
    lines = wrap_cells(Text(CHINESE_TLDR), Console(width=200), 20)
    assert lines[0].plain.startswith("TL;DR 本文") and lines[0].cell_len >= 19


def test_latin_words_among_wide_characters_are_not_split():
    lines = wrap_cells(Text("模型 VL4Gaze achieves 最好的 results"), Console(width=200), 12)
    assert [line.plain for line in lines] == ["模型 VL4Gaze", "achieves 最", "好的 results"]


GLUED = "本文采用Myerson引理和WAN2.1模型，并提出了新的生成框架与训练方法。"


@pytest.mark.parametrize("width", range(8, 30))
def test_latin_words_glued_to_chinese_characters_stay_whole_at_every_width(width):
    """Issue 29: Chinese breaks between any two characters, `Myerson` and `WAN2.1` never."""
    rows = [line.plain for line in wrap_cells(Text(GLUED), Console(width=200), width)]
    assert "".join(rows) == GLUED
    assert all(Text(row).cell_len <= width for row in rows)
    assert sum("Myerson" in row for row in rows) == 1 and sum("WAN2.1" in row for row in rows) == 1
    assert not any(row.startswith("，") for row in rows[1:])


def test_styles_survive_the_cell_wrap():
    text = Text("格律约束")
    text.stylize("bold", 0, 2)
    first = wrap_cells(text, Console(width=200), 4)[0]
    assert first.plain == "格律" and first.spans and first.spans[0].style == "bold"


async def test_the_pane_shows_comment_under_the_title_code_and_keywords(make_app):
    app = make_app(paths=CODE_DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.main.detail.paper.id == "2512.30001"
        kinds = [kind for _, kind in app.main.detail._lines]
        last_title = max(i for i, kind in enumerate(kinds) if kind == "title")
        assert kinds[last_title + 1] == "comment"  # right under the title, no blank between
        assert app.main.detail._lines[last_title + 1][0].plain == "Accepted at ICLR 2026; 12 pages, 5 figures"
        plain = app.main.detail.plain_text()
        assert "Code     github.com/gaze-lab/vl4gaze ★ 1.2k · updated 2025-12-20" in plain
        assert "Keywords gaze following · vision-language models" in plain
        assert plain.index("Conclusion") < plain.index("Limitations") < plain.index("Abstract")


async def test_a_chinese_title_wraps_in_the_pane_and_truncates_in_the_list_by_cell_width(make_app):
    app = make_app(paths=CHINESE)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        width = app.main.detail.scrollable_content_region.width
        assert app.main.detail.paper.id == "2601.07000"
        title_lines = [line for line, kind in app.main.detail._lines if kind == "title"]
        assert len(title_lines) > 1 and all(line.cell_len <= width - 2 for line in title_lines)
        assert "".join(line.plain for line in title_lines) == app.main.detail.paper.title
        assert all(line.cell_len <= width - 2 for line, _ in app.main.detail._lines)
        row = app.main.paper_list.render_line(0)
        assert row.cell_length == app.main.paper_list.size.width
        assert "面向长视频" in row.text and "…" in row.text


def test_detail_pane_with_comment_code_and_keywords_at_120x40(make_app, snap_compare):
    assert snap_compare(make_app(paths=CODE_DAY), terminal_size=(120, 40), run_before=wait_settled)


def test_chinese_summary_paper_at_80x24(make_app, snap_compare):
    assert snap_compare(make_app(paths=CHINESE), terminal_size=(80, 24), run_before=wait_settled)


async def test_d_opens_the_pdf_and_c_the_code_link_only_when_it_is_one(reader, monkeypatch, notifications):
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    opened: list[str] = []
    async with reader(paths=CODE_DAY, notifications=True) as pilot:
        app = pilot.app
        app.open_in_browser = opened.append
        await pilot.press("d", "c")
        await app.workers.wait_for_complete()
        assert opened == ["https://arxiv.org/pdf/2512.30001", "https://github.com/gaze-lab/vl4gaze"]
        await pilot.press("G", "c")  # the paper without a code link
        await pilot.pause()
        assert any("no code link" in message for message in notifications)
        assert len(opened) == 2
