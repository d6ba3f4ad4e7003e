"""Gauges that say their value in numbers and words as well as with a bar."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

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

    def render(self) -> Text:
        name, value, low, high = self.meter
        span = max(1, high - low)
        width = max(6, min(30, self.size.width - 2))
        text = Text()
        text.append(label_of(name), style="bold")
        text.append("\n")
        text.append(bar((value - low) / span, width))
        text.append(f"\n{value} on a scale of {low} to {high}")
        return text


class RuleBar(Static):
    """One ground rule in the debrief: its name, a bar, and 'earned of best (percent)'."""

    DEFAULT_CSS = """
    RuleBar { height: auto; }
    """

    def __init__(self, name: str, earned: int, best: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.values = (name, earned, best)

    def render(self) -> Text:
        name, earned, best = self.values
        fraction = max(0, earned) / best if best > 0 else 0.0
        percent = round(100 * fraction)
        text = Text()
        text.append(f"{name}\n", style="bold")
        text.append(bar(fraction, 20))
        text.append(f" {earned} of {best} ({percent}%)")
        return text
