"""ForYou: the reader's side of For you: training in a thread after the first screen and
after marks; the newest day's papers first, best first within each day; the scores, the
likely/maybe/unlikely groups and why a paper ranks so; what the model still needs to learn
and the teaching triage (the model is core.rank.ranker)."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from collections.abc import Mapping, Sequence

from ...core.model import Paper
from ...core.rank.teach import TEACH_COUNT, is_negative, is_positive, teaching_papers
from ...core.config import Config
from ...core.state.store import Mark
from ..library_view import FOR_YOU, LibraryView
from ..loader import TypingPause
from ..messages import RankingFailed, ScoresReady, ServiceHost
from ..state import ReaderState
from ..timings import ReaderTimings

if TYPE_CHECKING:
    from pathlib import Path

    from textual.timer import Timer

    from ...core.rank.ranker import Model, Ranker
    from ...core.rank.confidence import Confidence

BADGES = {"likely": "●", "maybe": "◐", "unlikely": "○"}
"""The cell before a For-you title: how likely the paper is the person's, on their own marks."""


class ForYou:
    """Owns the ranker and the model of the state's library; trains in a thread and posts
    ScoresReady (or RankingFailed) to its host, whose handler calls `take` and hands the
    scores to the state."""

    def __init__(self, host: ServiceHost, state: ReaderState, typing: TypingPause, config: Config,
                 cache_dir: Path, timings: ReaderTimings) -> None:
        self.host, self.state, self.typing, self.config, self.cache_dir = host, state, typing, config, cache_dir
        self.timings = timings
        self.loading_done = False
        """Set by the screen once the whole library is shown: ranking waits for it."""
        self.model: Model | None = None
        self.confidence: Confidence | None = None
        """Thresholds of the likely/maybe/unlikely groups, from the person's marks (None: too few)."""
        self.today = 0
        """For-you papers of the newest day (the first of the list)."""
        self.failed = False
        self._ranker: Ranker | None = None
        self._timer: Timer | None = None
        self._taught = False
        self._choose_next = False
        """Whether the next training chooses the author weight again (Ranker.train's
        `choose`): a retraining after a mark never does; one of its own follows when due."""

    # -- what the tree, the header, the list and the detail pane say ----------------------
    def count_text(self, key: str) -> str | None:
        """The For-you node's count in the tree: ` …` until ranked, then ` 23 today`."""
        if key != FOR_YOU or self.failed:
            return None
        return " …" if self.model is None else f" {self.today:,} today"

    def positives_needed(self) -> int:
        """Stars (or notes, tags) the model still needs before it learns (0: it has enough),
        counted as the ranker counts them: a star dismissed since is no star."""
        from ...core.rank.ranker import needed_marks  # numpy is imported lazily there

        return needed_marks(self.state.marks)

    @property
    def teaching(self) -> bool:
        """True while For you has too few marks to learn: F on it teaches instead of triaging."""
        return self.model is None or not self.model.learned

    def header_note(self) -> str:
        """What the header adds on For you: ranking, what it needs, or today's count."""
        if self.model is None:
            return "ranking…" if not self.failed else "unavailable"
        if not self.model.learned:
            needed = self.positives_needed()
            more = f"star {needed} more to teach it" if needed else "learning from your marks"
            return f"{more} · F: teach it ({TEACH_COUNT} papers)"
        return f"{self.today:,} today"

    def badge(self, index: int) -> str | None:
        score = self.state.scores.get(index)
        if score is None or self.confidence is None:
            return None
        return BADGES[self.confidence.group(score)]

    def teaching_rows(self) -> list[int]:
        """The teaching triage's papers: undecided, across categories, the least certain first."""
        view = self.state.view
        if view is None:
            return []
        boundary = None
        if self.confidence is not None:
            boundary = (self.confidence.likely + self.confidence.unlikely) / 2
        return teaching_papers(view.papers, self.state.marks, scores=self.state.scores or None,
                               boundary=boundary)

    def forget(self) -> None:
        """The library was replaced: its indices mean nothing now; rank it again soon."""
        self.model, self.confidence = None, None
        self.state.forget_scores()
        self.rank_soon()

    def about(self, index: int) -> tuple[tuple[str, str], ...]:
        """Lines the detail pane shows about a paper: why For you ranks it so, why it is hidden."""
        state = self.state
        view = state.view
        lines: list[tuple[str, str]] = []
        if self.model is not None and view is not None and index in state.scores:
            why = self.model.why(view.papers[index])
            score = state.scores[index]
            said = self.confidence.explain(score) if self.confidence is not None else f"{score:.2f}"
            if why or self.confidence is not None:
                lines.append(("For you", f"{said} · {why}" if why else said))
        if index in state.hidden:
            lines.append(("Hidden", state.hidden[index]))
        if view is not None and index in view.dismissed:
            lines.append(("Dismissed", "not interested (x takes it back)"))
        return tuple(lines)

    def rank_soon(self) -> None:
        """Marks changed: train again once they stop coming (debounced)."""
        if self._timer is not None:
            self._timer.stop()
        if self.loading_done:
            self._timer = self.host.set_timer(self.timings.rank_delay, self.rank_now)

    def rank_now(self) -> None:
        self._timer = None
        quiet = time.monotonic() - self.typing.last_key_at
        idle = self.timings.rank_idle
        if quiet < idle:  # keys are coming: train once the keyboard rests
            self._timer = self.host.set_timer(idle - quiet, self.rank_now)
            return
        view = self.state.view
        if view is not None and self.loading_done:
            marks, hidden = self.state.marks, set(self.state.hidden)  # replaced, never changed in place
            choose, self._choose_next = self._choose_next, False
            self.host.run_worker(lambda: self._rank(view, marks, hidden, choose), thread=True, exclusive=True,
                                 group="rank")

    def _rank(self, view: LibraryView, marks: Mapping[str, Mark], hidden_indices: set[int],
              choose: bool = False) -> None:
        """In a thread: learn the person's taste and order the unread papers (numpy, and
        scikit-learn for the other kinds, are imported here, never before the first screen)."""
        from ...core.rank.ranker import Ranker, features_file, for_you_order

        config = self.config
        try:
            if self._ranker is None:
                self._ranker = Ranker(watch_keywords=config.watch_keywords, watch_authors=config.watch_authors,
                                      features_file=features_file(self.cache_dir))
            model = self._ranker.train(view.papers, marks, stop=self._give_way, choose=choose)
            hidden = {view.papers[i].id for i in hidden_indices}
            order, scores = for_you_order(model, marks, hidden)
            order, scores, today = newest_day_first(view.papers, order, scores)
            confidence = calibrated(model, view.papers, marks)
        except Exception as err:  # ranking is a help, never a reason to fail
            self.host.post_message(RankingFailed(f"For you unavailable: {type(err).__name__}: {err}"))
            return
        self.host.post_message(ScoresReady(view, model, order, scores, today, confidence))

    def _give_way(self) -> bool:
        """Asked between batches of the training: while keys arrive, the interface has the
        interpreter (hashing a year of papers takes seconds of pure Python). Never stops."""
        self.typing.wait()
        return False

    def take(self, ready: ScoresReady) -> str | None:
        """Keep a ranking's model (the state takes its scores); the first time the model has
        too few marks to learn, what to tell the person."""
        self.model, self.failed, self.today, self.confidence = ready.model, False, ready.today, ready.confidence
        if self._ranker is not None and self._ranker.choice_due and not self._choose_next:
            # The marks since the author weight was chosen are enough to choose again: in a
            # training of its own, once the keyboard rests (the held-out fits take seconds).
            self._choose_next = True
            self.rank_soon()
        if ready.model.learned or self._taught:
            return None
        self._taught = True
        needed = self.positives_needed()
        more = f" ({needed} more {'star' if needed == 1 else 'stars'} needed)" if needed else ""
        return (f"For you: {ready.model.message}{more}; F on For you starts a {TEACH_COUNT}-paper "
                "teaching triage.")


