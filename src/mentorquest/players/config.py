"""How a play session was asked for: one object for the CLI, the players and the tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

_NO_PRESET: Mapping[str, int] = MappingProxyType({})


class PlayConfig(NamedTuple):
    library: Path
    db_url: str | None = None
    role: str | None = None
    scenario: str | None = None
    participant: str | None = None
    name: str | None = None
    email: str | None = None
    from_scene: str | None = None
    preset: Mapping[str, int] = _NO_PRESET
    watch: bool = False
    take_over: bool = False  # take the journey from a player that holds it

    @property
    def practice(self) -> bool:
        """Starting elsewhere or with preset variables is practice and never counts."""
        return self.from_scene is not None or bool(self.preset)
