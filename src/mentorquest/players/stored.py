"""Progress kept in the store: the durable `ProgressProvider` both players use.

Every call is its own transaction, so a player that autosaves after each choice and
each survey answer loses at most the choice being made if the process is killed.

Nothing saved is trusted: a saved attempt is resumed by replaying its path, and finished
attempts count only as what replaying their paths gives (an edited result, scene or score
in the store changes nothing). A journey is held by one player at a time (a seat in the
store, renewed while the player runs); every write checks the seat, so two players never
mix their answers. Signing a record (cryptography) is loaded only when a journey is complete.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from mentorquest.errors import StateMismatch, UsageError
from mentorquest.players.progress import CompletionSummary, Participant, answers_at
from mentorquest.records.requirements import best_attempts, missing_requirements
from mentorquest.store import FinishedAttempt, Profile, Store
from mentorquest.store.store import SEAT_HEARTBEAT_S, FinishedPath, Seat, SeatLost
from mentorquest.textsafe import json_text

if TYPE_CHECKING:
    from mentorquest.engine import Attempt, AttemptResult, AttemptState, Engine
    from mentorquest.engine.record import CompletionRecord
    from mentorquest.language.library import Library


class StoreProgress:
    """Autosave and recall for one participant in one programme, in the store."""

    def __init__(
        self,
        store: Store,
        library: Library,
        engine: Engine,
        participant: Participant,
        seat: Seat | None = None,
    ) -> None:
        self.store = store
        self.library = library
        self.engine = engine
        self.programme_id = library.programme.id
        self.participant = participant
        self.seat = seat
        self._replayed: dict[str, FinishedAttempt | None] = {}
        self._counted: list[FinishedAttempt] | None = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None
        if seat is not None:
            self._heartbeat = threading.Thread(target=self._renew, name="seat", daemon=True)
            self._heartbeat.start()

    # --- the seat -------------------------------------------------------------------------

    def _renew(self) -> None:
        assert self.seat is not None
        while not self._stop.wait(SEAT_HEARTBEAT_S):
            try:
                self.store.renew_seat(self.seat)
            except SeatLost:
                return  # the next write says so to the player
            except Exception:  # noqa: BLE001 - a missed heartbeat is retried, never fatal
                continue

    def close(self) -> None:
        self._stop.set()
        if self._heartbeat is not None:
            self._heartbeat.join(timeout=5)
        if self.seat is not None:
            try:
                self.store.release_seat(self.seat)
            except Exception:  # noqa: BLE001 - an unreleased seat expires by itself
                pass
            self.seat = None

    # --- survey ---------------------------------------------------------------------------

    def survey_answers(self, stage: str | None = None) -> dict[str, str | int]:
        return answers_at(self.store.survey_answers(self.participant.id, self.programme_id), stage)

    def save_survey_answer(self, part: str, question_id: str, answer: str | int) -> None:
        self.store.save_survey_answer(
            self.participant.id, self.programme_id, part, question_id, answer, seat=self.seat
        )

    # --- attempts in progress -------------------------------------------------------------

    def saved_attempt(self, scenario_id: str) -> str | None:
        """The saved attempt as stored (JSON text); the engine reads and replays it."""
        return self.store.autosaved(self.participant.id, self.programme_id, scenario_id)

    def in_progress(self) -> set[str]:
        return self.store.autosaved_scenarios(self.participant.id, self.programme_id)

    def save_attempt(self, state: AttemptState) -> None:
        if state.practice:
            return  # practice never replaces the attempt that counts
        self.store.autosave(self.participant.id, self.programme_id, state, seat=self.seat)

    def discard_attempt(self, scenario_id: str) -> None:
        self.store.discard_autosave(
            self.participant.id, self.programme_id, scenario_id, seat=self.seat
        )

    def set_aside(self, scenario_id: str, reason: str) -> None:
        self.store.set_aside(
            self.participant.id, self.programme_id, scenario_id, reason, seat=self.seat
        )

    # --- finished attempts ----------------------------------------------------------------

    def finish_attempt(self, attempt: Attempt) -> None:
        self.store.finish_attempt(
            self.participant.id, self.programme_id, attempt.state, attempt.debrief(), seat=self.seat
        )
        self._counted = None

    def counted_attempts(self) -> list[FinishedAttempt]:
        """The finished attempts that count, as replaying their paths scores them.

        An attempt whose path does not replay against the scenario as it is now (edited in
        the store, or played on a version since changed) does not count. What the store says
        an attempt scored is never read. The list is kept until this player finishes another
        attempt: while it holds the seat, no other player writes this journey.
        """
        if self._counted is None:
            counted = []
            for found in self.store.finished_paths(self.participant.id, self.programme_id):
                if found.attempt_id not in self._replayed:
                    self._replayed[found.attempt_id] = self._replay(found)
                replayed = self._replayed[found.attempt_id]
                if replayed is not None:
                    counted.append(replayed)
            self._counted = counted
        return list(self._counted)

    def _replay(self, found: FinishedPath) -> FinishedAttempt | None:
        from mentorquest.engine.state import AttemptState, Step

        scenario = self.library.scenarios.get(found.scenario_id)
        if scenario is None:
            return None
        state = found.state
        if state is None:  # kept before schema 3: its path, without times, is in the result
            state = AttemptState(
                attempt_id=found.attempt_id,
                scenario_id=found.scenario_id,
                content_hash=found.content_hash,
                started_at=found.started_at,
                finished_at=found.finished_at,
                origin_scene=scenario.start,
                origin_variables={n: v.start for n, v in scenario.variables.items()},
                path=[Step(scene=scene, choice=choice) for scene, choice in found.legacy_path],
            )
        try:
            replayed = self.engine.restore(state)
        except StateMismatch:
            return None
        if not replayed.finished or replayed.state.practice:
            return None
        debrief = replayed.debrief()
        return FinishedAttempt(
            attempt_id=found.attempt_id,
            participant_id=self.participant.id,
            programme_id=self.programme_id,
            scenario_id=found.scenario_id,
            content_hash=replayed.state.content_hash,
            practice=False,
            started_at=found.started_at,
            finished_at=found.finished_at,
            duration_s=found.duration_s,
            result=debrief.result,
            debrief=debrief,
            state=replayed.state,
        )

    def best_results(self) -> dict[str, AttemptResult]:
        return {sid: a.result for sid, a in best_attempts(self.counted_attempts()).items()}

    def missing(self) -> list[str]:
        """What is still needed for a completion record (empty when complete)."""
        return missing_requirements(
            self.library,
            self.participant.role,
            self.counted_attempts(),
            self.store.survey_answers(self.participant.id, self.programme_id),
        )

    # --- the completion record ------------------------------------------------------------

    def record(self) -> CompletionRecord | None:
        return self.store.latest_record(self.participant.id, self.programme_id)

    def complete(self) -> CompletionSummary | None:
        attempts = self.counted_attempts()
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
        record = self.record()
        if record is None:
            raise UsageError(
                "there is no completion record yet: finish every required scenario first"
            )
        from mentorquest.outfiles import write_text

        write_text(path, json_text(record.to_json(indent=2)) + "\n", example="record.json")
        return path


def this_machine() -> str:
    """This machine, as a seat names it: its host name, and its machine id where there is one
    (two containers may share a host name; a seat of another machine is never taken as dead)."""
    name = socket.gethostname() or "this machine"
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            ident = Path(path).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if ident:
            return f"{name} ({ident[:8]})"
    return name


class StoreProvider:
    """Opens store-backed progress; lists the profiles the store knows."""

    def __init__(self, store: Store, library: Library, engine: Engine | None = None) -> None:
        from mentorquest.engine import Engine

        self.store = store
        self.library = library
        self.engine = engine or Engine(library)

    def participants(self) -> list[Participant]:
        return [
            Participant(id=p.id, name=p.name, role=p.role, email=p.email)
            for p in self.store.profiles()
        ]

    def returning(self) -> list[Participant]:
        """Profiles with a role in this programme and something kept for it (an answer, a
        saved or finished attempt, a record); a store shared by several programmes knows
        people who have never begun this one."""
        programme = self.library.programme
        store = self.store
        found = []
        for person in self.participants():
            if person.role not in programme.roles:
                continue
            if (
                store.survey_answers(person.id, programme.id)
                or store.autosaved_scenarios(person.id, programme.id)
                or store.latest_record(person.id, programme.id) is not None
                or store.finished_attempts(person.id, programme.id)
            ):
                found.append(person)
        return found

    def find(self, participant_id: str) -> Participant | None:
        found = self.store.profile(participant_id)
        return (
            Participant(id=found.id, name=found.name, role=found.role, email=found.email)
            if found
            else None
        )

    def open(self, participant: Participant, *, take_over: bool = False) -> StoreProgress:
        """The participant's progress, holding their journey's seat for this player."""
        seat = self.store.take_seat(
            participant.id,
            self.library.programme.id,
            host=this_machine(),
            pid=os.getpid(),
            take_over=take_over,
        )
        profile = Profile(participant.id, participant.name, participant.role, participant.email)
        if self.store.profile(participant.id) != profile:  # one write fewer on every start
            self.store.save_profile(profile)
        return StoreProgress(self.store, self.library, self.engine, participant, seat)
