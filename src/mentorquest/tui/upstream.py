"""Workarounds for known problems of Textual itself, each naming its upstream issue, so
that they can be dropped when a Textual release fixes them."""

from __future__ import annotations


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
