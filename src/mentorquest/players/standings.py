"""How each ground rule went, told so that nothing reads as a failure that is not one.

A scenario's best for a rule counts every branch, but a player walks one path: points a
rule offers only on a branch not taken were never within reach. So each rule is told in
three parts: what was earned, what the path taken offered (at each decision, the best of
the choices that led on to the same scene as the one made), and what only other paths
offered. A negative total is told as points lost, never as "-3 of 8 (0%)"; a rule with
nothing to earn in a scenario says so rather than "0 of 0 (0%)".

Badges are told the same way: what each one needs, which were earned, and for each one
missed, how far off it is and which scenario to replay to earn it. Nothing here imports
textual or rich; both players use these words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, NamedTuple

from mentorquest.engine.rewards import BADGE_THRESHOLD, badges, rule_totals

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from mentorquest.engine import Attempt, AttemptResult
    from mentorquest.language.format import Programme
    from mentorquest.language.library import Library


class RuleStanding(NamedTuple):
    """One ground rule in one attempt."""

    rule: str
    earned: int  # may be negative: points lost
    on_path: int  # the most the path taken offered (0..best)
    best: int  # the most any path offers (0 when the rule only takes points away)

    @property
    def other_paths(self) -> int:
        """Points only other paths offered."""
        return max(0, self.best - self.on_path)

    @property
    def missed(self) -> int:
        """Points the path taken offered that were not earned."""
        return max(0, self.on_path - max(0, self.earned))


def path_offers(attempt: Attempt) -> dict[str, int]:
    """Per rule, the most the attempt's own path offered: at each decision, the best of
    the choices offered that led on to the same scene as the one made (counted, as scores
    are, only the first time a choice is taken)."""
    from mentorquest.engine import Attempt as Replay

    replay = Replay(
        attempt.library,
        attempt.scenario,
        attempt.analysis,
        replace(attempt.state, path=[]),
    )
    offered: dict[str, int] = {}
    taken: set[tuple[str, str]] = set()
    for step in attempt.state.path:
        available = [choice for _, choice in replay.available()]
        chosen = next(c for c in available if c.id == step.choice)
        best_here: dict[str, int] = {}
        for choice in available:
            if choice.goto != chosen.goto or (step.scene, choice.id) in taken:
                continue
            for rule, points in choice.scores.items():
                best_here[rule] = max(best_here.get(rule, 0), points)
        for rule, points in best_here.items():
            offered[rule] = offered.get(rule, 0) + max(0, points)
        taken.add((step.scene, chosen.id))
        replay.choose(step.choice)
    return offered


def rule_standings(attempt: Attempt, result: AttemptResult | None = None) -> list[RuleStanding]:
    """Each scored rule of the attempt: earned, offered on its path, offered anywhere."""
    result = result or attempt.result()
    offered = path_offers(attempt)
    standings = []
    for score in result.scores:
        best = max(0, score.best)
        on_path = min(best, max(offered.get(score.rule, 0), max(0, score.earned)))
        standings.append(RuleStanding(score.rule, score.earned, on_path, best))
    return standings


def _points(count: int) -> str:
    return f"{count} point" if abs(count) == 1 else f"{count} points"


def percent(earned: int, of: int) -> int:
    """Earned as a whole percent of `of` (0 when nothing could be earned or none was)."""
    if of <= 0 or earned <= 0:
        return 0
    return min(100, (200 * earned + of) // (2 * of))


def standing_words(standing: RuleStanding) -> str:
    """One rule's result in words, the same on every face. The path is mentioned only when
    it offered less than the scenario does."""
    earned, on_path, best = standing.earned, standing.on_path, standing.best
    if best == 0:
        if earned < 0:
            return f"{_points(-earned)} lost (nothing to earn on this rule here)"
        return "nothing to earn in this scenario, and no points lost"
    scope = "" if on_path == best else " on your path"
    if earned < 0:
        words = f"{_points(-earned)} lost"
        if on_path:
            words += f" (of {on_path} to earn{scope})"
    elif on_path == 0:
        words = "not on your path"
    else:
        words = f"{earned} of {on_path}{scope} ({percent(earned, on_path)}%)"
    if standing.other_paths and on_path:
        words += f"; {standing.other_paths} more only on other paths"
    elif standing.other_paths:
        words += f" ({_points(standing.other_paths)} only on other paths)"
    return words


# --- badges --------------------------------------------------------------------------------

BADGE_NEEDS = (
    f"A ground rule's badge needs {round(100 * BADGE_THRESHOLD)}% of the points that rule "
    "offers across your required scenarios (each scenario's best attempt counts)."
)


class BadgeStanding(NamedTuple):
    rule: str
    earned: int
    best: int
    needed: int  # points needed for the badge
    badge: bool
    replay: str | None  # the scenario with the most points still to win for this rule


def badge_standings(
    required: list[str], best_results: Mapping[str, AttemptResult]
) -> list[BadgeStanding]:
    """Each rule the required scenarios score: earned, needed, and where to earn more."""
    results = [best_results[s] for s in required if s in best_results]
    won = set(badges(results))
    standings = []
    for rule, (earned, best) in rule_totals(results).items():
        if best <= 0:
            continue  # nothing to earn: no badge to win or miss
        needed = -(-round(1000 * BADGE_THRESHOLD) * best // 1000)  # ceiling
        replay = None
        if rule not in won:
            gaps = []
            for scenario_id in required:
                result = best_results.get(scenario_id)
                score = result.score(rule) if result is not None else None
                if score is not None and score.best > score.earned:
                    gaps.append((score.best - score.earned, scenario_id))
            replay = max(gaps)[1] if gaps else None
        standings.append(BadgeStanding(rule, earned, best, needed, rule in won, replay))
    return standings


def badge_lines(
    programme: Programme, library: Library, standings: Iterable[BadgeStanding]
) -> list[str]:
    """How many badges, what a badge needs, the badges earned, then each one missed with
    what it needs and which scenario to replay."""
    from mentorquest.players.journey import rule_name
    from mentorquest.textsafe import label

    standings = list(standings)
    earned = [s for s in standings if s.badge]
    missed = [s for s in standings if not s.badge]
    lines = [f"Badges: {len(earned)} of {len(standings)}", BADGE_NEEDS]
    for s in earned:
        lines.append(
            f"  Earned: {rule_name(programme, s.rule)} "
            f"({s.earned} of {s.best} points, {percent(s.earned, s.best)}%)"
        )
    for s in missed:
        line = (
            f"  Missed: {rule_name(programme, s.rule)}: {s.earned} of {s.best} points "
            f"({percent(s.earned, s.best)}%), needs {s.needed}"
        )
        if s.replay is not None:
            scenario = library.scenarios.get(s.replay)
            title = label(scenario.title) if scenario is not None else label(s.replay)
            line += f"; replay {title} to earn more"
        lines.append(line)
    return lines
