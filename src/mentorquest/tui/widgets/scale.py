"""A 1-5 scale question as radio buttons; digits 1-5 pick a value directly."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import RadioButton, RadioSet

from mentorquest.tui.widgets.marked import MarkedRadioButton


class ScaleSelector(RadioSet):
    DEFAULT_CSS = """
    ScaleSelector { layout: horizontal; width: auto; height: auto; }
    ScaleSelector > RadioButton { width: auto; margin-right: 1; }
    """

    BINDINGS = [
        Binding(
            str(n),
            f"pick({n})",
            "Pick",
            key_display="1-5",
            show=False,
            id=f"scale.pick-{n}",
            tooltip=f"Answer {n} on the scale" if n > 1 else "Answer a scale question, 1 to 5",
        )
        for n in range(1, 6)
    ]

    def __init__(self, value: int | None = None, **kwargs: Any) -> None:
        buttons = [MarkedRadioButton(str(n), value=(n == value)) for n in range(1, 6)]
        super().__init__(*buttons, **kwargs)

    @property
    def value(self) -> int | None:
        index = self.pressed_index
        return index + 1 if index >= 0 else None

    def action_pick(self, number: int) -> None:
        buttons = list(self.query(RadioButton))
        buttons[number - 1].value = True
        self._selected = number - 1
        self.refresh()
