"""A page of text to be read in full, and a line that says when there is more of it.

Scenes, debriefs, dialogs and the longer screens put what must be read in a
`ReadingPage`: PageUp and PageDown scroll it whatever has focus (the screens bind them,
see `screens/base.py`), and up, down, Home and End when the page itself has focus. A
`MoreLine` under it says in words, not by a scrollbar thumb alone, that the text goes on
above or below, and which keys bring it.
"""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static


class ReadingPage(VerticalScroll):
    """A scrolling page that tells its screen when what is in view changes."""

    class Moved(Message):
        """What is in view changed: scrolled, resized or new content."""

        def __init__(self, page: ReadingPage) -> None:
            super().__init__()
            self.page = page

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.post_message(self.Moved(self))

    def on_resize(self) -> None:
        self.post_message(self.Moved(self))

    @property
    def more_above(self) -> bool:
        return round(self.scroll_y) > 0

    @property
    def more_below(self) -> bool:
        return round(self.scroll_y) < self.max_scroll_y


class MoreLine(Static):
    """'More below' / 'more above' in words, with the keys; empty when all is in view."""

    DEFAULT_CSS = """
    MoreLine {
        height: 1;
        width: 1fr;
        padding: 0 2;
        text-style: bold;
        color: $text-accent;
    }
    MoreLine.-all-shown {
        display: none;
    }
    """

    def __init__(self, below: str = "More below", **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.below = below
        self.add_class("-all-shown")

    def show_for(self, page: ReadingPage) -> None:
        from mentorquest.tui.keys import shown_keys
        from mentorquest.tui.screens.base import PAGE_DOWN, PAGE_UP

        above, below = page.more_above, page.more_below
        self.set_class(not (above or below), "-all-shown")
        keymap = getattr(self.app, "keymap", {})
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        if below:
            text.append(f"▼ {self.below} ({shown_keys(PAGE_DOWN, keymap)})")
        if above:
            text.append(" · " if below else "")
            text.append(f"▲ more above ({shown_keys(PAGE_UP, keymap)})")
        self.update(text)
