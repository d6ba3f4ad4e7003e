"""The cohort report, as data: who is where, how each scenario goes, the ground rules, the
survey from onboarding to close-out, and who has not finished.

Every face renders the same `CohortReport`: the terminal (rich, in `cli.report`), one JSON
object (`to_data`, keys `participants`, `scenarios`, `rules`, `survey`, `incomplete`) and a
self-contained HTML page (`report_html`). What each figure means is written once, in
`COLUMNS`, and every face shows it beside the figures.

The rows come through `outgoing.participants`, the one path for what leaves the store:
free-text answers are counted always but their text is in the report only when asked for.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from mentorquest.engine.attempt import percent_of
from mentorquest.language.format import SURVEY_STAGES
from mentorquest.records.outgoing import EVERYTHING, Needs, Outgoing, Privacy, Scope, participants
from mentorquest.records.standing import NOT_STARTED, Programmes, standing

if TYPE_CHECKING:
    from mentorquest.store import Store

ALL_ROLES = "all"

# What every figure means: one sentence each, shown by every face beside the figures.
COLUMNS: dict[str, dict[str, str]] = {
    "participants": {
        "participants": "People with anything in this programme and date range: a profile, "
        "an attempt, a survey answer or a completion record.",
        "completed": "Participants with a completion record (every required scenario passed "
        "and the onboarding survey answered).",
        "in_progress": "Participants who started (an attempt or a survey answer) without a "
        "completion record yet.",
        "not_started": "Participants with a profile and nothing else yet.",
        "percent_completed": "completed ÷ participants, as a whole percent.",
    },
    "scenarios": {
        "attempts": "Finished attempts that count (practice never does), passed or not; a "
        "record sent in from another store brings only its best attempt of each scenario.",
        "passed": "Of those attempts, how many passed (reached an ending at or above the pass "
        "mark with no serious breach).",
        "pass_rate": "passed ÷ attempts, as a whole percent: how often an attempt passes.",
        "participants": "Participants with at least one finished attempt at the scenario.",
        "participants_passed": "Of those, how many have passed it (their best attempt passed).",
        "median_minutes": "The median time of the finished attempts, from start to ending.",
        "in_progress": "Attempts started and saved but not finished yet.",
    },
    "rules": {
        "records_average_percent": "Over completion records: the mean of each record's points "
        "for the rule ÷ the most it could earn, across its required scenarios (best attempts); "
        "rounded once, to a whole percent, after averaging.",
        "attempts_average_percent": "Over every finished attempt that scores the rule, failed "
        "ones too: the mean of points earned ÷ the most that attempt could earn; rounded once, "
        "after averaging.",
        "attempts_scored": "Finished attempts in which the rule could earn points.",
        "attempts_missed": "Of those, attempts that earned less than the rule's best: so a "
        "rule can average 100% over records and still be missed in earlier attempts.",
    },
    "survey": {
        "answered": "Participants who answered the question at this stage.",
        "distribution": "For a 1-5 scale: how many answered 1, 2, 3, 4 and 5.",
        "mean": "For a 1-5 scale: the mean answer, to one decimal.",
        "texts": "Free-text answers: counted always; their text only with --include-free-text.",
        "pairs": "A question asked at two stages: participants who answered it at both.",
        "mean_change": "The mean of (later answer - earlier answer) over those participants: "
        "above 0, the cohort moved up the scale.",
        "up_same_down": "How many of them answered higher, the same, and lower.",
    },
    "incomplete": {
        "passed": "Required scenarios passed, of those the participant's role requires.",
        "missing": "What stands between the participant and a completion record.",
        "last_active": "When they last did anything (an attempt, a survey answer).",
    },
}


@dataclass(frozen=True)
class RoleCount:
    role: str
    participants: int
    completed: int
    in_progress: int
    not_started: int

    @property
    def percent_completed(self) -> int:
        return percent_of(self.completed, self.participants)


@dataclass(frozen=True)
class Flagged:
    """An attempt worth a coordinator's look (see `verification.flags`)."""

    participant_id: str
    name: str
    message: str


