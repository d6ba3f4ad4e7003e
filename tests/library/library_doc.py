"""Render docs/library.md from the bundled library and tests/library/coverage.yaml.

Regenerate it with:

    .venv/bin/python -m tests.library.library_doc > docs/library.md

tests/library/test_coverage.py fails when docs/library.md differs from what this prints.
"""

from __future__ import annotations

import sys
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from mentorquest.bundled import library_path
from mentorquest.engine import Engine
from mentorquest.language import open_library
from tests.library import fairness

if TYPE_CHECKING:
    from mentorquest.language.format import Scenario
    from mentorquest.language.library import Library

HERE = Path(__file__).resolve().parent
COVERAGE = HERE / "coverage.yaml"
ROLES = ("mentor", "mentee")
KINDS = ("strong", "mixed", "poor")
SOURCES = {"webinar": "webinar Q&A", "outline": "programme outline"}

# The figures issue 12 reported for the library before the rework.
BEFORE = (
    "Before this rework (measured the same way) the best choice was the longest in 127 of "
    "138 decisions, and a player who always picked the longest choice passed 7 of the 11 "
    "required scenarios: 100% in `reciprocal-mentoring-basics`, `faltering-relationship`, "
    "`agreeing-the-ground-rules`, `mentor-goes-quiet` and `making-the-match`, 81% in "
    "`speaking-up` and 78% in `first-meeting` (and 100% in the optional "
    "`juggling-commitments`)."
)

CAST = """\
## Who is in the library

The cast was rebalanced so that getting it wrong, and getting it right, is not tied to
one kind of person, and so that under-represented students are not all struggling.

| Scenario | Who | Part they play |
|---|---|---|
| `reciprocal-mentoring-basics` | Carol Pennington, director, first woman on her firm's board | doubts that racism is common ("I just got on with it"), then turns round |
| `reciprocal-mentoring-basics` | Kwame Mensah, data analyst (mentor); Farah Hussain, final-year pharmacy student; Sunita Rao, one of eleven women in mechanical engineering | ask the good questions; Farah's experience is believed |
| `agreeing-the-ground-rules` | Ravi Chandran, associate director | labels the mentee, assumes a year in industry and offers to brief the mentee's tutor; invites challenge and takes it |
| `speaking-up` | Richard Hale, partner | talks over his mentee and mocks their accent; comes round when told with examples |
| `mentor-goes-quiet` | Bisi Adewale, law partner | disengages under a merger and her mother's illness; resets when it is raised without blame |
| `what-to-share` | Siobhan Gallagher, product lead with ADHD | mostly a model; presses on a diagnosis once |
| `juggling-commitments` | Peter Hollis, 61, finance director | a senior white man who handles a struggling mentee well from the first moment |
| `the-last-session` | Imran Sheikh, head of process engineering | models asking for feedback, keeping in touch and opening opportunities to everyone |
| `making-the-match` | Owen Pryce, former placement supervisor; Harpreet Kaur, engineer who came in through an apprenticeship after retail | Owen wants to keep a conflict quiet; Harpreet, hard of hearing, shares that on her own terms |
| `employer-blind-spot` | Rachel Hughes (recruitment), Sadia Rahman and Tom Keller (staff networks) | the employer responding positively; colleagues who opt in |

Mentees and students: a mature student and parent (`agreeing-the-ground-rules`); women in
engineering (`making-the-match`, `the-last-session`, `check-in-calls`, Sunita in the
launch); an LGBTQ+ student deciding how open to be on placement (`the-last-session`);
disabled students (a wheelchair user in `mentor-goes-quiet` and `employer-blind-spot`,
Crohn's in `what-to-share`, dyslexia in `first-meeting` and `juggling-commitments`);
students with caring responsibilities or jobs where the story is about engagement
(`faltering-relationship`, `juggling-commitments`, `uncomfortable-insight`); and students
who are doing well and meet barriers anyway (`employer-blind-spot`, `check-in-calls`,
`the-last-session`). In the mentor scenarios the player is given a role and, in
`first-meeting` and `uncomfortable-insight`, a remark already made, so that the
scenario can work with its consequences.
"""


