"""`tui-reader serve` in a real headless browser: the page needs its token, shows the reader,
and keys pressed in the browser mark papers in the same state file the terminal uses.

The browser is Debian's chromium driven through chromium-driver with Selenium; the screen is
read from the bytes the page's WebSocket received (the page draws on a canvas), fed to the
same terminal emulator the pty tests use (pyte)."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ui"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")

# Kept by the page before its own scripts run: the URL of its WebSocket (which carries the
# terminal's size) and every binary frame the reader sent to it.
CAPTURE_WEBSOCKET = """
(() => {
  const Original = window.WebSocket;
  window.__terminal = {url: null, frames: []};
  window.WebSocket = function (url, protocols) {
    const socket = new Original(url, protocols);
    window.__terminal.url = url;
    socket.addEventListener("message", (event) => {
      if (typeof event.data !== "string") {
        window.__terminal.frames.push(Array.from(new Uint8Array(event.data)));
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Original.prototype;
})();
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_listening(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "tui_reader", *args], capture_output=True, text=True,
                          env=env, timeout=60)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A running `serve` on a free port over the fixture days: (the link it printed, its home)."""
    home = tmp_path / "home"
    port = _free_port()
    env = {**os.environ, "TUI_READER_HOME": str(home)}
    env.pop("EDITOR", None)
    process = subprocess.Popen([sys.executable, "-m", "tui_reader", "serve", "--port", str(port), str(FIXTURES)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"(http://\S+\?token=\S+)", first)
        assert found, f"serve printed no link: {first!r}"
        _wait_listening(port)  # the link is printed as the server starts, a moment before it listens
        yield found.group(1), home
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_request_without_the_token_or_with_a_wrong_one_is_refused(served):
    link, _ = served
    base = link.split("?")[0]
    for url in (base, base + "?token=wrong", base + "static/js/textual.js", base + "ws"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)
        assert refused.value.code == 403
    with urllib.request.urlopen(link, timeout=10) as page:
        assert page.status == 200 and b"textual-terminal" in page.read()


def test_a_port_in_use_and_a_home_that_cannot_be_written_are_one_line_each(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = _cli("serve", "--port", str(port), str(FIXTURES), home=tmp_path / "h")
    assert busy.returncode == 1 and busy.stdout == ""
    assert busy.stderr.strip().splitlines() == [f"tui-reader: port {port} on 127.0.0.1 is in use: choose another with --port"]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    stuck = _cli("serve", "--port", str(_free_port()), str(FIXTURES), home=blocker / "home")
    assert stuck.returncode == 1 and len(stuck.stderr.strip().splitlines()) == 1
    assert "cannot write the reader's home" in stuck.stderr and "Traceback" not in stuck.stderr


@pytest.mark.skipif(BROWSER is None or not os.path.exists(CHROMEDRIVER),
                    reason="no chromium and chromium-driver here (Debian: apt-get install chromium chromium-driver)")
def test_the_reader_in_a_browser_shows_papers_and_a_star_pressed_there_lands_on_disk(served):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    link, home = served
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1400,900"):
        options.add_argument(argument)
    options.binary_location = BROWSER or ""
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CAPTURE_WEBSOCKET})
        driver.get(link)

        def screen_text() -> str:
            captured = driver.execute_script("return window.__terminal")
            if not captured or not captured["url"]:
                return ""
            size = dict(re.findall(r"(width|height)=(\d+)", captured["url"]))
            screen = pyte.Screen(int(size.get("width", 80)), int(size.get("height", 24)))
            stream = pyte.ByteStream(screen)
            for frame in captured["frames"]:
                stream.feed(bytes(frame))
            return "\n".join(screen.display)

        def wait_for(pattern: str, timeout: float = 40) -> str:
            deadline = time.monotonic() + timeout
            text = ""
            while time.monotonic() < deadline:
                text = screen_text()
                if re.search(pattern, text):
                    return text
                time.sleep(0.3)
            raise AssertionError(f"never saw {pattern!r} in the browser; last screen:\n{text}")

        first = wait_for(r"Alpha Parsing of Reader Fixtures")
        assert "Traceback" not in first
        terminal = driver.find_element(By.CSS_SELECTOR, ".textual-terminal")
        ActionChains(driver).move_to_element(terminal).click().perform()
        ActionChains(driver).send_keys("j").perform()
        time.sleep(1.0)  # a person looks at the second paper before starring it
        ActionChains(driver).send_keys("s").perform()

        deadline = time.monotonic() + 30
        starred: list[dict] = []
        while time.monotonic() < deadline and not starred:
            time.sleep(0.5)
            out = _cli("dump", "--query", "is:starred", str(FIXTURES), home=home).stdout
            starred = [json.loads(line) for line in out.splitlines()]
        assert len(starred) == 1, "the star pressed in the browser never reached the state file"
        # The browser's list shows that paper starred: the second row, where j moved the cursor.
        shown = wait_for("★ " + re.escape(starred[0]["title"][:20]))
        assert "Traceback" not in shown
    finally:
        driver.quit()
