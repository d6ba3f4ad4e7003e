"""Progress kept in the store: the durable `ProgressProvider` both players use.

Every call is its own transaction, so a player that autosaves after each choice and
each survey answer loses at most the choice being made if the process is killed.
Signing a record (cryptography) is loaded only when a journey is complete.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mentorquest.errors import UsageError
from mentorquest.players.progress import CompletionSummary, Participant
from mentorquest.records.requirements import best_attempts, missing_requirements
from mentorquest.store import FinishedAttempt, Profile, Store

if TYPE_CHECKING:
    from mentorquest.engine import Attempt, AttemptResult, AttemptState
    from mentorquest.engine.record import CompletionRecord
    from mentorquest.language.library import Library


class StoreProgress:
    """Autosave and recall for one participant in one programme, in the store."""

    def __init__(self, store: Store, library: Library, participant: Participant) -> None:
        self.store = store
        self.library = library
        self.programme_id = library.programme.id
        self.participant = participant

    def survey_answers(self) -> dict[str, str | int]:
        found = self.store.survey_answers(self.participant.id, self.programme_id)
        return {qid: answer for qid, (_part, answer) in found.items()}

    def save_survey_answer(self, part: str, question_id: str, answer: str | int) -> None:
        self.store.save_survey_answer(
            self.participant.id, self.programme_id, part, question_id, answer
        )

    def saved_attempt(self, scenario_id: str) -> AttemptState | None:
        text = self.store.autosaved(self.participant.id, self.programme_id, scenario_id)
        if text is None:
            return None
        from mentorquest.engine import AttemptState

        try:
            return AttemptState.from_json(text)
        except ValueError:
            # An unreadable autosave (from a much older version) is dropped, not fatal.
            self.discard_attempt(scenario_id)
            return None

    def in_progress(self) -> set[str]:
        return self.store.autosaved_scenarios(self.participant.id, self.programme_id)

    def save_attempt(self, state: AttemptState) -> None:
        if state.practice:
            return  # practice never replaces the attempt that counts
        self.store.autosave(self.participant.id, self.programme_id, state)

    def discard_attempt(self, scenario_id: str) -> None:
        self.store.discard_autosave(self.participant.id, self.programme_id, scenario_id)

    def finish_attempt(self, attempt: Attempt) -> None:
        self.store.finish_attempt(
            self.participant.id, self.programme_id, attempt.state, attempt.debrief()
        )

    def _attempts(self) -> list[FinishedAttempt]:
        return self.store.finished_attempts(self.participant.id, self.programme_id)

    def best_results(self) -> dict[str, AttemptResult]:
        return {sid: a.result for sid, a in best_attempts(self._attempts()).items()}

    def missing(self) -> list[str]:
        """What is still needed for a completion record (empty when complete)."""
        return missing_requirements(
            self.library,
            self.participant.role,
            self._attempts(),
            self.store.survey_answers(self.participant.id, self.programme_id),
        )

    def record(self) -> CompletionRecord | None:
        return self.store.latest_record(self.participant.id, self.programme_id)

    def complete(self) -> CompletionSummary | None:
        attempts = self._attempts()
        answers = self.store.survey_answers(self.participant.id, self.programme_id)
        if missing_requirements(self.library, self.participant.role, attempts, answers):
            return None
        from mentorquest.engine.record import RecordParticipant
        from mentorquest.records.build import build_record
        from mentorquest.records.signing import sign

        p = self.participant
        unsigned = build_record(
            self.library,
            RecordParticipant(id=p.id, name=p.name, email=p.email, role=p.role),
            attempts,
            answers,
        )
        existing = self.store.record(unsigned.record_id)
        if existing is None:
            self.store.add_record(sign(unsigned))
            # Another process may have written the same record first: keep theirs.
            existing = self.store.record(unsigned.record_id)
        assert existing is not None
        return CompletionSummary(
            record_id=existing.record_id,
            stored_at=existing.completed_at,
            stars=existing.stars,
            badges=existing.badges,
        )

    def export_record(self, path: Path) -> Path:
        import json

        from mentorquest import shapes

        record = self.record()
        if record is None:
            raise UsageError(
                "there is no completion record yet: finish every required scenario first"
            )
        try:
            path.write_text(
                json.dumps(shapes.to_data(record), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        return path


class StoreProvider:
    """Opens store-backed progress; lists the profiles the store knows."""

    def __init__(self, store: Store, library: Library) -> None:
        self.store = store
        self.library = library

    def participants(self) -> list[Participant]:
        return [
            Participant(id=p.id, name=p.name, role=p.role, email=p.email)
            for p in self.store.profiles()
        ]

    def find(self, participant_id: str) -> Participant | None:
        found = self.store.profile(participant_id)
        return (
            Participant(id=found.id, name=found.name, role=found.role, email=found.email)
            if found
            else None
        )

    def open(self, participant: Participant) -> StoreProgress:
        self.store.save_profile(
            Profile(participant.id, participant.name, participant.role, participant.email)
        )
        return StoreProgress(self.store, self.library, participant)
