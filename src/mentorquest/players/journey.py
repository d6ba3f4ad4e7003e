"""The journey through onboarding, written once for both players (line and Textual).

What to check before playing (roles, scenarios, practice starts), where a participant
stands (surveys, what is required, what is passed, what is in progress), how an attempt
is resumed or started and finished, and the words every result is told in. The players
only ask and show; they hold no journey logic of their own. Nothing here imports
textual or rich.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from mentorquest.engine.rewards import stars
from mentorquest.errors import StateMismatch, UsageError
from mentorquest.language.suggest import did_you_mean
from mentorquest.textsafe import clip, label, literal

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from mentorquest.engine import Attempt, AttemptResult, Debrief, DebriefEntry, Engine
    from mentorquest.language.format import Programme, Scenario, SurveyQuestion
    from mentorquest.language.library import Library
    from mentorquest.players.config import PlayConfig
    from mentorquest.players.progress import Participant, Progress
    from mentorquest.players.standings import RuleStanding


# --- checking what was asked for --------------------------------------------------------


def check_role(programme: Programme, role: str) -> str:
    """The role, if the programme has it; else a UsageError naming the roles it has."""
    if role not in programme.roles:
        raise UsageError(
            f"unknown role '{clip(role)}'{did_you_mean(role, programme.roles)}; "
            f"this programme has: {', '.join(programme.roles)}"
        )
    return role


def scenario_for(library: Library, scenario_id: str, role: str | None) -> Scenario:
    """The scenario, if it exists and `role` (when given) plays it; else a UsageError."""
    scenario = library.scenario(scenario_id)
    if role is not None and role not in scenario.roles:
        raise UsageError(
            f"scenario '{scenario.id}' is not played by role '{clip(role)}' "
            f"(its roles: {', '.join(scenario.roles)})"
        )
    return scenario


PARTICIPANT_ID_LIMIT = 200


def check_participant_id(text: str) -> str:
    """A participant id as given, if it is one line of printable text (it goes into records,
    exports and other people's terminals); else a UsageError saying what an id may be."""
    if not text or len(text) > PARTICIPANT_ID_LIMIT or not text.isprintable():
        raise UsageError(
            f"a participant id is one line of printable text, 1 to {PARTICIPANT_ID_LIMIT} "
            "characters (an email address will do)"
        )
    if text != text.strip():
        # ' p-1' and 'p-1' would be two participants that no one could tell apart.
        raise UsageError(f"a participant id has no spaces at its start or end: '{text}'")
    return text


def named(known: Iterable[Participant], name: str, role: str | None) -> Participant | None:
    """The known participant of that name (and role, when given), as `--name` finds them."""
    for participant in known:
        if participant.name.casefold() == name.casefold() and role in (None, participant.role):
            return participant
    return None


def new_participant_id(name: str, email: str | None, taken: Iterable[str]) -> str:
    """The id a participant named only by `--name` gets: their email, else their name as
    a slug, numbered if another has it."""
    if email:
        return email.strip().lower()
    base = re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "participant"
    used = set(taken)
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def masked_id(participant_id: str) -> str:
    """A participant id hinted at, not shown: people share machines, and ids are often
    email addresses ("s…@example.org")."""
    local, at, domain = participant_id.partition("@")
    if at:
        return f"{local[:1]}…@{domain}"
    return f"{participant_id[:2]}…" if len(participant_id) > 2 else participant_id


def profile_labels(people: Iterable[Participant]) -> list[str]:
    """How profiles are listed for picking: name and role, with a hint of the id only
    when two people share both."""
    people = list(people)
    seen: dict[tuple[str, str], int] = {}
    for person in people:
        key = (person.name.casefold(), person.role)
        seen[key] = seen.get(key, 0) + 1
    labels = []
    for person in people:
        shown = (
            f"{label(person.name)} ({label(person.role)})" if person.role else label(person.name)
        )
        if seen[(person.name.casefold(), person.role)] > 1:
            shown += f" [{label(masked_id(person.id))}]"
        labels.append(shown)
    return labels


def check_request(library: Library, engine: Engine, config: PlayConfig) -> None:
    """Refuse a play request that cannot be played, before anything is shown."""
    if config.participant is not None:
        check_participant_id(config.participant)
    if config.role is not None:
        check_role(library.programme, config.role)
    if config.practice and not config.scenario:
        raise UsageError("--from and --set need --scenario ID")
    if config.scenario is not None:
        scenario = scenario_for(library, config.scenario, config.role)
        if config.practice:
            # Fail now, with the engine's clear message, rather than half-way in.
            engine.start(
                scenario.id, scene=config.from_scene, variables=config.preset, practice=True
            )


# --- the welcome's question -------------------------------------------------------------

# How a participant says where they are starting from, at the welcome; the programme's
# `introduction.opening` names the scenario choice each answer makes.
WELCOME_ANSWERS = {
    "basics": "I am new to mentoring",
    "differences": "I have been mentored or have mentored before",
}


# --- where a participant stands -----------------------------------------------------------


class Status(Enum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    PASSED = "passed"
    RETRY = "needs another try"


class QuestEntry(NamedTuple):
    """One scenario as the quest map shows it."""

    scenario_id: str
    title: str
    status: Status
    stars: int
    best_percent: int | None
    minutes: int | None
    required: bool


def survey_done(questions: Iterable[SurveyQuestion], answers: Mapping[str, str | int]) -> bool:
    """Every required question answered; a survey of optional questions only counts as
    done once one of them is answered (a player also remembers a skip for its session)."""
    questions = list(questions)
    if not questions:
        return True
    if any(q.id not in answers for q in questions if not q.optional):
        return False
    return any(q.id in answers for q in questions)


def _random_seed() -> int:
    return int.from_bytes(os.urandom(4), "big")


class Journey:
    """One participant's way through one programme: what is next, and playing it."""

    def __init__(
        self,
        library: Library,
        engine: Engine,
        progress: Progress,
        role: str,
        config: PlayConfig,
        *,
        input_kind: str = "terminal",
        seeds: Callable[[], int] | None = None,
    ) -> None:
        self.library = library
        self.engine = engine
        self.progress = progress
        self.role = role
        self.config = config
        self.input_kind = input_kind  # how decisions are made: "terminal" or "scripted"
        # Each attempt shows its choices in an order of its own, from a seed saved with it,
        # so that the best choice is not found by its place on the screen.
        self.new_seed = seeds or _random_seed
        # "basics" or "differences": the answer given at the welcome, in this session.
        self.welcome_answer: str | None = None

    @property
    def practice(self) -> bool:
        return self.config.practice

    def required(self) -> list[str]:
        return self.library.required_for(self.role)

    def playable(self) -> list[str]:
        """The role's scenarios: the required ones in programme order, then the optional."""
        return [*self.required(), *self.library.optional_for(self.role)]

    def todo(self, best: Mapping[str, AttemptResult] | None = None) -> list[str]:
        """The required scenarios not yet passed, in programme order."""
        best = self.progress.best_results() if best is None else best
        return [sid for sid in self.required() if not ((r := best.get(sid)) and r.passed)]

    def all_required_passed(self) -> bool:
        """Every required scenario passed; never for a role the programme requires nothing
        of (there is no onboarding to complete, and no record for playing nothing)."""
        return bool(self.required()) and not self.todo()

    def pending_questions(self, part: str) -> list[SurveyQuestion]:
        questions = getattr(self.library.programme.survey, part)
        answered = self.progress.survey_answers(part)
        return [q for q in questions if q.id not in answered]

    def survey_done(self, part: str) -> bool:
        questions = getattr(self.library.programme.survey, part)
        return survey_done(questions, self.progress.survey_answers(part))

    def quest_entries(self) -> list[QuestEntry]:
        """The required scenarios in programme order, then the optional ones."""
        best = self.progress.best_results()
        in_progress = self.progress.in_progress()
        required = set(self.required())
        out = []
        for scenario_id in self.playable():
            scenario = self.library.scenarios.get(scenario_id)
            if scenario is None:
                continue
            result = best.get(scenario_id)
            if result is not None and result.passed:
                status = Status.PASSED
            elif scenario_id in in_progress:
                status = Status.IN_PROGRESS
            elif result is not None:
                status = Status.RETRY
            else:
                status = Status.NOT_STARTED
            out.append(
                QuestEntry(
                    scenario_id=scenario_id,
                    title=scenario.title,
                    status=status,
                    stars=stars(result),
                    best_percent=result.percent if result is not None else None,
                    minutes=scenario.minutes,
                    required=scenario_id in required,
                )
            )
        return out

    def scenario_in_progress(self) -> str | None:
        """The first scenario (programme order) with a saved, unfinished attempt."""
        in_progress = self.progress.in_progress()
        for scenario_id in self.playable():
            if scenario_id in self.library.scenarios and scenario_id in in_progress:
                return scenario_id
        return None

    # --- playing --------------------------------------------------------------------------

    def attempt_for(self, scenario_id: str, *, fresh: bool = False) -> tuple[Attempt, str | None]:
        """Resume the saved attempt at a scenario, or start one; practice always starts.

        Returns the attempt and, when a saved attempt could not be resumed (its path does
        not replay, or it cannot be read), one line saying so: it is set aside, never
        deleted, and the scenario starts afresh.
        """
        config = self.config
        if self.practice:
            # Practice starts elsewhere or with preset variables; it is never resumed.
            attempt = self.engine.start(
                scenario_id,
                scene=config.from_scene,
                variables=config.preset or None,
                practice=True,
                input_kind=self.input_kind,
                seed=self.new_seed(),
            )
            return attempt, None
        note = None
        if not fresh:
            saved = self.progress.saved_attempt(scenario_id)
            if saved is not None:
                try:
                    return self.engine.restore(saved), None
                except StateMismatch as error:
                    self.progress.set_aside(scenario_id, str(error))
                    note = (
                        f"Your saved attempt could not be resumed ({literal(str(error))}); "
                        "it is kept aside and this scenario starts afresh."
                    )
        attempt = self.engine.start(scenario_id, input_kind=self.input_kind, seed=self.new_seed())
        self.autosave(attempt)
        return attempt, note

    def answered_at_welcome(self, attempt: Attempt) -> str | None:
        """The choice id the welcome's answer makes in this attempt, if it makes one now:
        at the start scene of the programme's opening scenario, before any choice."""
        intro = self.library.programme.introduction
        opening = intro.opening if intro is not None else None
        answer = self.welcome_answer
        if opening is None or answer not in WELCOME_ANSWERS or attempt.state.practice:
            return None
        if attempt.state.scenario_id != opening.scenario or attempt.state.path:
            return None
        if attempt.scene_id != attempt.scenario.start:
            return None
        choice_id: str = getattr(opening, answer)
        return choice_id if any(c.id == choice_id for c in attempt.choices()) else None

    def autosave(self, attempt: Attempt) -> None:
        """Save after every choice; practice attempts are never saved (they never count)."""
        if not attempt.state.practice:
            self.progress.save_attempt(attempt.state)

    def finish(self, attempt: Attempt) -> Debrief:
        """Keep a finished attempt (unless it is practice) and return its debrief."""
        if not attempt.state.practice:
            self.progress.finish_attempt(attempt)
        return attempt.debrief()

    def required_results(self) -> list[AttemptResult]:
        best = self.progress.best_results()
        return [best[sid] for sid in self.required() if sid in best]


# --- the words results are told in -------------------------------------------------------
# Words and numbers carry every meaning (no colour, no symbols needed), so the same lines
# serve a screen reader, a dumb terminal, a log file and the Textual app.


def rule_name(programme: Programme, rule: str) -> str:
    found = programme.rule(rule)
    return label(found.name) if found else label(rule)


def score_words(programme: Programme, scores: Mapping[str, int]) -> str:
    return "; ".join(f"{value:+d} {rule_name(programme, rule)}" for rule, value in scores.items())


def critical_words(programme: Programme, rules: Iterable[str]) -> str:
    return "a serious breach of " + ", ".join(rule_name(programme, r) for r in rules)


def result_line(programme: Programme, result: AttemptResult) -> str:
    if result.passed:
        verdict = f"passed (pass mark {result.pass_mark}%)"
    elif result.critical:
        verdict = f"not passed: {critical_words(programme, result.critical)}"
    elif not result.ending_kind:
        verdict = "not finished"
    else:
        verdict = f"not passed: below the pass mark of {result.pass_mark}%"
    practice = " [practice, does not count]" if result.practice else ""
    return f"Result: {result.percent}% - {verdict}{practice}"


def star_text(count: int) -> str:
    """Stars as symbols and in words, so nothing depends on the glyphs alone."""
    return "★" * count + "☆" * (3 - count) + f" {count} of 3 stars"


def feedback_lines(
    programme: Programme, feedback: str | None, scores: Mapping[str, int], critical: str | None
) -> list[str]:
    """What a player is told right after a choice."""
    lines = []
    if feedback:
        lines.append(f"Feedback: {literal(feedback).strip()}")
    if scores:
        lines.append(f"Scores: {score_words(programme, scores)}")
    if critical:
        lines.append(
            f"This is a serious breach of {rule_name(programme, critical)}: "
            "this attempt cannot pass."
        )
    return lines


class Part(NamedTuple):
    """One piece of a decision in the debrief: what kind of piece, and its words."""

    kind: str  # choice | feedback | scores | critical | better | why | best
    text: str


def decision_parts(programme: Programme, entry: DebriefEntry) -> list[Part]:
    """One decision of a debrief: the choice, its feedback and scores, the better option.

    Each face lays the parts out in its own way (labels, emphasis); the words are these.
    """
    parts = [Part("choice", f"{entry.step}. {literal(entry.text)}")]
    if entry.feedback:
        parts.append(Part("feedback", literal(entry.feedback).strip()))
    if entry.scores:
        parts.append(Part("scores", score_words(programme, entry.scores)))
    if entry.critical:
        parts.append(Part("critical", rule_name(programme, entry.critical)))
    if entry.better is not None:
        parts.append(Part("better", literal(entry.better.text)))
        if entry.better.feedback:
            parts.append(Part("why", literal(entry.better.feedback).strip()))
    elif entry.was_best:
        parts.append(Part("best", "This was the best option available."))
    return parts


_PLAIN_LAYOUT = {
    "choice": "{}",
    "feedback": "   Feedback: {}",
    "scores": "   Scores: {}",
    "critical": "   Serious breach of {}.",
    "better": "   A better option here: {}",
    "why": "     Why: {}",
    "best": "   {}",
}


def decision_lines(programme: Programme, entry: DebriefEntry) -> list[str]:
    return [_PLAIN_LAYOUT[part.kind].format(part.text) for part in decision_parts(programme, entry)]


def debrief_lines(
    programme: Programme,
    title: str,
    debrief: Debrief,
    standings: Iterable[RuleStanding] | None = None,
) -> list[str]:
    """The debrief in lines; `standings` (from the attempt) tell each rule against what its
    path offered, else against the scenario's best."""
    from mentorquest.players.standings import RuleStanding, standing_words

    result = debrief.result
    lines = [f"Debrief: {label(title)}"]
    lines.append(result_line(programme, result))
    if result.passed:
        lines.append(f"Stars: {stars(result)} of 3")
    if result.ending_kind:
        lines.append(f"Ending: {result.ending_kind} ({label(result.ending)})")
    lines.append("Ground rules:")
    if standings is None:
        standings = [
            RuleStanding(s.rule, s.earned, max(0, s.best), max(0, s.best)) for s in result.scores
        ]
    for standing in standings:
        lines.append(f"  {rule_name(programme, standing.rule)}: {standing_words(standing)}")
    lines.append("Your decisions:")
    for entry in debrief.entries:
        lines.extend("  " + line for line in decision_lines(programme, entry))
    return lines


def count_words(count: int, thing: str) -> str:
    """'1 scenario', '2 scenarios': the noun agrees with its number."""
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def stars_lines(
    library: Library, required: list[str], best: Mapping[str, AttemptResult]
) -> list[str]:
    """The stars in all, then each required scenario's best."""
    lines = []
    total = 0
    for scenario_id in required:
        result = best.get(scenario_id)
        if result is None:
            continue
        total += stars(result)
        title = label(library.scenarios[scenario_id].title)
        lines.append(f"  {title}: {result.percent}%, {star_text(stars(result))}")
    return [f"Stars: {total} of {3 * len(required)}", *lines]


def completion_lines(
    library: Library, required: list[str], best: Mapping[str, AttemptResult]
) -> list[str]:
    """The end of onboarding: the stars, each required scenario's best, and the badges:
    what a badge needs, which were earned, which were missed and what to replay."""
    from mentorquest.players.standings import badge_lines, badge_standings

    return [
        *stars_lines(library, required, best),
        *badge_lines(library.programme, library, badge_standings(required, best)),
    ]
