"""The one-line bar at the top of every screen: where you are, and who is playing.

Textual's `Header` would do, but each one registers watchers on the app's title that
outlive its screen: every scene, debrief or map shown would leave a dead header, and its
screen, alive (about 5 MiB a scenario). This bar reads the titles when it draws and is
refreshed by its screen and by the app when they change, so it holds on to nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


def _fit(text: str, width: int) -> str:
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class TitleBar(Widget):
    """Left: the screen's title (or the programme's); right: the participant."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 1fr;
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    def render(self) -> Text:
        screen, app = self.screen, self.app
        left = screen.title or app.title
        right = screen.sub_title if screen.sub_title is not None else app.sub_title
        width = self.content_size.width
        if right and len(left) + len(right) + 3 > width:
            # The participant keeps up to a third of the line; the title the rest.
            right = _fit(right, max(12, width // 3))
            left = _fit(left, width - len(right) - 3)
        text = Text(_fit(left, width), style="bold", no_wrap=True, end="")
        if right:
            gap = max(3, width - len(text.plain) - len(right))
            text.append(" " * gap)
            text.append(right)
        return text
