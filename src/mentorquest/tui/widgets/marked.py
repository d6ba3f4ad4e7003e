"""A radio button whose state shows in its shape, not by colour alone."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton


class MarkedRadioButton(RadioButton):
    """Filled (●) when chosen, empty when not: readable without colour (NO_COLOR, screen readers)."""

    @property
    def _button(self) -> Content:
        # Textual draws the same dot in both states and tells them apart by colour only.
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button
