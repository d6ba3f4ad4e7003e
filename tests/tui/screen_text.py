"""The visible text of an app's screen, for assertions on what a person would read."""

from __future__ import annotations

from textual.app import App


def screen_text(app: App) -> str:
    """Every line of the composed screen (modals included), as plain text."""
    compositor = app.screen._compositor
    chops = compositor._render_chops(compositor.size.region, lambda y: True)
    lines = ["".join(strip.text for strip in chop.values()).rstrip() for chop in chops]
    return "\n".join(lines)
