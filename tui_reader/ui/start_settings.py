"""The settings the reader applies as it starts (theme, keymap), with one notice for each
problem in them, and the start's other notices (a config that could not be read, the demo)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App

from ..core.config import Config
from ..core.formats.text import strip_controls
from ..core.paths import demo_notice, reading_demo
from .keys import keymap_conflicts


def apply_start_settings(app: App[Any], config: Config, config_problem: str | None, paths: list[str],
                         library_dir: Path) -> None:
    """Theme and keymap from `config`; `config_problem` (why the file was not read) and,
    when `paths` are the bundled demo, where the person's own digests go."""
    if config.theme:
        if config.theme in app.available_themes:
            app.theme = config.theme
        else:
            app.notify(f"Unknown theme {config.theme!r}; using the default.", severity="warning", markup=False)
    if config.keymap:
        keymap, problems = keymap_conflicts(config.keymap)
        for problem in problems:
            app.notify(problem, severity="warning", timeout=8, markup=False)
        app.set_keymap(keymap)
    if config_problem:
        app.notify(strip_controls(config_problem), severity="error", timeout=10, markup=False)
    if reading_demo(paths):
        app.notify(demo_notice(library_dir), timeout=15, markup=False)
