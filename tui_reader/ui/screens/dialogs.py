"""Small modal dialogs: a yes/no question and a one-line text prompt (note, tags)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..keys import CONFIRM, NOTE_EDITOR, PROMPT, bindings
from .terminal_size import TerminalSized

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 70%; min-width: 30; max-width: 90; height: auto;
    border: round $primary; background: $panel; padding: 0 1; }}
{name} .dialog-hint {{ color: $text-muted; }}
{name} .dialog-paper {{ max-height: 2; text-style: italic; }}
"""


def _paper_title(title: str) -> Static:
    """The paper a dialog is about, on two lines at most (an id alone names nothing)."""
    text = Text(title, overflow="ellipsis")
    return Static(text, classes="dialog-paper", markup=False)


class ConfirmScreen(TerminalSized, ModalScreen[bool]):
    """Ask a yes/no question; y / Enter answer yes, n / Esc answer no."""

    BINDINGS = bindings(CONFIRM)
    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmScreen")

    def __init__(self, question: Text | str) -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, markup=False)
            yield Static(Text("y / Enter: yes    n / Esc: no"), classes="dialog-hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class PromptScreen(TerminalSized, ModalScreen[str | None]):
    """Edit one line of text; Enter saves, Esc cancels (result None)."""

    BINDINGS = bindings(PROMPT)
    DEFAULT_CSS = _DIALOG_CSS.format(name="PromptScreen")

    def __init__(self, title: str, value: str, hint: str = "Enter saves · Esc cancels", *,
                 paper_title: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.paper_title = paper_title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.title_text, style="bold"), markup=False)
            if self.paper_title:
                yield _paper_title(self.paper_title)
            yield Input(self.value, id="prompt-input")
            yield Static(Text(self.hint), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.is_active:  # Esc may have cancelled while the message waited (see PaperScreen._back)
            self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(TerminalSized, ModalScreen[str | None]):
    """Edit a note of several lines (Textual's TextArea); Ctrl+S saves, Esc cancels."""

    BINDINGS = bindings(NOTE_EDITOR)
    DEFAULT_CSS = _DIALOG_CSS.format(name="NoteScreen") + """
    NoteScreen TextArea { height: 10; }
    """

    def __init__(self, title: str, value: str, *, paper_title: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.paper_title = paper_title

    def compose(self) -> ComposeResult:
        from textual.widgets import TextArea

        with Vertical():
            yield Static(Text(self.title_text, style="bold"), markup=False)
            if self.paper_title:
                yield _paper_title(self.paper_title)
            yield TextArea(self.value, id="note-input", soft_wrap=True)
            yield Static(Text("Ctrl+S saves · Esc cancels · Enter starts a new line"), classes="dialog-hint",
                         markup=False)

    def on_mount(self) -> None:
        from textual.widgets import TextArea

        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        from textual.widgets import TextArea

        self.dismiss(self.query_one(TextArea).text.strip("\n"))

    def action_cancel(self) -> None:
        self.dismiss(None)