@cache
def library() -> Library:
    return open_library(library_path())


@cache
def engine() -> Engine:
    return Engine(library())


def coverage() -> list[dict[str, Any]]:
    data = yaml.safe_load(COVERAGE.read_text(encoding="utf-8"))
    return list(data["points"])


def required(role: str) -> list[str]:
    return list(library().programme.required.get(role, []))


def longest_path(scenario: Scenario) -> int | None:
    """Decisions on the longest route from start to an ending; None if the scenes loop."""
    memo: dict[str, int] = {}
    active: set[str] = set()

    def walk(scene_id: str) -> int:
        if scene_id in memo:
            return memo[scene_id]
        if scene_id in active:
            raise RecursionError(scene_id)
        active.add(scene_id)
        scene = scenario.scenes[scene_id]
        targets = {c.goto for c in scene.choices}
        value = max((1 + walk(t) for t in targets), default=0)
        active.discard(scene_id)
        memo[scene_id] = value
        return value

    try:
        return walk(scenario.start)
    except RecursionError:
        return None


def status(scenario_id: str, role: str) -> str:
    if role not in library().scenarios[scenario_id].roles:
        return "n/a"
    return "required" if scenario_id in required(role) else "optional"


def onboarding_section() -> list[str]:
    lib = library()
    lines = ["## The onboarding for each role", ""]
    for role in ROLES:
        ids = required(role)
        minutes = sum(lib.scenarios[sid].minutes or 0 for sid in ids)
        lines.append(f"**{role.capitalize()}** ({len(ids)} scenarios, about {minutes} minutes):")
        lines.append("")
        for number, sid in enumerate(ids, start=1):
            s = lib.scenarios[sid]
            lines.append(f"{number}. `{sid}`: {s.title} ({s.minutes} min)")
        optional = [sid for sid in sorted(lib.scenarios) if status(sid, role) == "optional"]
        lines.append("")
        listed = ", ".join(f"`{sid}`" for sid in optional) if optional else "none"
        lines.append(f"Optional for {role}s: {listed}.")
        lines.append("")
    lines += [
        "Both onboardings open with `reciprocal-mentoring-basics`. Its first decision (scene",
        "`opening`) splits people who are new to mentoring (choice `new-to-it`, the basics",
        "from nothing) from people who have mentored or been mentored before (choice",
        "`done-it-before`, what is different here); both branches can reach 100%. The",
        "welcome screen asks the same question; once the players pass its answer on, it",
        "will choose this branch instead of asking twice (engine work, issue 12).",
        "",
    ]
    return lines


