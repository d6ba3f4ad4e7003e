"""The footer: the keys of what has focus, made to fit narrow terminals.

Below 80 columns it drops the spacing between keys and the command palette's key (which
help lists), so that the keys of the screen itself stay in view at 60 columns.

Textual's footer is composed again each time focus moves, and each key it composes binds
itself to the footer's `compact` setting; those bindings are only cleared when `compact`
changes, so a footer whose focus moves at every choice would keep every key it ever
showed (about 0.5 MiB a choice). This footer lets go of the keys it no longer shows.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

NARROW = 80


class KeysFooter(Footer):
    def compose(self) -> ComposeResult:
        self._forget_removed_keys()
        yield from super().compose()

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
