"""For you on the command line: mark --dismiss, dump --sort relevance, export --top, hide rules."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tui_reader.cli import main

WORDS = {
    "cs.CV": "video diffusion temporal frames generation motion denoising latent".split(),
    "cs.LO": "theorem prover lean formal proofs tactic lemma verification".split(),
}


def _digest(day: str, first: int, count: int, rng: random.Random) -> str:
    parts = []
    for category in WORDS:
        parts.append(f"# {category} [[Back]](#toc)\n")
        for n in range(first, first + count):
            pick = lambda k: " ".join(rng.choice(WORDS[category]) for _ in range(k))  # noqa: E731
            number = n if category == "cs.CV" else n + 500
            parts.append(f"### [{number}] [{pick(6).title()}](https://arxiv.org/abs/2502.{number:05d})\n"
                         f"*Author {rng.randrange(50)},Author {rng.randrange(50)}*\n\n"
                         f"Main category: {category}\n\nTL;DR: {pick(20)}.\n\n")
    return "\n".join(parts)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    rng = random.Random(11)
    folder = tmp_path / "digests"
    folder.mkdir()
    (folder / "2025-02-14.md").write_text(_digest("2025-02-14", 1, 12, rng), encoding="utf-8")
    (folder / "2025-02-15.md").write_text(_digest("2025-02-15", 101, 12, rng), encoding="utf-8")
    return folder


def run(capsys: pytest.CaptureFixture, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def _teach(capsys: pytest.CaptureFixture) -> None:
    """Stars four video papers of the first day, dismisses four proof papers, reads one."""
    assert run(capsys, "mark", "--star", "2502.00001", "2502.00002", "2502.00003", "2502.00004")[0] == 0
    code, out, _ = run(capsys, "mark", "--dismiss", "2502.00501", "2502.00502", "2502.00503", "2502.00504")
    assert code == 0 and out.startswith("dismissed: 4 papers")
    run(capsys, "mark", "--read", "2502.00005")


def test_dump_shows_which_papers_are_dismissed(home: Path, library: Path, capsys) -> None:
    run(capsys, "mark", "--dismiss", "2502.00501")
    code, out, _ = run(capsys, "dump", str(library))
    records = {r["id"]: r for r in lines(out)}
    assert code == 0 and len(records) == 48
    assert records["2502.00501"]["dismissed"] is True
    assert records["2502.00001"]["dismissed"] is False
    run(capsys, "mark", "--undismiss", "2502.00501")
    assert {r["id"]: r for r in lines(run(capsys, "dump", str(library))[1])}["2502.00501"]["dismissed"] is False


def test_dump_sort_relevance_puts_the_starred_topic_first_across_days(home: Path, library: Path, capsys) -> None:
    _teach(capsys)
    code, out, err = run(capsys, "dump", "--sort", "relevance", str(library))
    records = lines(out)
    assert code == 0 and not err
    ids = [r["id"] for r in records]
    left_out = {"2502.00501", "2502.00502", "2502.00503", "2502.00504", "2502.00005"}
    assert not left_out & set(ids) and len(ids) == 48 - len(left_out)
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    unread_video = 24 - 5  # four starred stay in (starred is not read), one read leaves
    assert all(r["category"] == "cs.CV" for r in records[:unread_video])
    assert {r["date"] for r in records[:unread_video]} == {"2025-02-14", "2025-02-15"}


def test_dump_sort_relevance_is_the_order_the_core_gives_the_reader(home: Path, library: Path, capsys) -> None:
    from tui_reader.core.library.load import load_library
    from tui_reader.core.rank.ranker import rank_papers
    from tui_reader.core.state.store import Store

    _teach(capsys)
    out = run(capsys, "dump", "--sort", "relevance", str(library))[1]
    papers = load_library([str(library)]).sorted_papers()
    with Store.open(home / "state.sqlite3") as store:
        marks = store.marks()
    _model, order, _scores = rank_papers(papers, marks)
    assert [r["id"] for r in lines(out)] == [papers[i].id for i in order]


def test_without_enough_stars_relevance_says_how_to_teach_it(home: Path, library: Path, capsys) -> None:
    code, out, err = run(capsys, "dump", "--sort", "relevance", str(library))
    assert code == 0 and "star or dismiss a few papers" in err and err.count("\n") == 1
    assert len(lines(out)) == 48


def test_export_top_gives_the_best_unread_papers(home: Path, library: Path, capsys) -> None:
    _teach(capsys)
    code, out, _ = run(capsys, "export", "--top", "5", "-f", "json", str(library))
    exported = json.loads(out)
    assert code == 0 and len(exported) == 5
    assert all(p["category"] == "cs.CV" and not p["read"] for p in exported)
    relevance = lines(run(capsys, "dump", "--sort", "relevance", str(library))[1])
    assert [p["id"] for p in exported] == [r["id"] for r in relevance[:5]]


@pytest.mark.parametrize("bad", ["0", "-3", "many"])
def test_export_top_refuses_a_count_that_is_not_one(home: Path, library: Path, capsys, bad: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["export", f"--top={bad}", str(library)])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and not out and "count of papers" in err


def test_hide_rules_leave_papers_out_of_dump_and_export_unless_asked(home: Path, library: Path, capsys) -> None:
    (home / "config.toml").write_text('[[hide]]\nquery = "cat:cs.LO"\nreason = "no logic"\n', encoding="utf-8")
    dumped = lines(run(capsys, "dump", str(library))[1])
    assert len(dumped) == 24 and {r["category"] for r in dumped} == {"cs.CV"}
    everything = lines(run(capsys, "dump", "--include-hidden", str(library))[1])
    assert len(everything) == 48
    assert {r["hidden"] for r in everything if r["category"] == "cs.LO"} == {"no logic"}
    assert {r["hidden"] for r in everything if r["category"] == "cs.CV"} == {None}
    exported = json.loads(run(capsys, "export", "-f", "json", str(library))[1])
    assert len(exported) == 24
    assert len(json.loads(run(capsys, "export", "-f", "json", "--include-hidden", str(library))[1])) == 48
    _teach(capsys)
    ranked = lines(run(capsys, "dump", "--sort", "relevance", str(library))[1])
    assert {r["category"] for r in ranked} == {"cs.CV"}


def test_a_broken_hide_rule_is_one_warning_and_hides_nothing(home: Path, library: Path, capsys) -> None:
    (home / "config.toml").write_text('[[hide]]\nquery = "ti:("\n', encoding="utf-8")
    code, out, err = run(capsys, "dump", str(library))
    assert code == 0 and len(lines(out)) == 48
    assert "hide rule 1: bad query" in err and err.count("\n") == 1


async def test_the_readers_for_you_node_lists_what_dump_sort_relevance_prints(home: Path, library: Path,
                                                                              capsys) -> None:
    from tui_reader.core.config import Config
    from tui_reader.core.paths import AppPaths
    from tui_reader.ui.app import ReaderApp

    _teach(capsys)
    ranked = lines(run(capsys, "dump", "--sort", "relevance", str(library))[1])
    # The node opens on the newest day's papers best first, then each earlier day's: the
    # whole library's order (what dump prints) grouped by first day, stable within a day.
    dumped = [r["id"] for r in sorted(ranked, key=lambda r: r["date"] or "", reverse=True)]
    app = ReaderApp([str(library)], AppPaths.resolve(home), Config(auto_read_delay=None))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(300):
            await pilot.pause(0.1)
            if app.main.for_you.model is not None and app.main.for_you.model.learned:
                break
        app.main.show_node("foryou")
        await pilot.pause()
        listed = [app.main.view.papers[i].id for i in app.main.paper_list.rows]
    assert listed == dumped


def test_dump_relevance_with_a_query_is_the_whole_librarys_order_of_that_day(home: Path, library: Path,
                                                                            capsys) -> None:
    """The stars are all on the first day: a query for the second day still ranks with the
    model of the whole library (before, it trained on the selected day alone, which holds
    no star, and printed digest order)."""
    from tui_reader.core.library.load import load_library
    from tui_reader.core.rank.ranker import rank_papers
    from tui_reader.core.state.store import Store

    _teach(capsys)
    code, out, err = run(capsys, "dump", "--sort", "relevance", "--query", "date:2025-02-15", str(library))
    assert code == 0 and not err
    papers = load_library([str(library)]).sorted_papers()
    with Store.open(home / "state.sqlite3") as store:
        marks = store.marks()
    _model, order, _scores = rank_papers(papers, marks)
    day = [papers[i].id for i in order if papers[i].date == "2025-02-15"]
    printed = [r["id"] for r in lines(out)]
    assert printed == day and len(day) == 24
    whole = {r["id"]: r["score"] for r in lines(run(capsys, "dump", "--sort", "relevance", str(library))[1])}
    assert {r["id"]: r["score"] for r in lines(out)} == {i: whole[i] for i in day}  # the same model's scores


def test_export_top_with_a_query_takes_the_best_of_the_selection(home: Path, library: Path, capsys) -> None:
    _teach(capsys)
    exported = json.loads(run(capsys, "export", "--top", "3", "-f", "json", "--query", "date:2025-02-15",
                              str(library))[1])
    ranked = lines(run(capsys, "dump", "--sort", "relevance", "--query", "date:2025-02-15", str(library))[1])
    assert [p["id"] for p in exported] == [r["id"] for r in ranked[:3]]
    assert all(p["category"] == "cs.CV" and p["date"] == "2025-02-15" for p in exported)


@pytest.mark.parametrize("name", ["bench_rank_real.py", "bench_baseline_parts.py", "bench_newcomer_real.py"])
def test_the_real_data_benchmarks_say_the_data_is_absent_and_exit_0(tmp_path: Path, name: str) -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[1] / "benchmarks" / name
    out = subprocess.run([sys.executable, str(script), "--data", str(tmp_path / "missing")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "absent" in out.stdout and not out.stderr
