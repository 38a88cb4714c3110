"""Papers arriving in a running reader, told beyond the notice: the terminal's bell or a desktop notification."""
from __future__ import annotations

import shutil
import subprocess
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App


def alert_arrival(app: App, how: str, message: str) -> None:
    """Ring the bell ("bell"), or ask the desktop to show `message` ("desktop"; the bell when
    there is no notify-send, as on a server over SSH); nothing for "off"."""
    if how == "desktop":
        notifier = shutil.which("notify-send")
        if notifier is not None:
            app.run_worker(lambda: _notify_desktop(notifier, message), thread=True, group="alert")
            return
    if how in ("bell", "desktop"):
        app.bell()


def _notify_desktop(notifier: str, message: str) -> None:
    try:  # a desktop that does not answer costs nothing but this thread
        subprocess.run([notifier, "--app-name=tui-reader", "tui-reader: new papers", message],
                       check=False, timeout=10, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        pass
