"""What a completion record proves, checked: consistency, replayed paths, plausibility.

A signature shows who vouches for a record, not that it is true: on a participant's own
machine the participant holds the signing key. What can be checked offline is that the
record is a real play of the scenarios it names. Three checks, each a list of findings:

- `inconsistencies`: what is impossible on its face (a scenario not passed or listed
  twice, a rule scored twice, earned above best, passed below the pass mark, stars that do
  not follow from the percent, a path with no decisions, times that run backwards, an id
  that does not follow from what it identifies): a record with any fails, library or not.
- `replay_problems`: with the library, the record must hold exactly the scenarios the
  library requires of its role, and each path is replayed against the scenario with the
  record's content hash; the ending, percent, passed, every rule's earned and best, the
  breaches, the stars and each decision's marks must come out exactly as recorded. A
  record whose paths cannot be replayed is not verified against a library.
- `flags`: what is possible but worth a look, reported without failing: decisions read
  from scripted input, decisions faster than the programme's reading floor, a scenario (or
  the whole onboarding) finished in under a fifth of its stated minutes. With a library,
  the floor and the minutes are the library's, not what the record says they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from mentorquest.engine.attempt import percent_of
from mentorquest.engine.record import CompletionRecord, ScenarioResult
from mentorquest.engine.rewards import BADGE_THRESHOLD

if TYPE_CHECKING:
    from mentorquest.language.library import Library

FAST_FRACTION = 5  # a scenario finished in under 1/5 of its stated minutes is flagged


def _time(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def _stars(passed: bool, percent: int, critical: Iterable[str]) -> int:
    if not passed:
        return 0
    if percent == 100 and not tuple(critical):
        return 3
    return 2 if percent >= 85 else 1


# Times are kept to the second (or the millisecond), the duration to the millisecond.
DURATION_SLACK_S = 1.5


# --- impossible on its face -------------------------------------------------------------------


def inconsistencies(record: CompletionRecord) -> list[str]:
    problems: list[str] = []
    if record.record_format not in (1, 2):
        problems.append(f"record format {record.record_format} is not one this mentorquest reads")
    if not record.scenarios:
        problems.append("it holds no scenario: a completion record is of scenarios passed")
    problems += [
        f"scenario '{sid}' is listed more than once"
        for sid in _repeated(s.scenario_id for s in record.scenarios)
    ]
    for s in record.scenarios:
        problems += [f"scenario '{s.scenario_id}': {p}" for p in _scenario_problems(s)]
        if not s.passed:
            problems.append(
                f"scenario '{s.scenario_id}' is not passed: a completion record holds the "
                "required scenarios, each passed"
            )
    problems += [
        f"rule '{rule}' is totalled more than once"
        for rule in _repeated(r.rule for r in record.rule_totals)
    ]
    problems += [f"badge '{badge}' is listed more than once" for badge in _repeated(record.badges)]
    expected_id = record_id_of(record)
    if expected_id is not None and expected_id != record.record_id:
        problems.append(
            "its record id does not follow from its programme, participant, attempts and answers"
        )
    if record.stars != sum(s.stars for s in record.scenarios):
        problems.append("its stars are not the sum of its scenarios' stars")
    if record.stars_possible != 3 * len(record.scenarios):
        problems.append("its possible stars are not three a scenario")
    totals: dict[str, list[int]] = {}
    for s in record.scenarios:
        for rule in s.rules:
            earned_best = totals.setdefault(rule.rule, [0, 0])
            earned_best[0] += rule.earned
            earned_best[1] += rule.best
    listed = {r.rule: [r.earned, r.best] for r in record.rule_totals}
    if listed != totals:
        problems.append("its rule totals are not the sums of its scenarios' rules")
    badges = {
        r for r, (earned, best) in totals.items() if best > 0 and earned >= BADGE_THRESHOLD * best
    }
    if set(record.badges) != badges:
        problems.append("its badges do not follow from its rule totals")
    started, completed = _time(record.started_at), _time(record.completed_at)
    if started is None or completed is None:
        problems.append("its start or completion time is not a time")
    elif completed < started:
        problems.append("it is completed before it was started")
    else:
        for s in record.scenarios:
            first, last = _time(s.started_at), _time(s.finished_at)
            if first is not None and last is not None and (first < started or last > completed):
                problems.append(f"scenario '{s.scenario_id}' was played outside the record's times")
    return problems


def _repeated(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    repeated: list[str] = []
    for item in items:
        if item in seen and item not in repeated:
            repeated.append(item)
        seen.add(item)
    return repeated


def record_id_of(record: CompletionRecord) -> str | None:
    """The id a record's content gives it (see `records.build`); None where it cannot be
    worked out again: a record changed by an export (its ids or answers may be replaced),
    or one of format 1."""
    if record.record_format < 2 or record.redactions:
        return None
    import uuid

    from mentorquest.records.build import RECORD_NAMESPACE

    fingerprint = "|".join(
        [record.programme.id, record.participant.id, record.participant.role]
        + [s.attempt_id for s in record.scenarios]
        + [f"{a.question_id}={a.answer}" for a in record.survey]
    )
    return str(uuid.uuid5(RECORD_NAMESPACE, fingerprint))


def _scenario_problems(s: ScenarioResult) -> list[str]:
    problems = []
    if not s.decisions:
        problems.append("its path has no decisions")
    problems += [
        f"rule '{rule}' is scored more than once" for rule in _repeated(r.rule for r in s.rules)
    ]
    for rule in s.rules:
        if rule.earned > rule.best:
            problems.append(f"'{rule.rule}' earned {rule.earned}, above its best {rule.best}")
    # The percent is the points earned over the best one path earns (record format 2); a
    # rule's own best may lie on another path, so the rules' bests are no measure of it.
    # The best path takes no critical choice, so an attempt that took one (and failed) may
    # have earned more than it; the percent is capped at 100 all the same.
    earned = sum(r.earned for r in s.rules)
    if s.best_total is not None:
        if earned > s.best_total and not s.critical:
            problems.append(f"it earned {earned} points, above the best path's {s.best_total}")
        elif percent_of(earned, s.best_total) != s.percent:
            problems.append(
                f"percent {s.percent} is not what its points give "
                f"({earned} of {s.best_total}: {percent_of(earned, s.best_total)})"
            )
    if not 0 <= s.percent <= 100:
        problems.append(f"percent {s.percent} is not between 0 and 100")
    should_pass = bool(s.ending_kind) and s.percent >= s.pass_mark and not s.critical
    if s.passed != should_pass:
        problems.append(
            "it is marked passed below its pass mark or with a breach"
            if s.passed
            else "it is marked not passed although its results pass"
        )
    if s.stars != _stars(s.passed, s.percent, s.critical):
        problems.append(f"{s.stars} stars do not follow from its result")
    if set(s.critical) != {d.critical for d in s.decisions if d.critical}:
        problems.append("its breaches are not those of its decisions")
    started, finished = _time(s.started_at), _time(s.finished_at)
    if started is None or finished is None:
        problems.append("its start or finish time is not a time")
        return problems
    if finished < started:
        problems.append("it finished before it started")
    # The duration is the time from start to finish (the reading-floor and minutes flags
    # rest on it): one stretched to look unhurried, or shrunk, does not match the times.
    elapsed = (finished - started).total_seconds()
    if not -DURATION_SLACK_S <= s.duration_s - max(0.0, elapsed) <= DURATION_SLACK_S:
        problems.append(
            f"its duration of {s.duration_s:g} s is not the time from its start to its "
            f"finish ({max(0.0, elapsed):g} s)"
        )
    previous = started
    for number, decision in enumerate(s.decisions, start=1):
        if decision.at is None:
            continue
        at = _time(decision.at)
        if at is None:
            problems.append(f"decision {number}'s time is not a time")
            break
        if at < previous or at > finished:
            problems.append(f"decision {number} is timed out of order")
            break
        previous = at
    return problems


# --- replaying the paths -----------------------------------------------------------------------


def replay_problems(record: CompletionRecord, library: Library) -> list[str]:
    """Each scenario's path replayed against the library; what does not come out as recorded."""
    from mentorquest.engine import Engine
    from mentorquest.engine.rewards import stars
    from mentorquest.errors import MentorquestError

    if record.programme.id != library.programme.id:
        return [
            f"it is a record of programme '{record.programme.id}', and the library given is "
            f"programme '{library.programme.id}': give that programme's library"
        ]
    role = record.participant.role
    if role not in library.programme.roles:
        return [f"its role '{role}' is not one of the programme's roles"]
    required = library.required_for(role)
    listed = [s.scenario_id for s in record.scenarios]
    problems: list[str] = [
        f"scenario '{sid}', which the programme requires of a {role}, is not in the record"
        for sid in required
        if sid not in listed
    ]
    problems += [
        f"scenario '{sid}' is not one the programme requires of a {role}"
        for sid in dict.fromkeys(listed)
        if sid not in required
    ]
    engine = Engine(library)
    for s in record.scenarios:
        where = f"scenario '{s.scenario_id}'"
        scenario = library.scenarios.get(s.scenario_id)
        if scenario is None:
            problems.append(f"{where} is not in the library")
            continue
        if s.content_hash not in (
            library.content_hash(s.scenario_id),
            library.earlier_hash(s.scenario_id),
        ):
            problems.append(
                f"{where}: the library holds another version of it (content hash differs), "
                "so its path cannot be replayed"
            )
            continue
        try:
            attempt = engine.start(s.scenario_id)
            for number, decision in enumerate(s.decisions, start=1):
                if attempt.scene_id != decision.scene:
                    raise _Mismatch(
                        f"decision {number} is recorded in scene '{decision.scene}', but the path "
                        f"reaches '{attempt.scene_id}'"
                    )
                attempt.choose(decision.choice)
        except _Mismatch as error:
            problems.append(f"{where}: {error}")
            continue
        except MentorquestError as error:
            problems.append(f"{where}: the path does not replay ({error})")
            continue
        if not attempt.finished:
            problems.append(f"{where}: the path stops before an ending")
            continue
        debrief = attempt.debrief()
        result = debrief.result
        replayed = {
            "ending": result.ending,
            "ending_kind": result.ending_kind,
            "percent": result.percent,
            "passed": result.passed,
            "pass_mark": result.pass_mark,
            "critical": tuple(result.critical),
            "stars": stars(result),
        }
        if s.best_total is not None:
            replayed["best_total"] = result.best_total
        recorded = {
            "ending": s.ending,
            "ending_kind": s.ending_kind,
            "percent": s.percent,
            "passed": s.passed,
            "pass_mark": s.pass_mark,
            "critical": tuple(s.critical),
            "stars": s.stars,
            "best_total": s.best_total,
        }
        for name, value in replayed.items():
            if recorded[name] != value:
                problems.append(
                    f"{where}: {name} is {recorded[name]!r} in the record, {value!r} on replay"
                )
        rules = {r.rule: (r.earned, r.best) for r in s.rules}
        if len(rules) != len(s.rules):
            problems.append(f"{where}: the record scores a rule more than once")
        for score in result.scores:
            if rules.get(score.rule) != (score.earned, score.best):
                got = rules.get(score.rule)
                shown = f"{got[0]} of {got[1]}" if got else "missing"
                problems.append(
                    f"{where}: rule '{score.rule}' is {shown} in the record, "
                    f"{score.earned} of {score.best} on replay"
                )
        extra = set(rules) - {score.rule for score in result.scores}
        if extra:
            problems.append(
                f"{where}: the record scores rules the scenario does not: {', '.join(sorted(extra))}"
            )
        for number, (decision, entry) in enumerate(
            zip(s.decisions, debrief.entries, strict=True), start=1
        ):
            if decision.best != entry.was_best or decision.critical != entry.critical:
                problems.append(f"{where}: decision {number} is not marked as its replay marks it")
                break
    return problems