def newest_day_first(papers: Sequence[Paper], order: list[int],
                     scores: list[float]) -> tuple[list[int], list[float], int]:
    """For you's list as a person opens it in the morning: the newest day's papers best
    first, then the day before's, and so on (undated last); the number of the newest
    day's. `order` is best first; each day keeps that order."""
    dates = [papers[i].date or "" for i in order]
    newest = max((paper.date or "" for paper in papers), default="")
    ranked = sorted(range(len(order)), key=lambda k: dates[k], reverse=True)  # stable: best first within a day
    today = sum(1 for date in dates if date and date == newest)
    return [order[k] for k in ranked], [scores[k] for k in ranked], today


def calibrated(model: Model, papers: Sequence[Paper], marks: Mapping[str, Mark]) -> Confidence | None:
    """The likely/maybe/unlikely thresholds from the scores the person's own liked and
    passed-over papers get from models that did not learn from them (held out: in-sample
    scores are too sure of themselves); None for the untaught fallback or too few marks."""
    from ...core.rank.confidence import calibrate

    if not model.learned:
        return None
    index = {paper.id: i for i, paper in enumerate(papers)}
    liked = [index[pid] for pid, mark in marks.items() if pid in index and is_positive(mark)]
    passed = [index[pid] for pid, mark in marks.items() if pid in index and is_negative(mark)]
    return calibrate(model.held_out_scores(liked), model.held_out_scores(passed))