@dataclass(frozen=True)
class PoorChoice:
    scene: str
    choice: str
    text: str
    times: int
    critical: str | None


@dataclass(frozen=True)
class ScenarioSummary:
    scenario_id: str
    title: str
    attempts: int
    passed: int
    participants: int
    participants_passed: int
    median_minutes: float | None
    in_progress: int
    poor_choices: tuple[PoorChoice, ...] = ()

    @property
    def pass_rate(self) -> int | None:
        return percent_of(self.passed, self.attempts) if self.attempts else None


@dataclass(frozen=True)
class RuleSummary:
    rule: str
    name: str
    records_average_percent: int | None
    records: int
    attempts_average_percent: int | None
    attempts_scored: int
    attempts_missed: int


@dataclass(frozen=True)
class Answers:
    """One question at one stage, for one role (or all)."""

    role: str
    answered: int
    distribution: tuple[int, int, int, int, int] | None  # scale questions
    mean: float | None
    texts: tuple[str, ...] | None  # free text, only with --include-free-text


@dataclass(frozen=True)
class Question:
    stage: str
    question_id: str
    prompt: str
    kind: str
    by_role: tuple[Answers, ...]  # "all" first, then each role


@dataclass(frozen=True)
class Change:
    """A scale question asked at two stages: how the same participants' answers moved."""

    question_id: str
    from_stage: str
    to_stage: str
    role: str
    pairs: int
    mean_change: float | None
    up: int
    same: int
    down: int


@dataclass(frozen=True)
class Incomplete:
    participant_id: str
    name: str
    role: str
    programme_id: str
    status: str
    passed: int
    required: int | None
    missing: tuple[str, ...]
    last_active: str | None


@dataclass
class CohortReport:
    generated_at: str
    since: str | None
    until: str | None
    programmes: list[tuple[str, str]]  # (id, title)
    roles: list[RoleCount]
    scenarios: list[ScenarioSummary]
    rules: list[RuleSummary]
    questions: list[Question]
    changes: list[Change]
    incomplete: list[Incomplete]
    flagged: list[Flagged] = field(default_factory=list)
    free_text_included: bool = False

    @property
    def totals(self) -> RoleCount:
        return RoleCount(
            ALL_ROLES,
            sum(r.participants for r in self.roles),
            sum(r.completed for r in self.roles),
            sum(r.in_progress for r in self.roles),
            sum(r.not_started for r in self.roles),
        )

    @property
    def period(self) -> str:
        """The dates covered, in words (UTC). `--since DATE --until DATE` covers both days."""
        return period_text(self.since, self.until)

    @property
    def title(self) -> str:
        return ", ".join(title for _, title in self.programmes) or "mentorquest"

    @property
    def most_missed(self) -> list[RuleSummary]:
        ranked = [r for r in self.rules if r.attempts_missed]
        return sorted(ranked, key=lambda r: (-r.attempts_missed, r.rule))

    def poor_choices(self, top: int = 10) -> list[tuple[ScenarioSummary, PoorChoice]]:
        found = [(s, p) for s in self.scenarios for p in s.poor_choices]
        found.sort(key=lambda item: (-item[1].times, item[0].scenario_id, item[1].scene))
        return found[:top]

    def to_data(self) -> dict[str, Any]:
        """The report as one JSON object (documented in docs/records.md)."""
        totals = self.totals
        return {
            "participants": {
                "generated_at": self.generated_at,
                "since": rfc3339(self.since),
                "until": rfc3339(self.until),
                "programmes": [{"id": i, "title": t} for i, t in self.programmes],
                "total": totals.participants,
                "completed": totals.completed,
                "in_progress": totals.in_progress,
                "not_started": totals.not_started,
                "percent_completed": totals.percent_completed,
                "by_role": [
                    {**asdict(r), "percent_completed": r.percent_completed} for r in self.roles
                ],
                "flagged": [asdict(f) for f in self.flagged],
            },
            "scenarios": [
                {
                    "scenario_id": s.scenario_id,
                    "title": s.title,
                    "attempts": s.attempts,
                    "passed": s.passed,
                    "pass_rate": s.pass_rate,
                    "participants": s.participants,
                    "participants_passed": s.participants_passed,
                    "median_minutes": s.median_minutes,
                    "in_progress": s.in_progress,
                    "poor_choices": [asdict(p) for p in s.poor_choices],
                }
                for s in self.scenarios
            ],
            "rules": [asdict(r) for r in self.rules],
            "survey": {
                "free_text_included": self.free_text_included,
                "questions": [
                    {
                        "stage": q.stage,
                        "question_id": q.question_id,
                        "prompt": q.prompt,
                        "kind": q.kind,
                        "by_role": [
                            {
                                "role": a.role,
                                "answered": a.answered,
                                "distribution": list(a.distribution) if a.distribution else None,
                                "mean": a.mean,
                                **({"texts": list(a.texts)} if a.texts is not None else {}),
                            }
                            for a in q.by_role
                        ],
                    }
                    for q in self.questions
                ],
                "changes": [asdict(c) for c in self.changes],
            },
            "incomplete": [{**asdict(i), "missing": list(i.missing)} for i in self.incomplete],
        }