def scenarios_section() -> list[str]:
    lib = library()
    lines = [
        "## The scenarios",
        "",
        "| Scenario | Title | Roles | Mentor | Mentee | Minutes | Longest path | "
        "Endings (strong/mixed/poor) | Meter |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for sid in sorted(lib.scenarios):
        s = lib.scenarios[sid]
        kinds = Counter(scene.ending for scene in s.scenes.values() if scene.ending)
        path = longest_path(s)
        lines.append(
            f"| `{sid}` | {s.title} | {', '.join(s.roles)} | {status(sid, 'mentor')} | "
            f"{status(sid, 'mentee')} | {s.minutes} | "
            f"{'loops' if path is None else f'{path} decisions'} | "
            f"{'/'.join(str(kinds[k]) for k in KINDS)} | {s.meter or ''} |"
        )
    lines += [
        "",
        "*Longest path* counts the decisions on the longest route from the start to an",
        "ending. *Mentor* and *Mentee* say whether the scenario is in that role's required",
        "onboarding.",
        "",
    ]
    return lines


def describe(outcomes: list[fairness.Outcome]) -> str:
    best = fairness.best_outcome(outcomes)
    verdict = "passes" if best.passed else "fails"
    return f"{best.percent}%, {verdict} ({best.ending})"


def tells_section() -> list[str]:
    lib = library()
    lines = [
        "## A fair game: the tell figures",
        "",
        "In each decision (a scene that is not an ending and offers two or more choices)",
        "the best choice is the one with the highest total score. The players shuffle",
        "choices on screen, so position gives nothing away; these figures check that length",
        "does not either. The limits, checked by `tests/library/test_fairness.py`, which",
        "prints this table: in every scenario the best choice is the longest in at most 40%",
        "of its decisions, and a player who always picks the longest choice (or always the",
        "shortest) passes no required scenario. Every reachable decision also offers at",
        "least one choice that does not score below zero.",
        "",
        "| Scenario | Required for | Best is longest | Best is shortest | Always longest | "
        "Always shortest |",
        "|---|---|---|---|---|---|",
    ]
    total_longest = total_decisions = 0
    for sid in sorted(lib.scenarios):
        t = fairness.tells(lib.scenarios[sid])
        total_longest += t.best_longest
        total_decisions += t.decisions
        roles = [r for r in ROLES if sid in required(r)]
        lines.append(
            f"| `{sid}` | {', '.join(roles) or 'optional'} | "
            f"{t.best_longest} of {t.decisions} ({round(100 * t.share_longest)}%) | "
            f"{t.best_shortest} of {t.decisions} | "
            f"{describe(fairness.pattern_player(engine(), sid, fairness.longest))} | "
            f"{describe(fairness.pattern_player(engine(), sid, fairness.shortest))} |"
        )
    lines += [
        "",
        f"Across the library the best choice is the longest in {total_longest} of "
        f"{total_decisions} decisions. {BEFORE}",
        "",
    ]
    return lines


def rules_section() -> list[str]:
    lib = library()
    rules = lib.programme.ground_rules
    lines = [
        "## Ground rules exercised",
        "",
        "Each cell is the number of choices in the scenario scored on that rule (positive and",
        "negative).",
        "",
        "| Scenario | " + " | ".join(r.name for r in rules) + " |",
        "|---|" + "---|" * len(rules),
    ]

    def counts(ids: list[str]) -> Counter[str]:
        found: Counter[str] = Counter()
        for sid in ids:
            for scene in lib.scenarios[sid].scenes.values():
                for choice in scene.choices:
                    found.update(rule for rule, value in choice.scores.items() if value)
        return found

    for sid in sorted(lib.scenarios):
        c = counts([sid])
        lines.append(f"| `{sid}` | " + " | ".join(str(c[r.id] or "") for r in rules) + " |")
    everything = counts(sorted(lib.scenarios))
    lines.append(
        "| **All scenarios** | " + " | ".join(f"**{everything[r.id]}**" for r in rules) + " |"
    )
    for role in ROLES:
        c = counts(required(role))
        lines.append(f"| *{role} onboarding* | " + " | ".join(f"*{c[r.id]}*" for r in rules) + " |")
    lines.append("")
    return lines


def critical_section() -> list[str]:
    lib = library()
    names = {r.id: r.name for r in lib.programme.ground_rules}
    lines = [
        "## Critical breaches",
        "",
        "A critical choice fails the attempt whatever its percent.",
        "",
        "| Scenario | Scene | Choice | Rule breached | What the choice does |",
        "|---|---|---|---|---|",
    ]
    without = []
    for sid in sorted(lib.scenarios):
        found = False
        for scene_id, scene in lib.scenarios[sid].scenes.items():
            for choice in scene.choices:
                if choice.critical:
                    found = True
                    text = choice.text.replace("|", "/")
                    short = text if len(text) <= 100 else text[:100].rstrip() + "..."
                    lines.append(
                        f"| `{sid}` | `{scene_id}` | `{choice.id}` | "
                        f"{names[choice.critical]} | {short} |"
                    )
        if not found:
            without.append(f"`{sid}`")
    lines += [
        "",
        f"No critical choice (no breach serious enough fits the story): {', '.join(without)}.",
        "",
    ]
    return lines


def coverage_section() -> list[str]:
    lines = [
        "## Coverage: guidance point to scenes and choices",
        "",
        "Each row is a point of the programme guidance (the webinar's questions and answers,",
        "and the reciprocal mentoring programme outline), in our own words. The scenes are",
        "decisions where the point is taught, and the choices are the ones whose scoring and",
        "feedback carry it (the good choice, and the tempting wrong one where that teaches).",
        "The table is generated from `tests/library/coverage.yaml`; `test_coverage.py` checks",
        "that every point is taught by at least two scenarios and that every scene and choice",
        "named exists and scores a ground rule. The last two columns say which scenarios of",
        "each role's required onboarding teach the point.",
        "",
        "| # | Source | Guidance point | Taught in (scenario: scene [choices]) | "
        "Mentor onboarding | Mentee onboarding |",
        "|---|---|---|---|---|---|",
    ]
    for point in coverage():
        taught = point["taught"]
        places = "<br>".join(
            f"`{t['scenario']}`: `{t['scene']}` [{', '.join(f'`{c}`' for c in t['choices'])}]"
            for t in taught
        )
        scenario_ids = list(dict.fromkeys(t["scenario"] for t in taught))
        per_role = []
        for role in ROLES:
            ids = [sid for sid in scenario_ids if sid in required(role)]
            per_role.append(", ".join(f"`{sid}`" for sid in ids) or "none")
        lines.append(
            f"| {point['id']} | {SOURCES[point['source']]} | {point['point']} | {places} | "
            f"{per_role[0]} | {per_role[1]} |"
        )
    counted = Counter(len({t["scenario"] for t in p["taught"]}) for p in coverage())
    lines += [
        "",
        f"{len(coverage())} points; every one is taught by at least two scenarios "
        f"({', '.join(f'{n} by {k}' for k, n in sorted(counted.items()))}).",
        "",
    ]
    return lines


def render() -> str:
    lib = library()
    lines = [
        "# The bundled scenario library",
        "",
        "<!-- Generated by `python -m tests.library.library_doc`; edit that file or",
        "     tests/library/coverage.yaml, not this one. A test fails when it is stale. -->",
        "",
        "The bundled library in `scenarios/` is the programme's onboarding for reciprocal",
        f"mentoring: {len(lib.scenarios)} branching scenarios, each scored against the "
        f"{len(lib.programme.ground_rules)} ground rules",
        "in `scenarios/programme.yaml`. This page lists them, says which are required for",
        "each role, gives the tell figures, and maps every point of the programme guidance",
        "(`../shared/guidance/`: the webinar's questions and answers and the programme",
        "outline) to the decisions that teach it.",
        "",
        "`tests/library/test_library_quality.py` checks the requirements of the library issue",
        "(onboarding size and length, endings, path length, feedback, rule coverage, critical",
        "breaches and the opening split), `tests/library/test_fairness.py` the tell limits,",
        "`tests/library/test_coverage.py` the coverage of the guidance, and",
        "`tests/library/test_bundled_library.py` walks each scenario's best, mixed and worst",
        "path.",
        "",
        "The programme coordinator is the same person throughout the library: **Niamh Byrne**.",
        "Every scenario is set in the university's programme, which runs from October to June",
        "with mentors from partner employers; `employer-blind-spot` is its short strand (four",
        "sessions over three months).",
        "",
    ]
    lines += onboarding_section()
    lines += scenarios_section()
    lines += tells_section()
    lines += CAST.splitlines() + [""]
    lines += rules_section()
    lines += critical_section()
    lines += coverage_section()
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
