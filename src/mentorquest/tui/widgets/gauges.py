"""Gauges that say their value in numbers and words as well as with a bar."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static

from mentorquest.players.standings import RuleStanding, standing_words

FULL = "█"
EMPTY = "░"


def bar(fraction: float, width: int) -> str:
    fraction = max(0.0, min(1.0, fraction))
    filled = round(fraction * width)
    return FULL * filled + EMPTY * (width - filled)


def label_of(name: str) -> str:
    return name.replace("_", " ").replace("-", " ").capitalize()


class MeterGauge(Static):
    """The scenario's meter (e.g. trust): name, bar and value on its scale."""

    DEFAULT_CSS = """
    MeterGauge { height: auto; width: 1fr; }
    """

    def __init__(self, name: str, value: int, low: int, high: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.meter = (name, value, low, high)

    def set_value(self, name: str, value: int, low: int, high: int) -> None:
        self.meter = (name, value, low, high)
        self.refresh(layout=True)

    def _words(self) -> str:
        name, value, low, high = self.meter
        return f"{label_of(name)}: {value} on a scale of {low} to {high}"

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1 if width - len(self._words()) - 1 >= 10 else 2

    def render(self) -> Text:
        _name, value, low, high = self.meter
        fraction = (value - low) / max(1, high - low)
        words = self._words()
        width = self.content_size.width
        text = Text(no_wrap=True, end="")
        text.append(words, style="bold")
        if width - len(words) - 1 >= 10:  # the bar beside the words when it fits
            text.append(" " + bar(fraction, min(30, width - len(words) - 1)))
        else:
            text.append("\n" + bar(fraction, max(6, min(30, width))))
        return text


EARNED = "█"
MISSED = "░"
ELSEWHERE = "·"
LEGEND = f"{EARNED} earned   {MISSED} on your path, not earned   {ELSEWHERE} only on other paths"


def rule_bar(standing: RuleStanding, width: int) -> str:
    """Earned, then offered on the path but missed, then offered only on other paths:
    three shapes, so the bar reads the same without colour."""
    if standing.best <= 0:
        return ""
    scale = width / standing.best
    earned = round(max(0, standing.earned) * scale)
    missed = round((max(0, standing.earned) + standing.missed) * scale) - earned
    elsewhere = max(0, width - earned - missed)
    return EARNED * earned + MISSED * missed + ELSEWHERE * elsewhere


class RuleBar(Static):
    """One ground rule in the debrief: its name, a three-part bar and the words for it."""

    DEFAULT_CSS = """
    RuleBar { height: auto; }
    """

    def __init__(self, name: str, standing: RuleStanding, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = (name, standing)

    def render(self) -> Text:
        name, standing = self.values
        text = Text()
        text.append(f"{name}\n", style="bold")
        shown = rule_bar(standing, 20)
        if shown:
            text.append(shown + " ")
        text.append(standing_words(standing))
        return text
