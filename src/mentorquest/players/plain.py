"""The line-mode player: the whole onboarding as numbered prompts, one answer per line.

For screen readers, dumb terminals and scripts: no colour, no cursor movement, nothing
that needs a terminal. Answers are read one per line in the order asked (survey answers,
then choice numbers); at the end of input the player saves and stops cleanly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from mentorquest.engine import Attempt, Engine
from mentorquest.errors import UsageError
from mentorquest.language.format import SurveyQuestion
from mentorquest.language.library import Library
from mentorquest.players import journey
from mentorquest.players.config import PlayConfig
from mentorquest.players.journey import Journey, check_role, debrief_lines, feedback_lines
from mentorquest.players.progress import MemoryProgress, Participant, Progress, ProgressProvider
from mentorquest.players.standings import rule_standings
from mentorquest.textsafe import label, literal, typed


class EndOfInput(Exception):
    """Standard input ended: save and stop."""


class PlainPlayer:
    def __init__(
        self,
        library: Library,
        stdin: TextIO,
        stdout: TextIO,
        progress: Progress | None = None,
        options: PlayConfig | None = None,
        on_role: Callable[[str], None] | None = None,
        provider: ProgressProvider | None = None,
        engine: Engine | None = None,
    ) -> None:
        self.library = library
        self.engine = engine or Engine(library)
        self.programme = library.programme
        self.stdin = stdin
        self.stdout = stdout
        # With a provider, the participant is identified first and progress opened for
        # them; a progress given directly is used as it is (tests, memory-only runs).
        self.provider = provider
        self.progress = progress if progress is not None else MemoryProgress()
        self.options = options or PlayConfig(library=library.root)
        self.on_role = on_role

    # --- input and output --------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        self.stdout.write(prompt)
        self.stdout.flush()
        try:
            line = self.stdin.readline()
        except (OSError, ValueError, UnicodeDecodeError) as error:
            # Standard input that is a folder, closed, or not text: as good as ended.
            reason = getattr(error, "strerror", None) or type(error).__name__
            raise UsageError(f"cannot read standard input ({reason})") from None
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        return typed(line.rstrip("\r\n"))

    # --- the journey -------------------------------------------------------------------

    def run(self) -> int:
        try:
            return self._journey()
        except EndOfInput:
            self.say("Input ended. Your progress is saved; run the same command to continue.")
            return 0
        finally:
            self.progress.close()

    @property
    def input_kind(self) -> str:
        """How this player's decisions are made: typed at a terminal, or scripted."""
        try:
            return "terminal" if self.stdin.isatty() else "scripted"
        except (AttributeError, ValueError, OSError):
            return "scripted"

    def _journey(self) -> int:
        programme = self.programme
        self.say(label(programme.title))
        self.say("=" * len(label(programme.title)))
        if programme.introduction is not None:
            self.say(literal(programme.introduction.summary).strip())
        self.say()
        journey.check_request(self.library, self.engine, self.options)
        known = self._identify() if self.provider is not None else None
        role = self._role(known.role if known is not None else None)
        if self.provider is not None and known is not None and not self.options.practice:
            # Practice never writes: it holds no seat and keeps nothing.
            self.progress = self.provider.open(
                Participant(id=known.id, name=known.name, role=role, email=known.email),
                take_over=self.options.take_over,
            )
        if self.on_role is not None:
            self.on_role(role)
        self.journey = Journey(
            self.library, self.engine, self.progress, role, self.options, input_kind=self.input_kind
        )
        if self.options.scenario is not None:
            scenario = journey.scenario_for(self.library, self.options.scenario, role)
            self._play(scenario.id, 1, 1)
            return 0
        required = self.journey.required()
        if not required:
            self.say(
                f"The programme requires no scenario of a {label(role)}, so there is no "
                "onboarding to complete. Ask your coordinator."
            )
            return 0
        self._survey("before", programme.survey.before)
        todo = self.journey.todo()
        if todo and len(todo) < len(required):
            self.say(
                f"Welcome back: {len(required) - len(todo)} of {len(required)} scenarios passed."
            )
        for scenario_id in todo:
            # Numbered among all the required scenarios, so the second of six is "2 of 6".
            self._play(scenario_id, required.index(scenario_id) + 1, len(required))
        missing = self.journey.todo()
        self.say()
        if missing:
            titles = ", ".join(label(self.library.scenarios[s].title) for s in missing)
            self.say(f"Not yet passed: {titles}.")
            self.say("Run the same command again to try these scenarios once more.")
            return 0
        self._survey("after", programme.survey.after)
        self._summary(required)
        summary = self.progress.complete()
        if summary is not None:
            self.say(f"Your completion record {summary.record_id} is saved and signed.")
        return 0

    def _identify(self) -> Participant:
        """Who is playing: the options first, then the known profiles, then new questions."""
        assert self.provider is not None
        opts = self.options
        participant_id = opts.participant
        if participant_id is None:
            known = self.provider.returning()
            if known:
                self.say("Who is playing? Type a number to continue, or a new participant id.")
                for number, shown in enumerate(journey.profile_labels(known), start=1):
                    self.say(f"  {number}. {shown}")
            while not participant_id:
                answer = self.ask("Participant id: ").strip()
                if known and answer.isdigit() and 1 <= int(answer) <= len(known):
                    participant_id = known[int(answer) - 1].id
                elif answer:
                    try:
                        participant_id = journey.check_participant_id(answer)
                    except UsageError as error:
                        self.say(f"{error}.")
                else:
                    self.say("Please type your participant id (your coordinator gave you one).")
        find = getattr(self.provider, "find", None)
        existing = (
            find(participant_id)
            if find is not None
            else next((p for p in self.provider.participants() if p.id == participant_id), None)
        )
        name = opts.name or (existing.name if existing else None)
        while not name:
            name = self.ask("Your name: ").strip()
            if not name:
                self.say("Please type your name.")
        email = opts.email if opts.email is not None else (existing.email if existing else None)
        if email is None and existing is None:
            email = self.ask("Your email (optional, leave blank to skip): ").strip() or None
        if existing is not None and opts.participant is None:
            self.say(f"Welcome back, {label(name)}.")
        return Participant(
            id=participant_id,
            name=name,
            role=existing.role if existing else "",
            email=email or None,
        )

    def _role(self, known: str | None = None) -> str:
        roles = self.programme.roles
        if self.options.role is not None:
            return check_role(self.programme, self.options.role)
        if known in roles:
            return known
        if len(roles) == 1:
            return roles[0]
        self.say("Which role do you have in the programme?")
        for number, role in enumerate(roles, start=1):
            self.say(f"  {number}. {role}")
        while True:
            answer = self.ask(f"Your role (1-{len(roles)}): ").strip()
            if answer.isdigit() and 1 <= int(answer) <= len(roles):
                return roles[int(answer) - 1]
            if answer in roles:
                return answer
            self.say(f"Please type a number from 1 to {len(roles)}.")

    def _survey(self, part: str, questions: tuple[SurveyQuestion, ...]) -> None:
        pending = self.journey.pending_questions(part)
        if not pending:
            return
        self.say(
            "A few questions "
            + ("before you start." if part == "before" else "now that you have finished.")
        )
        for question in pending:
            answer = self._answer(question)
            # A skipped optional question is saved as "" so that it is not asked again
            # on the next run; records leave empty answers out.
            self.progress.save_survey_answer(part, question.id, "" if answer is None else answer)
        self.say()

    def _answer(self, question: SurveyQuestion) -> str | int | None:
        prompt = literal(question.prompt)
        while True:
            if question.kind == "scale":
                self.say(prompt)
                suffix = ", or leave blank to skip" if question.optional else ""
                answer = self.ask(f"Your answer (1-5{suffix}): ").strip()
                if not answer and question.optional:
                    return None
                if answer in ("1", "2", "3", "4", "5"):
                    return int(answer)
                self.say("Please type a whole number from 1 to 5.")
            else:
                self.say(prompt)
                suffix = " (optional, leave blank to skip)" if question.optional else ""
                answer = self.ask(f"Your answer{suffix}: ").strip()
                if answer:
                    return answer
                if question.optional:
                    return None
                self.say("This question needs an answer.")

    def _play(self, scenario_id: str, number: int, count: int) -> None:
        scenario = self.library.scenarios[scenario_id]
        attempt, note = self.journey.attempt_for(scenario_id)
        if note is not None:
            self.say(f"Note: {note}")
        self.say()
        minutes = f" (about {scenario.minutes} minutes)" if scenario.minutes else ""
        self.say(f"Scenario {number} of {count}: {label(scenario.title)}{minutes}")
        if scenario.summary:
            self.say(literal(scenario.summary).strip())
        if attempt.state.path:
            self.say(f"Resuming where you left off ({len(attempt.state.path)} choices made).")
        while not attempt.finished:
            self._scene(attempt)
            offered = attempt.choices()
            while True:
                answer = self.ask(f"Your choice (1-{len(offered)}): ").strip()
                if answer.isdigit() and 1 <= int(answer) <= len(offered):
                    break
                if any(c.id == answer for c in offered):
                    break
                self.say(f"Please type a number from 1 to {len(offered)}.")
            outcome = attempt.choose(answer)
            self.journey.autosave(attempt)
            if self.programme.feedback == "immediate":
                for line in feedback_lines(
                    self.programme, outcome.feedback, outcome.scores, outcome.critical
                ):
                    self.say(line)
        self._scene(attempt)
        debrief = self.journey.finish(attempt)
        self.say()
        standings = rule_standings(attempt, debrief.result)
        for line in debrief_lines(self.programme, scenario.title, debrief, standings):
            self.say(line)

    def _scene(self, attempt: Attempt) -> None:
        scene = attempt.scene
        self.say()
        if scene.speaker:
            self.say(f"{label(scene.speaker)}:")
        self.say(literal(scene.text).strip())
        meter = attempt.meter()
        if meter is not None:
            name, value, low, high = meter
            self.say(
                f"[{name.replace('_', ' ').capitalize()}: {value} on a scale of {low} to {high}]"
            )
        if attempt.finished:
            self.say(f"(The end: a {scene.ending} ending.)")
            return
        for offered in attempt.choices():
            self.say(f"  {offered.number}. {literal(offered.text)}")

    def _summary(self, required: list[str]) -> None:
        self.say("Onboarding complete.")
        for line in journey.completion_lines(self.library, required, self.progress.best_results()):
            self.say(line)


def run_plain(config: PlayConfig, stdin: TextIO, stdout: TextIO) -> int:
    """The line player for a PlayConfig, keeping progress in the store (`--db`, or the default)."""
    from mentorquest.language.compiled import open_library
    from mentorquest.players.stored import StoreProvider
    from mentorquest.store import open_store

    library = open_library(config.library)
    engine = Engine(library)
    with open_store(config.db_url) as store:
        provider = StoreProvider(store, library, engine)
        player = PlainPlayer(
            library, stdin, stdout, options=config, provider=provider, engine=engine
        )
        return player.run()
