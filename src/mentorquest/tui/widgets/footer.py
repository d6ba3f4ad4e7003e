"""The footer: the keys of what has focus, made to fit narrow terminals.

Below 80 columns it drops the spacing between keys and the command palette's key (which
help lists), so that the keys of the screen itself stay in view at 60 columns.

Textual's footer is composed again each time focus moves, and each key it composes binds
itself to the footer's `compact` setting; those bindings are only cleared when `compact`
changes, so a footer whose focus moves at every choice would keep every key it ever
showed (about 0.5 MiB a choice). This footer lets go of the keys it no longer shows.

It is also composed again only when the keys it would show change: focus moving from one
choice to the next, a dialog opening, a scene settling, each asks Textual's footer for a
recompose (a few milliseconds, and a layout and a repaint of the screen, each), though
the keys shown stay the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

NARROW = 80


class KeysFooter(Footer):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        self._forget_removed_keys()
        # Textual's footer shows no key until its screen first says its bindings changed,
        # then is composed again: a second layout and repaint of a screen just drawn. The
        # app's first screen shows its keys at once (composed again only if they then
        # differ), so that start-up is one layout, not two, before the first key can be
        # pressed. Later screens (a scene after a choice) draw their text first and their
        # keys on the next frame, as Textual's footer does: the scene is up 4-5 ms sooner.
        if not getattr(self.app, "first_frame_drawn", True):
            self._bindings_ready = True
        self._shown = self._keys_to_show()
        yield from super().compose()

    def _keys_to_show(self) -> tuple[object, ...]:
        """All that `Footer.compose` draws the keys from, to tell whether they changed."""
        if not self._bindings_ready:
            return ()
        app = self.app
        active = self.screen.active_bindings
        keys = tuple(
            (binding, enabled, tooltip, app.get_key_display(binding))
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        shows_palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        return (
            keys,
            shows_palette,
            (*palette[1:], app.get_key_display(palette[1]))
            if palette is not None and shows_palette
            else None,
            self.compact,
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            # One check per request, as Textual's footer makes one recompose per request:
            # each request also wakes a screen left behind a dialog, whose own callbacks
            # (a scene's `settle`) wait for it.
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self._keys_to_show() != self._shown:
            await self.recompose()

    def _forget_removed_keys(self) -> None:
        # Textual keeps watchers in the attribute "__watchers" (set by name, not mangled).
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for bound in watchers.values():
            bound[:] = [(node, callback) for node, callback in bound if _alive(node)]

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW
        if self.compact != narrow or self.show_command_palette == narrow:
            self.compact = narrow
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)


def _alive(node: object) -> bool:
    return node is not None and bool(getattr(node, "is_attached", False))
