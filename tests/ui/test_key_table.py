"""Every binding of the reader comes from ui/keys.py KEY_TABLE: the help screen lists it and a
keymap entry in the settings can rebind it, on every screen (dialogs, help, search line too)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from rich.table import Table
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Static

import tui_reader
from tui_reader.core.config import Config
from tui_reader.ui.keys import ACTIONS_BY_ID, KEY_TABLE, keymap_conflicts

PACKAGE = Path(tui_reader.__file__).parent


def _reader_classes() -> list[type[DOMNode]]:
    """Every App, Screen and Widget class the package defines."""
    classes: list[type[DOMNode]] = []
    for module_info in pkgutil.walk_packages([str(PACKAGE / "ui")], prefix="tui_reader.ui."):
        module = importlib.import_module(module_info.name)
        classes += [value for value in vars(module).values()
                    if inspect.isclass(value) and issubclass(value, DOMNode) and value.__module__ == module.__name__]
    return classes


def test_no_binding_is_declared_outside_the_key_table():
    classes = _reader_classes()
    assert len(classes) > 10  # the scan sees the screens and widgets
    bound_ids: set[str] = set()
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", ()):
            assert isinstance(binding, Binding) and binding.id in ACTIONS_BY_ID, (cls.__name__, binding)
            entry = ACTIONS_BY_ID[binding.id]
            assert (binding.key, binding.action.removeprefix("app.")) == (entry.keys, entry.action), cls.__name__
            bound_ids.add(binding.id)
    assert bound_ids == set(ACTIONS_BY_ID), "a table entry nobody binds"
    # and no Binding built by hand anywhere but keys.py
    made_here = [path.relative_to(PACKAGE) for path in PACKAGE.rglob("*.py")
                 if path.name != "keys.py" and re.search(r"\bBinding\(", path.read_text())]
    assert made_here == []


def test_the_keys_of_dialogs_help_and_search_can_be_rebound_and_clash_only_where_they_are_live():
    kept, problems = keymap_conflicts({
        "search.scope": "ctrl+l", "close_help": "escape,x", "note_save": "ctrl+w",
        "confirm_yes": "y,enter,s",  # s stars on the main screen, not in a yes/no question
        "paper_back": "q,enter,left,h,b",
    })
    assert problems == []
    assert set(kept) == {"search.scope", "close_help", "note_save", "confirm_yes", "paper_back"}
    kept, problems = keymap_conflicts({"note_save": "escape", "paper_page": "s"})
    assert kept == {}
    assert problems == [
        "Settings: note_save = 'escape' takes the key of note_cancel; keeping the default for both",
        "Settings: paper_page = 's' takes the key of toggle_star; keeping the default for both",
    ]


async def test_a_rebound_search_key_works_and_the_help_lists_every_screens_keys(reader, notifications):
    from tui_reader.ui.screens.help import HelpScreen
    from tui_reader.ui.widgets.search_bar import SearchBar

    async with reader(Config(auto_read_delay=None, keymap={"search.scope": "ctrl+l", "close_help": "escape,x"}),
                      notifications=True) as pilot:
        app = pilot.app
        assert not [message for message in notifications if "Settings" in message]
        await pilot.press("slash", "a")
        bar = app.main.query_one(SearchBar)
        assert bar.scope == "library"
        await pilot.press("ctrl+l")
        assert bar.scope == "node"
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#help-keys", Static).content
        assert isinstance(table, Table)
        ids = [str(cell) for cell in table.columns[2].cells]
        assert ids == [entry.id for entry in KEY_TABLE]
        assert {"search.scope", "confirm_yes", "note_save", "paper_back", "close_warnings"} <= set(ids)
        keys_of = {str(key_id): str(keys) for keys, key_id in zip(table.columns[0].cells, table.columns[2].cells,
                                                                     strict=True)}
        assert keys_of["close_help"] == "Esc x" and keys_of["note_save"] == "Ctrl+S"
        await pilot.press("x")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


def test_every_binding_names_an_action_its_target_has():
    """A binding runs `action_<name>` on its class, or on the app for `app.` actions (the paper
    keys, which ReaderApp hands to PaperKeys): a renamed or moved action would make its key dead."""
    from tui_reader.ui.app import ReaderApp

    missing = []
    for cls in _reader_classes():
        for binding in cls.__dict__.get("BINDINGS", ()):
            target: type = ReaderApp if binding.action.startswith("app.") else cls
            name = binding.action.removeprefix("app.").split("(")[0]
            if not callable(getattr(target, f"action_{name}", None)):
                missing.append(f"{cls.__name__}: {binding.key} -> {target.__name__}.action_{name}")
    assert missing == []