class _Mismatch(Exception):
    pass


# --- worth a look --------------------------------------------------------------------------


def flags(record: CompletionRecord, library: Library | None = None) -> list[str]:
    """Attempts worth a coordinator's look; none of these fails a record. With the library,
    its reading floor and its scenarios' minutes are used, not the record's word for them."""
    floor = record.programme.reading_floor
    minutes = {s.scenario_id: s.minutes for s in record.scenarios}
    if library is not None and record.programme.id == library.programme.id:
        floor = library.programme.reading_floor
        for sid in minutes:
            scenario = library.scenarios.get(sid)
            if scenario is not None:
                minutes[sid] = scenario.minutes
    found: list[str] = []
    for s in record.scenarios:
        where = f"scenario '{s.scenario_id}'"
        stated = minutes[s.scenario_id]
        if s.input == "scripted":
            found.append(f"{where} was played from scripted input, not at a terminal")
        if s.decisions and floor > 0:
            per_decision = s.duration_s / len(s.decisions)
            if per_decision < floor:
                found.append(
                    f"{where}: decisions came every {per_decision:.1f} s on average, faster than "
                    f"the reading floor of {floor} s"
                )
        if stated and s.duration_s < stated * 60 / FAST_FRACTION:
            found.append(
                f"{where} took {s.duration_s:.0f} s, under a fifth of its {stated} minutes"
            )
    # The scenarios' own times may overlap (one left half-way and finished after another),
    # so the whole onboarding is measured by the time its scenarios cover together.
    total = sum(m for m in minutes.values() if m)
    covered = _time_covered(record.scenarios)
    if len(record.scenarios) > 1 and total and covered < total * 60 / FAST_FRACTION:
        found.append(
            f"its {len(record.scenarios)} scenarios were played within {covered:.0f} s in all, "
            f"under a fifth of their {total} minutes"
        )
    return found


