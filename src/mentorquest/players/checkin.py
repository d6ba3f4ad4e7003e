"""Check-ins: the programme's later evaluation stages, asked of participants who finished
onboarding.

The guidance has evaluation start at onboarding (the `before` and `after` questions the
players ask around the scenarios) and follow up during and at the end of the programme:
`mentorquest checkin --stage midpoint|closeout` asks that stage's questions. What is
shared by the line player here and the Textual check-in (`tui.checkin`): who may check
in, which questions are still to answer, and how an answer is kept (like every answer:
saved the moment it is given, in the store, under its stage).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from mentorquest.errors import MentorquestError, UsageError
from mentorquest.players import journey
from mentorquest.players.plain import PlainPlayer
from mentorquest.players.progress import Participant
from mentorquest.textsafe import clip, label

if TYPE_CHECKING:
    from mentorquest.language.format import SurveyQuestion
    from mentorquest.language.library import Library
    from mentorquest.players.config import PlayConfig
    from mentorquest.players.progress import Progress
    from mentorquest.players.stored import StoreProvider
    from mentorquest.store import Store

CHECKIN_STAGES = ("midpoint", "closeout")
PICKER_LIMIT = 20  # the line-mode check-in lists who may check in up to this many people
STAGE_NAMES = {"midpoint": "midpoint check-in", "closeout": "close-out check-in"}
INTRO = {
    "midpoint": "Half-way through the programme: a few questions about how it is going.",
    "closeout": "The programme is closing: a few questions about what you expected, what "
    "happened and what you learnt.",
}


class NotCompleted(MentorquestError):
    """A check-in was asked of someone who has not completed onboarding."""

    title = "Onboarding first"


class Checkin:
    """One stage's check-in in one programme: who may answer, and what is left to answer."""

    def __init__(self, store: Store, library: Library, stage: str) -> None:
        if stage not in CHECKIN_STAGES:
            raise UsageError(
                f"unknown check-in stage '{clip(stage)}'; the stages are {', '.join(CHECKIN_STAGES)}"
            )
        self.store = store
        self.library = library
        self.stage = stage
        self.programme_id = library.programme.id
        self.questions: tuple[SurveyQuestion, ...] = library.programme.survey.stage(stage)
        if not self.questions:
            raise UsageError(
                f"the programme '{self.programme_id}' asks no {stage} questions: add them to "
                f"programme.yaml under survey: {stage}:"
            )

    @property
    def name(self) -> str:
        return STAGE_NAMES[self.stage]

    def completed(self) -> list[Participant]:
        """Everyone in the store with a completion record for this programme, by name."""
        people: dict[str, Participant] = {}
        for record in self.store.records(self.programme_id):
            p = record.participant
            people[p.id] = Participant(id=p.id, name=p.name, role=p.role, email=p.email)
        for profile in self.store.profiles():
            if profile.id in people:  # the profile is newer than the record's copy
                people[profile.id] = Participant(
                    id=profile.id, name=profile.name, role=profile.role, email=profile.email
                )
        return sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))

    def participant(self, participant_id: str) -> Participant:
        """The participant, if they completed onboarding; else NotCompleted, saying so."""
        journey.check_participant_id(participant_id)
        record = self.store.latest_record(participant_id, self.programme_id)
        if record is None:
            raise NotCompleted(
                f"'{label(participant_id)}' has not completed onboarding of '{self.programme_id}' in "
                "this store, so there is no check-in to answer yet: finish onboarding first "
                "(mentorquest play), or give the --db where it was completed"
            )
        profile = self.store.profile(participant_id)
        if profile is not None:
            return Participant(profile.id, profile.name, profile.role, profile.email)
        p = record.participant
        return Participant(id=p.id, name=p.name, role=p.role, email=p.email)

    def pending(self, progress: Progress) -> list[SurveyQuestion]:
        answered = progress.survey_answers(self.stage)
        return [q for q in self.questions if q.id not in answered]

    def answered_on(self, participant_id: str) -> str | None:
        """The day this stage was last answered (YYYY-MM-DD), or None."""
        days = [
            a.answered_at[:10]
            for a in self.store.stored_answers(participant_id, self.programme_id)
            if a.stage == self.stage
        ]
        return max(days) if days else None


class CheckinPlayer(PlainPlayer):
    """The check-in in line mode: the same prompts and answers as the plain player's survey."""

    def __init__(
        self,
        library: Library,
        stdin: TextIO,
        stdout: TextIO,
        *,
        checkin: Checkin,
        provider: StoreProvider,
        options: PlayConfig,
    ) -> None:
        super().__init__(library, stdin, stdout, options=options, provider=provider)
        self.checkin = checkin
        self.store_provider = provider

    def _journey(self) -> int:
        checkin = self.checkin
        title = f"{label(self.programme.title)}: {checkin.name}"
        self.say(title)
        self.say("=" * len(title))
        participant = self._who()
        self.progress = self.store_provider.open(participant, take_over=self.options.take_over)
        pending = checkin.pending(self.progress)
        if not pending:
            day = checkin.answered_on(participant.id) or "earlier"
            self.say(
                f"Thank you, {label(participant.name)}: you answered the {checkin.name} "
                f"on {day}. Nothing more to ask."
            )
            return 0
        self.say(INTRO[checkin.stage])
        for question in pending:
            answer = self._answer(question)
            # A skipped optional question is kept as "" so that it is not asked again.
            self.progress.save_survey_answer(
                checkin.stage, question.id, "" if answer is None else answer
            )
        self.say()
        self.say(f"Thank you, {label(participant.name)}. Your answers are saved.")
        return 0

    def _who(self) -> Participant:
        checkin = self.checkin
        if self.options.participant is not None:
            return checkin.participant(self.options.participant)
        known = checkin.completed()
        if not known:
            raise NotCompleted(
                f"no one in this store has completed onboarding of '{checkin.programme_id}' "
                "yet, so there is no check-in to answer"
            )
        listed = known if len(known) <= PICKER_LIMIT else []
        if listed:
            self.say("Who is checking in? Type a number, or your participant id.")
            # Names and roles, not ids (often email addresses): machines are shared.
            for number, shown in enumerate(journey.profile_labels(listed), start=1):
                self.say(f"  {number}. {shown}")
        else:
            # A long list helps nobody find themselves, and shows everyone's name to each.
            self.say("Who is checking in? Type your participant id.")
        ids = {person.id for person in known}
        while True:
            answer = self.ask("Participant: ").strip()
            if answer in ids:  # an id that looks like a number is still an id
                return checkin.participant(answer)
            if listed and answer.isdigit() and 1 <= int(answer) <= len(listed):
                return checkin.participant(listed[int(answer) - 1].id)
            if not answer:
                self.say(
                    "Please type a number from the list, or your participant id."
                    if listed
                    else "Please type your participant id."
                )
                continue
            self.say(
                f"'{clip(answer)}' has not completed onboarding of this programme here; check "
                "the id and type it again"
            )


def run_checkin_plain(config: PlayConfig, stage: str, stdin: TextIO, stdout: TextIO) -> int:
    """The line-mode check-in for a PlayConfig, in the store (`--db`, or the default)."""
    from mentorquest.engine import Engine
    from mentorquest.language.compiled import open_library
    from mentorquest.players.stored import StoreProvider
    from mentorquest.store import open_store

    library = open_library(config.library)
    with open_store(config.db_url) as store:
        checkin = Checkin(store, library, stage)
        provider = StoreProvider(store, library, Engine(library))
        player = CheckinPlayer(
            library, stdin, stdout, checkin=checkin, provider=provider, options=config
        )
        return player.run()
