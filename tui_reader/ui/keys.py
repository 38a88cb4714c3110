"""The one table of reader actions and their keys: footer, help, palette, keymap and README."""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType

PANE = "pane"
"""Bound on each pane (list, tree, detail): the pane does what the key means for it."""
LIST, DETAIL = "list", "detail"
TRIAGE = "triage"
"""Bound on the triage screen: one paper at a time."""
MAIN = "main"
"""Bound on the main screen: work that spans the panes."""
PAPER = "paper"
"""Bound on every screen that shows a paper (main and full screen); run by the app."""
APP = "app"
"""Bound on the app: works on every screen."""
SEARCH = "search"
"""Bound on the search line (SearchBar): its keys come first while it has the cursor."""
FULL_PAPER = "full_paper"
"""Bound on the full-screen paper (PaperScreen), beside the PAPER and pane keys."""
CONFIRM, PROMPT, NOTE_EDITOR = "confirm", "prompt", "note_editor"
"""Bound on the dialogs: a yes/no question, a one-line prompt (tags), the note editor."""
HELP, WARNINGS, SIMILAR = "help", "warnings", "similar"
"""Bound on the help screen, the loading-warnings list and the More-like-this list."""

SCREEN_OF = {**{owner: "main" for owner in (PANE, LIST, DETAIL, MAIN, PAPER, APP)},
             **{owner: owner for owner in (TRIAGE, SEARCH, FULL_PAPER, CONFIRM, PROMPT, NOTE_EDITOR, HELP,
                                           WARNINGS, SIMILAR)}}
"""Where an owner's keys are live together: a keymap entry may not take a key another action
keeps there. The full-screen paper also carries the PAPER keys; the search line's keys come
before the main screen's while it has the cursor."""


@dataclass(slots=True, frozen=True)
class KeyAction:
    """One action of the reader: its id (for keymaps), keys, action name, help text and the
    owner whose BINDINGS carry it (one of SCREEN_OF); the help text of a key bound on a
    screen of its own starts with that screen's name."""

    id: str
    keys: str
    action: str
    description: str
    help: str
    owner: str
    footer: bool = False
    key_display: str | None = None
    priority: bool = False
    """Checked before the key reaches the focused widget (see MainScreen.action_search)."""


