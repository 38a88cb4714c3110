"""`y` inside a real tmux: where set-clipboard lets OSC 52 through the notice says Copied;
where tmux drops it (its default) the notice shows the link to select and how to let it through."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from reader_helpers import wait_loaded

from tui_reader.core.model import abs_url

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


@pytest.fixture
def tmux(tmp_path: Path, monkeypatch):
    """A tmux server of this test's own (its socket in tmp), named by $TMUX as inside it."""
    socket = Path("/tmp") / f"m30-{os.getpid()}-{tmp_path.name[-12:]}"  # a socket path must stay short
    run = ["tmux", "-S", str(socket)]
    subprocess.run([*run, "new-session", "-d", "-x", "80", "-y", "24", "sleep 60"], check=True, timeout=10)
    pid = subprocess.run([*run, "display-message", "-p", "#{pid}"], capture_output=True, text=True,
                         check=True, timeout=10).stdout.strip()
    monkeypatch.setenv("TMUX", f"{socket},{pid},0")
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    monkeypatch.delenv("SSH_TTY", raising=False)
    yield lambda *args: subprocess.run([*run, *args], check=True, timeout=10)
    subprocess.run([*run, "kill-server"], timeout=10)
    socket.unlink(missing_ok=True)


@pytest.mark.parametrize("setting", ["external", "off"])
async def test_y_in_a_tmux_that_drops_osc52_shows_the_link_and_the_fix(make_app, tmux, setting, notifications):
    tmux("set-option", "-g", "set-clipboard", setting)
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        url = abs_url(app.main.current_paper().paper.id)
        await pilot.press("y")
        await pilot.pause()
        messages = list(notifications)
        assert any("set -g set-clipboard on" in m and m.endswith(url) for m in messages), messages
        assert not any(m.startswith(f"Copied {url}") for m in messages)


async def test_y_in_a_tmux_with_set_clipboard_on_says_copied(make_app, tmux, notifications):
    tmux("set-option", "-g", "set-clipboard", "on")
    app = make_app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_loaded(pilot)
        url = abs_url(app.main.current_paper().paper.id)
        await pilot.press("y")
        await pilot.pause()
        assert f"Copied {url}" in list(notifications)
