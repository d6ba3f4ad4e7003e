"""The cohort at a glance, as data: completion by role, ground rules, the poor choices.

Every face renders the same `CohortReport`: the terminal (rich, in `cli.report`) and a
self-contained HTML page (`report_html`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mentorquest.engine.attempt import percent_of
from mentorquest.store import Store


@dataclass(frozen=True)
class RoleCompletion:
    role: str
    participants: int
    completed: int

    @property
    def percent(self) -> int:
        return percent_of(self.completed, self.participants)


@dataclass(frozen=True)
class RuleSummary:
    rule: str
    name: str
    average_percent: int  # mean over participants' records of earned/best for the rule
    attempts_missed: int  # attempts that scored below the rule's best
    attempts_scored: int  # attempts that scored the rule at all


@dataclass(frozen=True)
class PoorChoice:
    scenario_id: str
    scenario_title: str
    scene: str
    choice: str
    text: str
    times: int
    critical: str | None


@dataclass(frozen=True)
class Flagged:
    """An attempt worth a coordinator's look (see `verification.flags`)."""

    participant_id: str
    name: str
    message: str


@dataclass
class CohortReport:
    programme_ids: list[str]
    programme_titles: list[str]
    participants: int
    completed: int
    attempts: int
    roles: list[RoleCompletion]
    rules: list[RuleSummary]
    poor_choices: list[PoorChoice] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)

    @property
    def most_missed(self) -> list[RuleSummary]:
        ranked = [r for r in self.rules if r.attempts_missed]
        return sorted(ranked, key=lambda r: (-r.attempts_missed, r.rule))


def build_report(store: Store, programme_id: str | None = None, top: int = 10) -> CohortReport:
    records = list(store.records(programme_id))
    profiles = {p.id: p for p in store.profiles()}
    attempts = store.finished_attempts(programme_id=programme_id)
    # Everyone known: all profiles, or those who played this programme; and every record.
    if programme_id is None:
        roles_of = {pid: p.role for pid, p in profiles.items()}
    else:
        active = {a.participant_id for a in attempts}
        roles_of = {pid: profiles[pid].role for pid in active if pid in profiles}
    for record in records:
        roles_of[record.participant.id] = record.participant.role
    completed_ids = {r.participant.id for r in records}
    by_role: dict[str, list[str]] = defaultdict(list)
    for pid, role in roles_of.items():
        by_role[role or "(no role yet)"].append(pid)
    roles = [
        RoleCompletion(role, len(pids), sum(1 for p in pids if p in completed_ids))
        for role, pids in sorted(by_role.items())
    ]
    names: dict[str, str] = {}
    rule_percents: dict[str, list[int]] = defaultdict(list)
    for record in records:
        for total in record.rule_totals:
            names[total.rule] = total.name
            if total.best > 0:
                rule_percents[total.rule].append(percent_of(total.earned, total.best))
    missed: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    poor: Counter[tuple[str, str, str]] = Counter()
    texts: dict[tuple[str, str, str], tuple[str, str | None]] = {}
    titles: dict[str, str] = {}
    local = set()
    for attempt in attempts:
        local.add(attempt.attempt_id)
        for score in attempt.result.scores:
            if score.best > 0:
                scored[score.rule] += 1
                missed[score.rule] += score.earned < score.best
        for entry in attempt.debrief.entries:
            if not entry.was_best:
                key = (attempt.scenario_id, entry.scene, entry.choice)
                poor[key] += 1
                texts.setdefault(key, (entry.text, entry.critical))
    # Records sent in from other machines bring their best attempts with them.
    for record in records:
        for s in record.scenarios:
            titles[s.scenario_id] = s.title
            if s.attempt_id in local:
                continue
            for r in s.rules:
                if r.best > 0:
                    scored[r.rule] += 1
                    missed[r.rule] += r.earned < r.best
            for d in s.decisions:
                if not d.best:
                    key = (s.scenario_id, d.scene, d.choice)
                    poor[key] += 1
                    texts.setdefault(key, (d.choice, d.critical))
    rule_ids = list(dict.fromkeys([*names, *scored]))
    rules = [
        RuleSummary(
            rule=rule,
            name=names.get(rule, rule),
            average_percent=round(sum(rule_percents[rule]) / len(rule_percents[rule]))
            if rule_percents[rule]
            else 0,
            attempts_missed=missed[rule],
            attempts_scored=scored[rule],
        )
        for rule in rule_ids
    ]
    poor_choices = [
        PoorChoice(
            sid,
            titles.get(sid, sid),
            scene,
            choice,
            texts[(sid, scene, choice)][0],
            times,
            texts[(sid, scene, choice)][1],
        )
        for (sid, scene, choice), times in sorted(poor.items(), key=lambda kv: (-kv[1], kv[0]))[
            :top
        ]
    ]
    from mentorquest.records.verification import flags

    flagged = [
        Flagged(r.participant.id, r.participant.name, message)
        for r in records
        for message in flags(r)
    ]
    programmes = dict.fromkeys(r.programme.id for r in records)
    programme_titles = dict.fromkeys(r.programme.title for r in records)
    if programme_id is not None:
        programmes.setdefault(programme_id)
    return CohortReport(
        programme_ids=list(programmes),
        programme_titles=list(programme_titles),
        participants=len(roles_of),
        completed=len(completed_ids),
        attempts=len(attempts),
        roles=roles,
        rules=rules,
        poor_choices=poor_choices,
        flagged=flagged,
    )
