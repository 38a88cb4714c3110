"""ForYou: the reader's side of For you: training in a thread after the first screen and
after marks, the scores shown, and why a paper ranks so (the model is core.rank)."""
from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..core.store import Mark
from .library_view import FOR_YOU, LibraryView

if TYPE_CHECKING:
    from textual.timer import Timer

    from ..core.rank import Model, Ranker
    from .screens.main import MainScreen

RANK_DELAY_SECONDS = 1.0
"""For you is first trained this long after the whole library is shown (never before the
first screen), and again this long after the last of a run of marks."""
RANK_IDLE_SECONDS = 2.0
"""...and only once no key was pressed for this long: training a year of papers is seconds
of pure Python, which would slow every key typed meanwhile."""


class ForYou:
    """Owns the ranker, the model and the scores of the main screen's library."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        self.model: Model | None = None
        self.scores: dict[int, float] = {}
        """For you's score of each ranked paper (0..1), by index into the library."""
        self._ranker: Ranker | None = None
        self._timer: Timer | None = None
        self._taught = False

    def forget(self) -> None:
        """The library was replaced: its indices mean nothing now; rank it again soon."""
        self.model, self.scores = None, {}
        self.screen.paper_list.score_of = self.scores.get
        self.rank_soon()

    def about(self, index: int) -> tuple[tuple[str, str], ...]:
        """Lines the detail pane shows about a paper: why For you ranks it so, why it is hidden."""
        screen = self.screen
        view = screen.view
        lines: list[tuple[str, str]] = []
        if self.model is not None and view is not None and index in self.scores:
            why = self.model.why(view.papers[index])
            if why:
                lines.append(("For you", f"{self.scores[index]:.2f} · {why}"))
        if index in screen.hidden:
            lines.append(("Hidden", screen.hidden[index]))
        if view is not None and index in view.dismissed:
            lines.append(("Dismissed", "not interested (x takes it back)"))
        return tuple(lines)

    def rank_soon(self) -> None:
        """Marks changed: train again once they stop coming (debounced)."""
        if self._timer is not None:
            self._timer.stop()
        if self.screen.loading_done:
            self._timer = self.screen.set_timer(RANK_DELAY_SECONDS, self.rank_now)

    def rank_now(self) -> None:
        self._timer = None
        quiet = time.monotonic() - self.screen.typing.last_key_at
        if quiet < RANK_IDLE_SECONDS:  # keys are coming: train once the keyboard rests
            self._timer = self.screen.set_timer(RANK_IDLE_SECONDS - quiet, self.rank_now)
            return
        view = self.screen.view
        if view is not None and self.screen.loading_done:
            marks = dict(self.screen.app.reading.marks)
            self.screen.run_worker(lambda: self._rank(view, marks), thread=True, exclusive=True, group="rank")

    def _rank(self, view: LibraryView, marks: dict[str, Mark]) -> None:
        """In a thread: learn the person's taste and order the unread papers (numpy, and
        scikit-learn for the other kinds, are imported here, never before the first screen)."""
        from ..core.rank import Ranker, features_file, for_you_order

        app = self.screen.app
        config = app.config
        try:
            if self._ranker is None:
                self._ranker = Ranker(watch_keywords=config.watch_keywords, watch_authors=config.watch_authors,
                                      features_file=features_file(app.app_paths.cache_dir))
            model = self._ranker.train(view.papers, marks, stop=self._give_way)
            hidden = {view.papers[i].id for i in self.screen.hidden}
            order, scores = for_you_order(model, marks, hidden)
        except Exception as err:  # ranking is a help, never a reason to fail
            self.screen.ui(app.notify, f"For you unavailable: {type(err).__name__}: {err}",
                                 severity="warning", markup=False)
            return
        self.screen.ui(self._ranked, view, model, order, scores)

    def _give_way(self) -> bool:
        """Asked between batches of the training: while keys arrive, the interface has the
        interpreter (hashing a year of papers takes seconds of pure Python). Never stops."""
        self.screen.typing.wait()
        return False

    def _ranked(self, view: LibraryView, model: Model, order: list[int], scores: list[float]) -> None:
        screen = self.screen
        if view is not screen.view:
            return  # a newer library replaced the one ranked
        self.model = model
        self.scores = dict(zip(order, scores))
        view.set_search_members(FOR_YOU, "For you", order)
        screen.category_tree.refresh_counts([FOR_YOU])
        screen.paper_list.score_of = self.scores.get
        if screen.current_key == FOR_YOU:
            screen.show_node(FOR_YOU, index=screen.paper_list.current)
        else:
            screen.paper_list.clear_cache()
        screen.refresh_detail(again=True)
        if not model.learned and not self._taught:
            self._taught = True
            screen.app.notify(f"For you: {model.message}", timeout=6, markup=False)
