"""Workarounds for known problems of Textual itself, each naming its upstream issue, so
that they can be dropped when a Textual release fixes them."""

from __future__ import annotations

from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import OptionList


def release_styles_of_removed_widgets() -> None:
    """Let go of the rendered lines of widgets no longer on any screen.

    Textual 8 caches `StylesCache.get_inner_outer` with `lru_cache` on an instance method,
    so the cache keeps up to 1,024 removed widgets' style caches, each with every line it
    rendered, alive (Textualize/textual#6665): a few MiB per scenario played. Clearing it
    when the journey moves to another screen, or a feedback dialog closes, costs two Style
    objects per widget on the next frame. Harmless where a later Textual has no such cache."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:
        return

    clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if clear is not None:
        clear()


class SteadyOptionList(OptionList):
    """`OptionList`, keeping its options' laid-out lines through a Resize that leaves its
    width as it was.

    Textual 8's `OptionList` wraps every option again on each Resize event, and its first
    Resize arrives after its first frame was drawn at that very size: every option was
    wrapped twice before the first key could be pressed (2-3 ms for the quest map's 80
    options). Its lines depend on the width alone, so a Resize at the width they were
    drawn at keeps them. Harmless where a later Textual no longer does this."""

    _drawn_width: int | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        self._drawn_width = self.scrollable_content_region.width
        return lines

    def _on_resize(self, event: events.Resize) -> None:
        if self._drawn_width == self.scrollable_content_region.width:
            event.prevent_default()  # OptionList's own handler would drop the lines
