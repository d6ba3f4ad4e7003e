"""A scene's choices: each one a line (or several) that takes focus, numbered as offered.

The choices sit on the page under the story, so that one set of keys reads the whole
scene: up and down move between choices (and back into the story above the first),
Enter picks the highlighted one, its digit picks any, the mouse works too. The highlighted
choice is marked by a pointer as well as by colour.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

POINTER = "▶"

CHOICE_BINDINGS: list[BindingType] = [
    Binding("enter", "pick", "Pick", id="choice.pick", tooltip="Pick the highlighted choice"),
    Binding(
        "down",
        "move(1)",
        "Next",
        show=False,
        id="choice.next",
        tooltip="Highlight the next choice",
    ),
    Binding(
        "up",
        "move(-1)",
        "Previous",
        show=False,
        id="choice.previous",
        tooltip="Highlight the previous choice (above the first: back to the story)",
    ),
]


class ChoiceItem(Widget, can_focus=True):
    """One offered choice: its number, and its text as Markdown (already made safe)."""

    DEFAULT_CSS = """
    ChoiceItem {
        layout: horizontal;
        height: auto;
        width: 1fr;
    }
    ChoiceItem > .choice-number {
        width: 5;
        height: auto;
    }
    ChoiceItem > .choice-text {
        width: 1fr;
        height: auto;
    }
    ChoiceItem:focus {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    ChoiceItem:focus > .choice-number {
        text-style: bold;
    }
    ChoiceItem:hover {
        background: $block-hover-background;
    }
    """

    BINDINGS = CHOICE_BINDINGS

    class Picked(Message):
        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    class Moved(Message):
        """Up or down was pressed on this choice: the scene moves the highlight."""

        def __init__(self, item: ChoiceItem, step: int) -> None:
            super().__init__()
            self.item = item
            self.step = step

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.number = 0
        self.choice_id = ""

    def compose(self) -> ComposeResult:
        yield Static("", classes="choice-number", markup=False)
        yield Static("", classes="choice-text", markup=False)

    def show_choice(self, number: int, choice_id: str, text: Text) -> None:
        self.number = number
        self.choice_id = choice_id
        self._show_number()
        self.query_one(".choice-text", Static).update(text)

    def _show_number(self, focused: bool | None = None) -> None:
        marker = POINTER if (self.has_focus if focused is None else focused) else " "
        self.query_one(".choice-number", Static).update(Text(f"{marker} {self.number}."))

    def on_focus(self) -> None:
        self._show_number(focused=True)

    def on_blur(self) -> None:
        self._show_number(focused=False)

    def on_click(self) -> None:
        self.post_message(self.Picked(self.number))

    def action_pick(self) -> None:
        self.post_message(self.Picked(self.number))

    def action_move(self, step: int) -> None:
        self.post_message(self.Moved(self, step))