def rfc3339(stamp: str | None) -> str | None:
    """A UTC timestamp as the report writes it: RFC 3339 with `Z`."""
    if stamp is None or stamp.endswith("Z"):
        return stamp
    return stamp + "Z"


def period_text(since: str | None, until: str | None) -> str:
    """The dates `since` (inclusive) and `until` (exclusive; --until DATE is the next
    midnight) in words, with the days given shown as given."""

    def first(stamp: str) -> str:
        return stamp[:10] if stamp.endswith("T00:00:00") else stamp.replace("T", " ")

    def last(stamp: str) -> str:
        if stamp.endswith("T00:00:00"):  # the end of the day before
            return (date.fromisoformat(stamp[:10]) - timedelta(days=1)).isoformat() + " included"
        return "before " + stamp.replace("T", " ")

    if since and until:
        return f"from {first(since)} to {last(until)} (UTC)"
    if since:
        return f"from {first(since)} on (UTC)"
    if until:
        return f"up to {last(until)} (UTC)"
    return "all dates"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_report(
    store: Store,
    programmes: Programmes | None = None,
    *,
    scope: Scope = EVERYTHING,
    include_free_text: bool = False,
    top: int = 3,
    generated_at: str | None = None,
) -> CohortReport:
    """The report of `scope` (a programme, dates); `programmes` are the libraries known
    (requirements, titles, questions). `top`: poor choices listed per scenario."""
    programmes = programmes or Programmes()
    builder = _Builder(programmes, include_free_text, top)
    idle = next(iter(programmes.libraries), None)
    dated = scope.since is not None or scope.until is not None

    def everyone(within: Scope) -> Iterator[Outgoing]:
        return participants(
            store,
            scope=within,
            privacy=Privacy(include_free_text=include_free_text),
            needs=Needs(attempts=True, answers=True, idle=True),
            kinds=programmes.kind,
            idle_programme=idle,
        )

    for bundle in everyone(scope):
        builder.add(bundle, incomplete=not dated)
    if dated:
        # Who has not finished is a standing at the time of the report, whatever the dates
        # (which limit what is counted): one who has not started, or stopped before the
        # range, has not finished either.
        for bundle in everyone(Scope(scope.programme)):
            builder.add_incomplete(bundle)
    return builder.report(generated_at or _now(), scope)


