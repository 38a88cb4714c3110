"""A fork's own fields in the detail pane (issue 26): affiliations under the authors, text
importance and reading time in the header, other fields under their own names; and the
language switch (L) for a day written in two languages."""
from __future__ import annotations

from pathlib import Path

from reader_helpers import wait_loaded, wait_settled

from tui_reader.core.config import Config

FORKS = Path(__file__).resolve().parents[1] / "fixtures" / "forks"
OTHER_SCHEMAS = [str(FORKS / "jsonl")]
BILINGUAL = [str(FORKS / "bilingual")]


async def test_the_pane_shows_a_forks_fields_under_their_own_names(make_app):
    app = make_app(paths=OTHER_SCHEMAS)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.main.detail.paper.id == "2602.03001"
        plain = app.main.detail.plain_text()
        authors = plain.index("Mira Castell, Obi Lindqvist")
        assert plain.index("Harbour Institute of Technology; Coastal Data Lab") > authors
        assert plain.index("Harbour Institute") < plain.index("Category ")  # under the authors
        assert "Score    高 (importance)" in plain and "Reading  7 min" in plain
        assert "AI comments\nStrong baseline comparisons; code promised." in plain
        assert "Affiliations" not in plain  # shown once, under the authors


async def test_l_switches_the_language_of_a_day_written_in_two(make_app):
    app = make_app(paths=BILINGUAL, config=Config(auto_read_delay=None, language="Chinese"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.main.detail.paper.tldr == "卫星每周绘制海带冠层地图。"
        await pilot.press("L")
        for _ in range(200):
            await pilot.pause(0.05)
            if app.main.detail.paper is not None and app.main.detail.paper.tldr.startswith("Satellites"):
                break
        assert app.source.language == "English"
        assert app.main.detail.paper.tldr == "Satellites map kelp canopies weekly."
        assert "Satellites map kelp" in app.main.detail.plain_text()


def test_detail_pane_of_a_fork_paper_at_120x40(make_app, snap_compare):
    assert snap_compare(make_app(paths=OTHER_SCHEMAS), terminal_size=(120, 40), run_before=wait_settled)
