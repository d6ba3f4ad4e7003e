"""Building a completion record from a participant's best attempts and survey answers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from mentorquest import __version__
from mentorquest.engine.record import (
    CompletionRecord,
    Decision,
    RecordParticipant,
    RecordProgramme,
    RuleResult,
    ScenarioResult,
    SurveyAnswer,
)
from mentorquest.engine.rewards import badges, rule_totals, stars
from mentorquest.engine.state import utc_now
from mentorquest.language.library import Library
from mentorquest.records.requirements import best_attempts
from mentorquest.store import FinishedAttempt

RECORD_NAMESPACE = uuid.UUID("7f1b7c2e-3f7e-4c55-9a57-5d2b0f3e9a10")


def build_record(
    library: Library,
    participant: RecordParticipant,
    attempts: Sequence[FinishedAttempt],
    answers: Mapping[tuple[str, str], str | int],
    completed_at: str | None = None,
) -> CompletionRecord:
    """The (unsigned) record; its id is derived from its inputs, so rebuilding is idempotent."""
    programme = library.programme
    required = library.required_for(participant.role)
    best = best_attempts(attempts)
    counts: dict[str, int] = {}
    for attempt in attempts:
        if not attempt.practice:
            counts[attempt.scenario_id] = counts.get(attempt.scenario_id, 0) + 1
    names = {rule.id: rule.name for rule in programme.ground_rules}
    scenarios = []
    for sid in required:
        attempt = best[sid]
        result = attempt.result
        scenario = library.scenarios.get(sid)
        scenarios.append(
            ScenarioResult(
                scenario_id=sid,
                title=scenario.title if scenario else sid,
                content_hash=attempt.content_hash,
                attempt_id=attempt.attempt_id,
                attempts=counts.get(sid, 1),
                started_at=attempt.started_at,
                finished_at=attempt.finished_at,
                duration_s=round(attempt.duration_s, 3),
                percent=result.percent,
                best_total=result.best_total,
                pass_mark=result.pass_mark,
                passed=result.passed,
                stars=stars(result),
                ending=result.ending,
                ending_kind=result.ending_kind,
                critical=tuple(result.critical),
                rules=tuple(
                    RuleResult(
                        rule=s.rule, name=names.get(s.rule, s.rule), earned=s.earned, best=s.best
                    )
                    for s in result.scores
                ),
                decisions=tuple(
                    Decision(
                        scene=e.scene, choice=e.choice, best=e.was_best, critical=e.critical, at=at
                    )
                    for e, at in zip(attempt.debrief.entries, _times(attempt), strict=True)
                ),
                minutes=scenario.minutes if scenario else None,
                input=attempt.state.input if attempt.state is not None else "unknown",
            )
        )
    results = [best[sid].result for sid in required]
    totals = rule_totals(results)
    order = [rule.id for rule in programme.ground_rules]
    kinds = {
        (stage, q.id): q.kind
        for stage in ("before", "after")
        for q in programme.survey.stage(stage)
    }
    # Onboarding's own answers (before and after); later stages are asked by `checkin`,
    # after the record is written.
    survey = tuple(
        SurveyAnswer(
            part="before" if part == "before" else "after",
            question_id=qid,
            kind=kinds.get((part, qid), "text"),
            answer=answer,
        )
        for (part, qid), answer in sorted(
            answers.items(), key=lambda kv: (kv[0][0] != "before", kv[0][1])
        )
        if part in ("before", "after") and answer != ""
    )
    counted = [a for a in attempts if not a.practice]
    last = max((a.finished_at for a in counted), default=utc_now())
    completed = completed_at or last
    started = min((a.started_at for a in counted), default=completed)
    fingerprint = "|".join(
        [programme.id, participant.id, participant.role]
        + [best[sid].attempt_id for sid in required]
        + [f"{a.question_id}={a.answer}" for a in survey]
    )
    return CompletionRecord(
        record_id=str(uuid.uuid5(RECORD_NAMESPACE, fingerprint)),
        participant=participant,
        programme=RecordProgramme(
            id=programme.id,
            title=programme.title,
            ground_rules=tuple(order),
            reading_floor=programme.reading_floor,
        ),
        scenarios=tuple(scenarios),
        rule_totals=tuple(
            RuleResult(rule=r, name=names.get(r, r), earned=totals[r][0], best=totals[r][1])
            for r in sorted(totals, key=lambda r: order.index(r) if r in order else len(order))
        ),
        stars=sum(s.stars for s in scenarios),
        stars_possible=3 * len(scenarios),
        badges=tuple(badges(results)),
        survey=survey,
        started_at=started,
        completed_at=completed,
        mentorquest_version=__version__,
    )


def _times(attempt: FinishedAttempt) -> list[str | None]:
    """When each decision of the attempt was made (None where its save kept no times)."""
    if attempt.state is not None and len(attempt.state.path) == len(attempt.debrief.entries):
        return [step.at for step in attempt.state.path]
    return [None] * len(attempt.debrief.entries)
