"""Opening a paper's pages from the reader (o, P, c, y): in the local browser, in the
browser tab of `serve`, or copied when a browser would open on a server or none could."""
from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from textual.app import App

from ..core.model import Paper, abs_url, pdf_url, safe_link
from .messages import LinkNotOpened


def over_ssh() -> bool:
    """True when the reader runs in an SSH session (a browser would open on the server)."""
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


class Links:
    """The link keys of one app; `open_in_browser(url)` opens a page locally (tests give
    their own) and says whether a browser took it."""

    def __init__(self, app: App[Any], open_in_browser: Callable[[str], object]) -> None:
        self.app = app
        self.open_in_browser = open_in_browser

    def open_page(self, paper: Paper) -> None:
        self.open(abs_url(paper.id))

    def open_pdf(self, paper: Paper) -> None:
        self.open(pdf_url(paper.id))

    def open_code(self, paper: Paper) -> None:
        """The code link found in the abstract, only when it is a plain http(s) link to an
        ASCII host (see core.model.safe_link); anything else stays text in the pane."""
        url = safe_link(paper.code_url) if paper.code_url else None
        if url is None:
            message = "This paper has no code link." if not paper.code_url else \
                "The code link is not a plain web link, so it is only shown, never opened."
            self.app.notify(message, timeout=4, markup=False)
            return
        self.open(url)

    def copy_page(self, paper: Paper) -> None:
        from .clipboard import copied_notice

        url = abs_url(paper.id)
        self.app.copy_to_clipboard(url)
        notice, seconds = copied_notice(url)
        self.app.notify(notice, timeout=seconds, markup=False)

    def open(self, url: str) -> None:
        """Open a page in the browser; over SSH (where it would open on the server) copy it;
        in a browser tab of `serve`, in a new tab of that browser."""
        app = self.app
        if app.is_web:
            app.open_url(url)
            app.notify(f"Opening {url}", timeout=3, markup=False)
            return
        if over_ssh():
            app.copy_to_clipboard(url)
            app.notify(f"Over SSH a browser would open on the server, so the link was copied: {url}",
                       timeout=6, markup=False)
            return
        app.notify(f"Opening {url}", timeout=3, markup=False)
        app.run_worker(lambda: self._open_in_thread(url), thread=True, group="browser")

    def _open_in_thread(self, url: str) -> None:
        """In a thread: open the page; when no browser could, the app copies the link and
        says so (LinkNotOpened, handled by not_opened)."""
        try:
            opened = self.open_in_browser(url)
        except Exception:  # webbrowser raises for a broken BROWSER setting
            opened = False
        if not opened:
            self.app.post_message(LinkNotOpened(url))

    def not_opened(self, url: str) -> None:
        self.app.copy_to_clipboard(url)
        self.app.notify(f"No browser could open the page; the link was copied: {url}", severity="warning",
                        timeout=8, markup=False)


def open_in_browser(url: str) -> object:
    import webbrowser

    return webbrowser.open(url)