KEY_TABLE: tuple[KeyAction, ...] = (
    KeyAction("cursor_down", "down,j", "cursor_down", "Down", "Move down in the focused pane", PANE),
    KeyAction("cursor_up", "up,k", "cursor_up", "Up", "Move up in the focused pane", PANE),
    KeyAction("first", "home,g", "first", "First", "Go to the first row", PANE),
    KeyAction("last", "end,G", "last", "Last", "Go to the last row", PANE),
    KeyAction("page_down", "pagedown", "page_down", "Page down", "Move one page down", PANE),
    KeyAction("page_up", "pageup", "page_up", "Page up", "Move one page up", PANE),
    KeyAction("next_pane", "tab", "next_pane", "Next pane", "Focus the next pane", MAIN),
    KeyAction("previous_pane", "shift+tab", "previous_pane", "Previous pane", "Focus the previous pane", MAIN),
    KeyAction("pane_left", "left,h", "pane_left", "Pane left", "Move to the pane on the left", MAIN),
    KeyAction("pane_right", "right,l", "pane_right", "Pane right", "Move to the pane on the right", MAIN),
    KeyAction("open", "enter", "open", "Open", "Open the node or the paper", PANE, key_display="⏎"),
    KeyAction("back", "escape", "back", "Back", "Back to the list (from the paper)", DETAIL),
    KeyAction("read_on", "space", "read_on", "More",
              "Scroll the paper; at its end mark it read and go to the next; in the tree, open or close a day",
              MAIN),
    KeyAction("next_unread", "n", "next_unread", "Next unread", "Next unread paper, across nodes", MAIN,
              footer=True),
    KeyAction("previous_unread", "p", "previous_unread", "Prev unread", "Previous unread paper, across nodes",
              MAIN),
    KeyAction("toggle_read", "r", "toggle_read", "Read", "Toggle read / unread", PAPER, footer=True),
    KeyAction("toggle_star", "s", "toggle_star", "Star", "Toggle the star (the reading queue)", PAPER,
              footer=True),
    KeyAction("toggle_dismiss", "x", "toggle_dismiss", "Not interested",
              "Dismiss the paper as not interesting / take that back (teaches For you)", PAPER),
    KeyAction("queue_up", "K", "queue_up", "Queue up", "Move the starred paper up the queue", MAIN),
    KeyAction("queue_down", "J", "queue_down", "Queue down", "Move the starred paper down the queue", MAIN),
    KeyAction("queue_top", "T", "queue_top", "Queue top", "Move the starred paper to the top of the queue",
              MAIN),
    KeyAction("next_in_queue", "right_square_bracket", "next_in_queue", "Queue",
              "Go to the next paper of the reading queue", MAIN, key_display="]"),
    KeyAction("mark_all_read", "A", "mark_all_read", "All read", "Mark every paper of the node read (asks first)",
              MAIN),
    KeyAction("undo", "u", "undo", "Undo", "Undo the last marking (automatic ones too)", PAPER),
    KeyAction("note", "N", "note", "Note", "Edit the paper's note", PAPER),
    KeyAction("tags", "t", "tags", "Tags", "Edit the paper's tags", PAPER),
    KeyAction("expand_authors", "a", "expand_authors", "Authors", "Show all authors and very long text / fold again",
              PAPER),
    KeyAction("open_link", "o", "open_link", "Page", "Open the paper's page (over SSH: copy the link)", PAPER),
    KeyAction("copy_link", "y", "copy_link", "Copy link", "Copy the link (OSC 52; inside tmux it needs set-clipboard on)", PAPER),
    KeyAction("open_pdf", "d", "open_pdf", "PDF", "Open the paper's PDF (over SSH: copy the link)", PAPER),
    KeyAction("open_code", "c", "open_code", "Code", "Open the paper's code link (over SSH: copy it)", PAPER),
    KeyAction("more_like_this", "M", "more_like_this", "Like this",
              "More like this: the library's papers most similar to this one, with why", PAPER),
    KeyAction("sort", "O", "sort", "Sort", "Sort the list, in turn: digest order, newest, title, relevance (For you), code stars, importance", MAIN),
    KeyAction("hide_read", "H", "hide_read", "Hide read", "Hide / show the read papers of the node", MAIN),
    KeyAction("show_hidden", "V", "show_hidden", "Hidden", "Show / hide the papers your [[hide]] rules hide", MAIN),
    KeyAction("triage", "F", "triage", "Triage", "Triage the node: one paper at a time, best first in For you",
              MAIN),
    KeyAction("triage_star", "s", "star", "Star", "Triage: star (into the queue) and go on", TRIAGE, footer=True),
    KeyAction("triage_dismiss", "x", "not_interested", "Dismiss", "Triage: dismiss and go on", TRIAGE,
              footer=True),
    KeyAction("triage_read", "r", "read", "Read", "Triage: mark read and go on", TRIAGE, footer=True),
    KeyAction("triage_skip", "space,n", "skip", "Skip", "Triage: leave it unread and go on", TRIAGE, footer=True),
    KeyAction("triage_back", "p", "back", "Back", "Triage: back to the previous paper", TRIAGE),
    KeyAction("triage_leave", "escape,q", "leave", "Done", "Triage: back to where you were", TRIAGE, footer=True),
    KeyAction("toggle_tree", "backslash", "toggle_tree", "Tree", "Hide / show the category tree", MAIN,
              key_display="\\"),
    KeyAction("search", "slash", "search", "Search", "Search the library", MAIN, footer=True, key_display="/",
              priority=True),
    KeyAction("pull", "P", "pull", "Pull", "Pull new days from your sources now", MAIN),
    KeyAction("switch_language", "L", "switch_language", "Language",
              "Days written in several languages: show the next language's summaries", MAIN),
    KeyAction("new_papers", "i", "new_papers", "New",
              "Go to what arrived while the reader ran (the New node), else the newest day", MAIN),
    KeyAction("warnings", "w", "warnings", "Warnings", "Show the problems met while loading", MAIN),
    KeyAction("help", "question_mark", "help", "Help", "Show this help", APP, footer=True, key_display="?"),
    KeyAction("quit", "q", "quit", "Quit", "Quit the reader", APP, footer=True),
    KeyAction("search.scope", "ctrl+t", "toggle_scope", "Scope", "Search line: search the whole library or this node only",
              SEARCH, footer=True),
    KeyAction("search.clear", "escape", "clear", "Clear search",
              "Search line: clear the search, back to where you were before /", SEARCH, footer=True),
    KeyAction("paper_back", "q,enter,left,h", "dismiss", "Back", "Full-screen paper: back to the list (Esc too)", FULL_PAPER),
    KeyAction("paper_page", "space", "page", "Page", "Full-screen paper: scroll one page", FULL_PAPER),
    KeyAction("confirm_yes", "y,enter", "answer(True)", "Yes", "Yes/no question: yes", CONFIRM, footer=True),
    KeyAction("confirm_no", "n,escape", "answer(False)", "No", "Yes/no question: no", CONFIRM, footer=True),
    KeyAction("prompt_cancel", "escape", "cancel", "Cancel", "Tags prompt: cancel (Enter saves)", PROMPT,
              footer=True),
    KeyAction("note_save", "ctrl+s", "save", "Save", "Note editor: save (Enter starts a new line)", NOTE_EDITOR,
              footer=True),
    KeyAction("note_cancel", "escape", "cancel", "Cancel", "Note editor: cancel", NOTE_EDITOR, footer=True),
    KeyAction("close_help", "escape,q,question_mark", "dismiss", "Close", "Help: close", HELP,
              footer=True, key_display="Esc"),
    KeyAction("help_down", "down,j", "scroll('down')", "Down", "Help: scroll down", HELP),
    KeyAction("help_up", "up,k", "scroll('up')", "Up", "Help: scroll up", HELP),
    KeyAction("close_warnings", "escape,q,w", "dismiss", "Close", "Warnings: close", WARNINGS,
              footer=True),
    KeyAction("close_similar", "escape,q", "dismiss", "Close", "More like this: close the list", SIMILAR,
              footer=True),
)
"""Every key of the reader, in the order the help screen lists them."""

