"""Issue 28/29: the reader at 80x24, 100x30, 120x40 and 160x50 on the sample digest and on a
few real days: no count cut in the tree, no label run into its value, no notice over the
paper's text, the TL;DR on the first screen of a paper, the year in dates across years."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from reader_helpers import wait_loaded, wait_settled
from test_hostile_ui import screen_text
from textual.widgets._toast import Toast

from tui_reader.core.config import Config
from tui_reader.core.model import Paper
from tui_reader.ui.screens.help import HelpScreen, help_table
from tui_reader.ui.state import SORTS
from tui_reader.ui.screens.paper import PaperScreen
from tui_reader.ui.widgets.category_tree import fit_name, short_day
from tui_reader.ui.widgets.detail_pane import authors_line, paper_header
from tui_reader.ui.widgets.reader_header import fit_title

SIZES = [(80, 24), (100, 30), (120, 40), (160, 50)]
REAL = Path(__file__).resolve().parents[3] / "shared" / "real" / "2025-q4"
REAL_DAYS = ["2025-10-01", "2025-10-02", "2025-10-03"]
TREE_GUIDES = re.compile(r"^[▼▶├└│ ]*")


def real_days() -> list[str]:
    files = [REAL / f"{day}_AI_enhanced_Chinese.jsonl" for day in REAL_DAYS]
    if not all(path.is_file() for path in files):
        pytest.skip("../shared/real/2025-q4 is not present")
    return [str(path) for path in files]


@pytest.fixture(params=["sample", "real"])
def library(request, sample_digest) -> list[str]:
    return [str(sample_digest)] if request.param == "sample" else real_days()


def tree_rows(app) -> list[str]:
    """The tree's rows as shown: the cells left of its border, guides taken off."""
    tree = app.main.category_tree
    if not tree.display or tree.region.width == 0:
        return []
    left, top, width, height = tree.region
    lines = screen_text(app).splitlines()[top:top + height]
    return [TREE_GUIDES.sub("", line[left:left + width - 1]).rstrip() for line in lines]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_tree_labels_are_whole_and_the_tldr_is_on_the_first_screen(make_app, library, size):
    app = make_app(paths=library, config=Config(auto_read_delay=None))
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_settled(pilot)
        # For you's first notice is up by now (tests wait for no clock) and may lie over the
        # tree; this part is about the labels, the notice's place is checked below.
        app.clear_notifications()
        await pilot.pause()
        tree = app.main.category_tree
        labels = {tree.label_text(key) for key in tree._nodes_by_key}
        shown = [row for row in tree_rows(app) if row]
        assert shown, "the tree is shown at every size from 80 columns"
        for row in shown:  # a label cut (a count split, a scrollbar over it) is in no label
            assert row in labels, f"{row!r} is not a whole label"
        # A notice sits over the list, never over the paper's text.
        app.notify("For you: star or dismiss a few papers and this list learns what you like")
        await pilot.pause(0.3)
        toasts = list(app.screen.query(Toast))
        assert toasts and not any(t.region.overlaps(app.main.detail.region) for t in toasts)
        # The paper opened: its TL;DR is on the first screen.
        await pilot.press("j", "enter")
        await pilot.pause(0.2)
        screen = app.screen
        if size[0] < 100:
            assert isinstance(screen, PaperScreen)
        paper = app.main.current_paper().paper
        assert paper.tldr
        text = screen_text(app)
        assert "TL;DR" in text
        assert "Dismissed" not in text or "Dismissed " in text
        header = text.splitlines()[0] if not isinstance(screen, PaperScreen) else ""
        assert not header or "/" in header  # the node and the cursor's place kept first


async def test_a_count_that_grows_after_the_first_frame_widens_the_tree_instead_of_being_cut(reader):
    async with reader(size=(120, 40)) as pilot:
        app = pilot.app
        tree = app.main.category_tree
        width = tree.region.width
        node = tree._nodes_by_key["starred"]
        tree._label = lambda key, label=tree._label: (  # a long count, as For you's `6 new` after `0`
            label(key).append(" 12345 new/67890") if key == "starred" else label(key))
        tree.refresh_counts(["starred"])
        await pilot.pause()
        assert tree.region.width > width
        assert str(node.label) in [row for row in tree_rows(app)]


async def test_dates_show_the_year_when_the_library_spans_years(make_app, tmp_path):
    def day(date: str, paper_id: str) -> Path:
        path = tmp_path / f"{date}.md"
        path.write_text(f"# {date}\n\n## cs.CV\n\n### [Paper of {date}](https://arxiv.org/abs/{paper_id})\n"
                        f"**Authors:** A. Person\n**TL;DR:** short.\n", encoding="utf-8")
        return path

    for spanning, files in ((True, [day("2024-12-31", "2412.00001"), day("2025-01-02", "2501.00001")]),
                            (False, [day("2025-01-03", "2501.00002")])):
        app = make_app(paths=[str(path) for path in files])
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_loaded(pilot)
            rows = [app.main.paper_list.row_text(r, 66).plain for r in range(len(app.main.paper_list.rows))]
            assert rows and all(("20" in row.split()[-1]) == spanning for row in rows), rows
        for path in files:
            path.unlink()


def test_a_label_never_runs_into_its_value():
    paper = Paper(id="2501.00001", title="t")
    text = paper_header(paper, False, about=(("Dismissed", "not interested"), ("Why", "cs.CV")))
    assert "Dismissed not interested" in text.plain and "Why      cs.CV" in text.plain


def test_authors_fold_to_one_row_with_a_count():
    authors = [f"Author{n:02d} Surname" for n in range(40)]
    line = authors_line(authors, 60)
    assert line.cell_len <= 60 and line.plain.endswith("+38 (a: all)") or "(a: all)" in line.plain
    assert authors_line(["A. One", "B. Two"], 60).plain == "A. One, B. Two"
    assert authors_line(["Someone With A Very Long Name Indeed"], 20).cell_len <= 20


def test_day_labels_shorten_and_names_give_way_to_counts():
    assert short_day("2025-06-07 repeats", True) == "06-07 rep"
    assert short_day("2025-06-07 repeats", False) == "2025-06-07 rep"
    assert short_day("2025-06-07", True) == "06-07"
    assert fit_name("⌕ a very long saved search", 8).endswith("…")


def test_the_header_drops_the_least_important_parts_first():
    sub = "2025-10-03/cs.CV 12/345 · 790 unread · 3 starred · 3 days + 1 of repeats"
    assert fit_title("tui-reader", sub, 200) == "tui-reader — " + sub
    assert fit_title("tui-reader", sub, 60) == "2025-10-03/cs.CV 12/345 · 790 unread · 3 starred"
    assert fit_title("tui-reader", sub, 30) == "2025-10-03/cs.CV 12/345"


def test_help_lists_every_sort_order():
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(help_table())
    shown = console.export_text()
    for name in ("digest order", "newest", "title", "relevance", "stars", "importance"):
        assert name in shown
    assert len(SORTS) == 6 and HelpScreen is not None