def _time_covered(scenarios: Iterable[ScenarioResult]) -> float:
    """Seconds within at least one scenario's start and finish."""
    spans = sorted(
        (first, last)
        for s in scenarios
        if (first := _time(s.started_at)) is not None
        and (last := _time(s.finished_at)) is not None
        and last >= first
    )
    covered = 0.0
    end: datetime | None = None
    for first, last in spans:
        if end is None or first > end:
            covered += (last - first).total_seconds()
            end = last
        elif last > end:
            covered += (last - end).total_seconds()
            end = last
    return covered


# --- everything at once ------------------------------------------------------------------


class Examination:
    """One record as `verify` and `import` see it: who signed it, what fails, what is flagged."""

    def __init__(
        self,
        record: CompletionRecord | None,
        record_id: str | None,
        signer: str | None,
        failures: list[str],
        flags: list[str],
    ) -> None:
        self.record = record
        self.record_id = record_id
        self.signer = signer
        self.failures = failures
        self.flags = flags

    @property
    def ok(self) -> bool:
        return not self.failures


def examine(
    data: dict[str, object] | str | bytes,
    *,
    trusted: dict[str, str] | None,
    library: Library | None = None,
    names: dict[str, str] | None = None,
) -> Examination:
    """Check a record as read from a file.

    `trusted` maps trusted public keys to their names; None accepts any signer (then
    `names` names those it knows). The signer is named by its trusted name and its key's
    fingerprint, else by the fingerprint alone.
    """
    from mentorquest.records.signing import verify_json
    from mentorquest.records.trust import fingerprint

    verdict, record = verify_json(data)
    signer = None
    if verdict.signer is not None:
        known = (trusted if trusted is not None else names or {}).get(verdict.signer)
        key = f"key {fingerprint(verdict.signer)}"
        signer = f"{known} ({key})" if known is not None else key
    if record is None or not verdict.ok:
        return Examination(record, verdict.record_id, signer, [verdict.reason], [])
    failures: list[str] = []
    if trusted is not None and verdict.signer not in trusted:
        failures.append(
            f"it is signed by a key that is not trusted (fingerprint {fingerprint(verdict.signer or '')}); "
            "if you trust its signer, save their public key (`mentorquest records key` on their "
            "machine) and run: mentorquest records trust add KEYFILE --name NAME"
        )
    failures += inconsistencies(record)
    if library is not None and not failures:
        failures += replay_problems(record, library)
    return Examination(record, record.record_id, signer, failures, flags(record, library))