class _Builder:
    def __init__(self, programmes: Programmes, include_free_text: bool, top: int) -> None:
        self.programmes = programmes
        self.include_free_text = include_free_text
        self.top = top
        self.roles: dict[str, Counter[str]] = defaultdict(Counter)
        self.programme_titles: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.attempts: Counter[str] = Counter()
        self.passed: Counter[str] = Counter()
        self.tried: dict[str, set[str]] = defaultdict(set)
        self.passed_by: dict[str, set[str]] = defaultdict(set)
        self.minutes: dict[str, list[float]] = defaultdict(list)
        self.going: Counter[str] = Counter()
        self.poor: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        self.poor_text: dict[tuple[str, str, str], tuple[str, str | None]] = {}
        self.rule_names: dict[str, str] = {}
        # Shares of the best (0..1), exact: a mean of rounded percents is rounded twice.
        self.record_rule: dict[str, list[Fraction]] = defaultdict(list)
        self.attempt_rule: dict[str, list[Fraction]] = defaultdict(list)
        self.missed: Counter[str] = Counter()
        # (stage, question) -> role -> participant -> answer (answered, text or number)
        self.answers: dict[tuple[str, str], dict[str, dict[str, str | int | None]]] = defaultdict(
            lambda: defaultdict(dict)
        )
        self.incomplete: list[Incomplete] = []
        self.flagged: list[Flagged] = []

    def add_incomplete(self, bundle: Outgoing) -> None:
        where = standing(bundle, self.programmes.info(bundle.programme_id))
        if not where.completed:
            self.incomplete.append(
                Incomplete(
                    bundle.person.id,
                    bundle.person.name,
                    bundle.person.role,
                    bundle.programme_id,
                    where.status,
                    where.passed,
                    len(where.scenarios) if where.requirements_known else None,
                    where.missing,
                    bundle.last_active,
                )
            )

    def add(self, bundle: Outgoing, *, incomplete: bool = True) -> None:
        info = self.programmes.info(bundle.programme_id)
        if info.programme is not None:
            self.programme_titles[bundle.programme_id] = info.programme.title
            for index, sid in enumerate(
                dict.fromkeys(s for ids in info.programme.required.values() for s in ids)
            ):
                self.order.setdefault(sid, index)
            for rule in info.programme.ground_rules:
                self.rule_names.setdefault(rule.id, rule.name)
        elif bundle.record is not None:
            self.programme_titles.setdefault(bundle.programme_id, bundle.record.programme.title)
        else:
            self.programme_titles.setdefault(bundle.programme_id, bundle.programme_id)
        where = standing(bundle, info)
        role = bundle.person.role or "(no role yet)"
        status = "completed" if where.completed else where.status
        self.roles[role][status] += 1
        if incomplete:
            self.add_incomplete(bundle)
        self._attempts(bundle, info)
        self._answers(bundle, role, info)
        if bundle.record is not None:
            from mentorquest.records.verification import flags

            for total in bundle.record.rule_totals:
                self.rule_names.setdefault(total.rule, total.name)
                if total.best > 0:
                    self.record_rule[total.rule].append(_share(total.earned, total.best))
            self.flagged += [
                Flagged(bundle.person.id, bundle.person.name, m)
                for m in flags(bundle.record, info.library)
            ]

    def _attempts(self, bundle: Outgoing, info: Any) -> None:
        who = bundle.key
        local = set()
        for attempt in bundle.attempts:
            sid = attempt.scenario_id
            local.add(attempt.attempt_id)
            self.titles.setdefault(sid, info.title_of(sid))
            self._count(sid, who, attempt.result.passed, attempt.duration_s)
            for score in attempt.result.scores:
                self._rule(score.rule, score.earned, score.best)
            for entry in attempt.debrief.entries:
                if not entry.was_best:
                    self._poor(sid, entry.scene, entry.choice, entry.text, entry.critical)
        if bundle.record is not None:
            # Records sent in from other stores bring their best attempts with them.
            for s in bundle.record.scenarios:
                self.titles.setdefault(s.scenario_id, info.title_of(s.scenario_id, s.title))
                if s.attempt_id in local:
                    continue
                self._count(s.scenario_id, who, s.passed, s.duration_s)
                for r in s.rules:
                    self.rule_names.setdefault(r.rule, r.name)
                    self._rule(r.rule, r.earned, r.best)
                for d in s.decisions:
                    if not d.best:
                        self._poor(s.scenario_id, d.scene, d.choice, d.choice, d.critical)
        for saved in bundle.in_progress:
            self.going[saved.scenario_id] += 1
            self.titles.setdefault(saved.scenario_id, info.title_of(saved.scenario_id))

    def _count(self, sid: str, who: str, passed: bool, seconds: float) -> None:
        self.attempts[sid] += 1
        self.tried[sid].add(who)
        self.minutes[sid].append(seconds / 60)
        if passed:
            self.passed[sid] += 1
            self.passed_by[sid].add(who)

    def _rule(self, rule: str, earned: int, best: int) -> None:
        if best <= 0:
            return
        self.attempt_rule[rule].append(_share(earned, best))
        self.missed[rule] += earned < best

    def _poor(self, sid: str, scene: str, choice: str, text: str, critical: str | None) -> None:
        self.poor[sid][(scene, choice)] += 1
        self.poor_text.setdefault((sid, scene, choice), (text, critical))

    def _answers(self, bundle: Outgoing, role: str, info: Any) -> None:
        given: dict[tuple[str, str], str | int | None] = {}
        record = bundle.record
        if record is not None:
            for a in record.survey:
                given[(a.part, a.question_id)] = a.answer
        for stored in bundle.answers:
            given[(stored.stage, stored.question_id)] = stored.answer
        # Answered but kept back (free text without --include-free-text): counted, no text.
        for key in bundle.answered:
            given.setdefault(key, None)
        for (stage, qid), answer in given.items():
            self.answers[(stage, qid)][role][bundle.key] = answer
            self.answers[(stage, qid)][ALL_ROLES][bundle.key] = answer

    # --- the report -----------------------------------------------------------------------

    def report(self, generated_at: str, scope: Scope) -> CohortReport:
        roles = [
            RoleCount(
                role,
                sum(counts.values()),
                counts["completed"],
                counts["in progress"],
                counts[NOT_STARTED],
            )
            for role, counts in sorted(self.roles.items())
        ]
        ids = sorted(
            set(self.attempts) | set(self.going),
            key=lambda sid: (self.order.get(sid, len(self.order)), sid),
        )
        scenarios = [
            ScenarioSummary(
                scenario_id=sid,
                title=self.titles.get(sid, sid),
                attempts=self.attempts[sid],
                passed=self.passed[sid],
                participants=len(self.tried[sid]),
                participants_passed=len(self.passed_by[sid]),
                median_minutes=round(statistics.median(self.minutes[sid]), 1)
                if self.minutes[sid]
                else None,
                in_progress=self.going[sid],
                poor_choices=tuple(
                    PoorChoice(
                        scene,
                        choice,
                        self.poor_text[(sid, scene, choice)][0],
                        times,
                        self.poor_text[(sid, scene, choice)][1],
                    )
                    for (scene, choice), times in sorted(
                        self.poor[sid].items(), key=lambda kv: (-kv[1], kv[0])
                    )[: self.top]
                ),
            )
            for sid in ids
        ]
        rule_ids = list(dict.fromkeys([*self.rule_names, *self.attempt_rule]))
        rules = [
            RuleSummary(
                rule=rule,
                name=self.rule_names.get(rule, rule),
                records_average_percent=_mean_percent(self.record_rule[rule]),
                records=len(self.record_rule[rule]),
                attempts_average_percent=_mean_percent(self.attempt_rule[rule]),
                attempts_scored=len(self.attempt_rule[rule]),
                attempts_missed=self.missed[rule],
            )
            for rule in rule_ids
            if self.record_rule[rule] or self.attempt_rule[rule]
        ]
        questions, changes = self._survey()
        return CohortReport(
            generated_at=generated_at,
            since=scope.since,
            until=scope.until,
            programmes=sorted(self.programme_titles.items()),
            roles=roles,
            scenarios=scenarios,
            rules=rules,
            questions=questions,
            changes=changes,
            incomplete=sorted(self.incomplete, key=lambda i: (i.name.casefold(), i.participant_id)),
            flagged=self.flagged,
            free_text_included=self.include_free_text,
        )

    def _declared(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(stage, question) -> (prompt, kind) as the libraries declare them, in their order."""
        found: dict[tuple[str, str], tuple[str, str]] = {}
        for library in self.programmes.libraries.values():
            if library.programme.id not in self.programme_titles:
                continue
            for stage in SURVEY_STAGES:
                for q in library.programme.survey.stage(stage):
                    found.setdefault((stage, q.id), (q.prompt, q.kind))
        return found

    def _survey(self) -> tuple[list[Question], list[Change]]:
        declared = self._declared()
        keys = list(declared) + [k for k in self.answers if k not in declared]
        keys.sort(key=lambda k: SURVEY_STAGES.index(k[0]) if k[0] in SURVEY_STAGES else 9)
        questions = []
        for stage, qid in keys:
            by_role = self.answers.get((stage, qid), {})
            prompt, kind = declared.get((stage, qid), (qid, self._guess_kind(by_role)))
            roles = [ALL_ROLES, *sorted(r for r in by_role if r != ALL_ROLES)]
            questions.append(
                Question(
                    stage,
                    qid,
                    prompt,
                    kind,
                    tuple(self._answers_of(role, by_role.get(role, {}), kind) for role in roles),
                )
            )
        return questions, self._changes(questions)

    @staticmethod
    def _guess_kind(by_role: dict[str, dict[str, str | int | None]]) -> str:
        values = [v for v in by_role.get(ALL_ROLES, {}).values() if v is not None]
        return "scale" if values and all(isinstance(v, int) for v in values) else "text"

    def _answers_of(self, role: str, given: dict[str, str | int | None], kind: str) -> Answers:
        if kind == "scale":
            numbers = [v for v in given.values() if isinstance(v, int) and 1 <= v <= 5]
            counts = Counter(numbers)
            distribution = (counts[1], counts[2], counts[3], counts[4], counts[5])
            mean = round(statistics.fmean(numbers), 1) if numbers else None
            return Answers(role, len(numbers), distribution, mean, None)
        texts = [v for v in given.values() if isinstance(v, str) and v]
        answered = sum(1 for v in given.values() if v is None or (isinstance(v, str) and v))
        return Answers(
            role, answered, None, None, tuple(sorted(texts)) if self.include_free_text else None
        )

    def _changes(self, questions: list[Question]) -> list[Change]:
        stages_of: dict[str, list[str]] = defaultdict(list)
        for q in questions:
            if q.kind == "scale":
                stages_of[q.question_id].append(q.stage)
        changes = []
        for qid, stages in stages_of.items():
            if len(stages) < 2:
                continue
            first = stages[0]
            for later in stages[1:]:
                before = self.answers.get((first, qid), {})
                after = self.answers.get((later, qid), {})
                roles = [ALL_ROLES, *sorted(r for r in before if r != ALL_ROLES and r in after)]
                for role in roles:
                    changes.append(
                        _change(qid, first, later, role, before.get(role, {}), after.get(role, {}))
                    )
        return changes


def _change(
    qid: str,
    first: str,
    later: str,
    role: str,
    before: dict[str, str | int | None],
    after: dict[str, str | int | None],
) -> Change:
    moves = [
        int(after[p]) - int(before[p])  # type: ignore[arg-type]
        for p in before
        if isinstance(before[p], int) and isinstance(after.get(p), int)
    ]
    return Change(
        qid,
        first,
        later,
        role,
        len(moves),
        round(statistics.fmean(moves), 1) if moves else None,
        sum(1 for m in moves if m > 0),
        sum(1 for m in moves if m == 0),
        sum(1 for m in moves if m < 0),
    )


def _share(earned: int, best: int) -> Fraction:
    """earned ÷ best within 0..1, as `percent_of` counts it, but not rounded yet."""
    return min(Fraction(1), Fraction(max(0, earned), best))


def _mean_percent(values: Iterable[Fraction]) -> int | None:
    """The mean share as a whole percent, rounded once (half up, as `percent_of` does)."""
    found = list(values)
    if not found:
        return None
    mean = sum(found, Fraction(0)) / len(found) * 100
    return int(mean + Fraction(1, 2))
