"""Whether a link copied with OSC 52 can reach the clipboard: inside tmux it does only when
tmux's set-clipboard option is on (its default, external, drops what programs send)."""
from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping

TMUX_HINT = "tmux drops it unless `set -g set-clipboard on` is in ~/.tmux.conf; select it here"


def tmux_keeps_clipboard_from_us(environ: Mapping[str, str] | None = None) -> bool:
    """False inside a tmux whose set-clipboard is not `on` (or cannot be asked); True
    outside tmux, where the terminal decides and nothing here can tell."""
    environ = os.environ if environ is None else environ
    if not environ.get("TMUX"):
        return True
    try:
        asked = subprocess.run(["tmux", "show-options", "-gv", "set-clipboard"], capture_output=True, text=True,
                               timeout=2, env=dict(environ), stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return asked.returncode == 0 and asked.stdout.strip() == "on"


def copied_notice(url: str, done: str = "Copied") -> tuple[str, float]:
    """What to say after copying `url` (and for how many seconds): where it went, or, where
    it cannot have gone, the link itself to select and how to let it through."""
    if tmux_keeps_clipboard_from_us():
        return f"{done} {url}", 3
    return f"{done} to the terminal, but {TMUX_HINT}: {url}", 12
