"""How a play session was asked for: one object for the CLI, the players and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PlayConfig:
    library: Path
    db_url: str | None = None
    role: str | None = None
    scenario: str | None = None
    participant: str | None = None
    name: str | None = None
    email: str | None = None
    from_scene: str | None = None
    preset: dict[str, int] = field(default_factory=dict)
    watch: bool = False

    @property
    def practice(self) -> bool:
        """Starting elsewhere or with preset variables is practice and never counts."""
        return self.from_scene is not None or bool(self.preset)
