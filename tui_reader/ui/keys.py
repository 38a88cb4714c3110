"""The one table of reader actions and their default keys: footer, help, palette and keymap."""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(slots=True, frozen=True)
class KeyAction:
    """One action of the reader: its id (for keymaps), keys, action name and help text."""

    id: str
    keys: str
    action: str
    description: str
    help: str
    footer: bool = False
    key_display: str | None = None
    priority: bool = False
    """Checked by the app before the key reaches the focused widget, so the action runs
    before any key typed after it is dispatched (see action_search)."""


KEY_TABLE: tuple[KeyAction, ...] = (
    KeyAction("cursor_down", "down,j", "cursor_down", "Down", "Move down in the focused pane"),
    KeyAction("cursor_up", "up,k", "cursor_up", "Up", "Move up in the focused pane"),
    KeyAction("first", "home,g", "first", "First", "Go to the first row"),
    KeyAction("last", "end,G", "last", "Last", "Go to the last row"),
    KeyAction("page_down", "pagedown", "page_down", "Page down", "Move one page down"),
    KeyAction("page_up", "pageup", "page_up", "Page up", "Move one page up"),
    KeyAction("next_pane", "tab", "next_pane", "Next pane", "Focus the next pane"),
    KeyAction("previous_pane", "shift+tab", "previous_pane", "Previous pane", "Focus the previous pane"),
    KeyAction("pane_left", "left,h", "pane_left", "Pane left", "Move to the pane on the left"),
    KeyAction("pane_right", "right,l", "pane_right", "Pane right", "Move to the pane on the right"),
    KeyAction("open", "enter", "open", "Open", "Open the node or the paper", key_display="⏎"),
    KeyAction("read_on", "space", "read_on", "More",
              "Scroll the paper; at its end go to the next paper"),
    KeyAction("next_unread", "n", "next_unread", "Next new", "Next unread paper, across nodes", footer=True),
    KeyAction("previous_unread", "p", "previous_unread", "Prev unread", "Previous unread paper, across nodes"),
    KeyAction("toggle_read", "r", "toggle_read", "Read", "Toggle read / unread", footer=True),
    KeyAction("toggle_star", "s", "toggle_star", "Star", "Toggle the star (the reading queue)", footer=True),
    KeyAction("mark_all_read", "A", "mark_all_read", "All read", "Mark every paper of the node read (asks first)"),
    KeyAction("undo", "u", "undo", "Undo", "Undo the last marking"),
    KeyAction("note", "N", "note", "Note", "Edit the paper's note"),
    KeyAction("tags", "t", "tags", "Tags", "Edit the paper's tags"),
    KeyAction("expand_authors", "a", "expand_authors", "Authors", "Show all authors and very long text / fold again"),
    KeyAction("open_link", "o", "open_link", "Page",
              "Open the paper's page (over SSH: copy the link)"),
    KeyAction("copy_link", "y", "copy_link", "Copy link", "Copy the link (OSC 52 clipboard)"),
    KeyAction("search", "slash", "search", "Search", "Search the library", footer=True, key_display="/",
              priority=True),
    KeyAction("warnings", "w", "warnings", "Warnings", "Show the problems met while loading"),
    KeyAction("help", "question_mark", "help", "Help", "Show this help", footer=True, key_display="?"),
    KeyAction("quit", "q", "quit", "Quit", "Quit the reader", footer=True),
)
"""Every key of the reader, in the order the help screen lists them."""

ACTIONS_BY_ID = {entry.id: entry for entry in KEY_TABLE}

PANE_HINTS: dict[str, tuple[str, ...]] = {
    "tree": ("open",),
    "list": ("open",),
    "detail": ("read_on", "expand_authors"),
}
"""Keys the footer shows first while a pane has the focus (the rest come from the app)."""


def app_bindings() -> list[Binding]:
    """The table as Textual Bindings (with ids, so a keymap can rebind them)."""
    return [
        Binding(entry.keys, entry.action, entry.description, show=entry.footer,
                key_display=entry.key_display, id=entry.id, tooltip=entry.help, priority=entry.priority)
        for entry in KEY_TABLE
    ]


def pane_bindings(pane: str) -> list[Binding]:
    """A pane's footer hints: the same ids and actions as the app's bindings, so a keymap
    that rebinds one rebinds both."""
    bindings = []
    for key_id in PANE_HINTS[pane]:
        entry = ACTIONS_BY_ID[key_id]
        bindings.append(Binding(entry.keys, f"app.{entry.action}", entry.description, show=True,
                                key_display=entry.key_display, id=entry.id, tooltip=entry.help))
    return bindings


def display_keys(keys: str) -> str:
    """Key string as people read it: 'down,j' -> '↓ j'."""
    names = {"down": "↓", "up": "↑", "left": "←", "right": "→", "enter": "Enter", "space": "Space",
             "slash": "/", "question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp",
             "home": "Home", "end": "End", "tab": "Tab", "shift+tab": "Shift+Tab"}
    return " ".join(names.get(key, key) for key in keys.split(","))
