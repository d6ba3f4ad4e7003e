"""Gamified results, defined once and shown by every player: stars and ground-rule badges."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mentorquest.engine.results import AttemptResult

BADGE_THRESHOLD = 0.9


def stars(result: AttemptResult | None) -> int:
    """0 not passed; 1 passed; 2 at least 85%; 3 a full 100% with no critical breach."""
    if result is None or not result.passed:
        return 0
    if result.percent == 100 and not result.critical:
        return 3
    return 2 if result.percent >= 85 else 1


def rule_totals(results: Iterable[AttemptResult]) -> dict[str, tuple[int, int]]:
    """Per ground rule, (earned, best) summed across the given results."""
    totals: dict[str, tuple[int, int]] = {}
    for result in results:
        for score in result.scores:
            earned, best = totals.get(score.rule, (0, 0))
            totals[score.rule] = (earned + score.earned, best + score.best)
    return totals


def badges(results: Iterable[AttemptResult]) -> list[str]:
    """Ground rules mastered: at least 90% of the rule's best across the results."""
    return [
        rule
        for rule, (earned, best) in rule_totals(results).items()
        if best > 0 and earned >= BADGE_THRESHOLD * best
    ]