ACTIONS_BY_ID = {entry.id: entry for entry in KEY_TABLE}


def bindings(*owners: str, action_prefix: str = "", footer: tuple[str, ...] = ()) -> list[BindingType]:
    """The table's entries of `owners` as Textual Bindings, with ids so that one keymap
    entry rebinds them wherever they are bound. `footer` names ids shown in the footer
    besides those the table marks."""
    return [
        Binding(entry.keys, action_prefix + entry.action, entry.description,
                show=entry.footer or entry.id in footer, key_display=entry.key_display, id=entry.id,
                tooltip=entry.help, priority=entry.priority)
        for entry in KEY_TABLE if entry.owner in owners
    ]


def keymap_conflicts(keymap: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The keymap with the entries that would take a key another action keeps by default
    (or an unknown id) left out, and one message per entry left out."""
    problems: list[str] = []
    # A key may mean one thing on one screen and another elsewhere (SCREEN_OF): only keys
    # live together clash.
    taken: dict[tuple[str, str], str] = {}
    for entry in KEY_TABLE:
        if entry.id not in keymap:
            for screen in _screens_of(entry.owner):
                for key in entry.keys.split(","):
                    taken.setdefault((screen, key.strip()), entry.id)
    kept: dict[str, str] = {}
    for key_id, keys in keymap.items():
        if key_id not in ACTIONS_BY_ID:
            problems.append(f"Settings: unknown key binding id {key_id!r} (see ? help)")
            continue
        screens = _screens_of(ACTIONS_BY_ID[key_id].owner)
        clash = next((taken[(screen, k.strip())] for screen in screens for k in keys.split(",")
                      if taken.get((screen, k.strip()), key_id) != key_id), None)
        if clash is not None:
            problems.append(f"Settings: {key_id} = {keys!r} takes the key of {clash}; keeping the default for both")
            continue
        kept[key_id] = keys
        for screen in screens:
            for key in keys.split(","):
                taken[(screen, key.strip())] = key_id
    return kept, problems


def _screens_of(owner: str) -> tuple[str, ...]:
    """The screens where an owner's keys are live (the PAPER keys on the full-screen paper too)."""
    return (SCREEN_OF[owner], FULL_PAPER) if owner == PAPER else (SCREEN_OF[owner],)


def display_keys(keys: str) -> str:
    """Key string as people read it: 'down,j' -> '↓ j'."""
    names = {"down": "↓", "up": "↑", "left": "←", "right": "→", "enter": "Enter", "space": "Space",
             "slash": "/", "question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp",
             "home": "Home", "end": "End", "tab": "Tab", "shift+tab": "Shift+Tab", "escape": "Esc",
             "backslash": "\\", "right_square_bracket": "]", "ctrl+t": "Ctrl+T", "ctrl+s": "Ctrl+S"}
    return " ".join(names.get(key, key) for key in keys.split(","))
