"""Scaffolds: a new programme, or a new scenario in a library, that validate clean and teach.

Every file written says, in comments beside each field, what the field does; the scenario
uses each part of the format once (a variable shown as a meter, a condition, `add`,
scores against the programme's own ground rules, a critical breach, feedback, the three
kinds of ending) and comes with a transcript test of its best path and its breach. The
tests check that what is written here validates with no error and no warning.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mentorquest.errors import LibraryError, UsageError
from mentorquest.language.format import SLUG_PATTERN, Programme
from mentorquest.language.suggest import did_you_mean
from mentorquest.textsafe import label, path_label, shell_word
from mentorquest.toolkit import schemas
from mentorquest.toolkit.yamltext import scalar

EXAMPLE_SCENARIO = "first-meeting"


def slug(text: str, fallback: str = "") -> str:
    """An id made from any text: accents dropped, lower case, words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    made = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return made or fallback


def is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, text) is not None


@dataclass(frozen=True)
class Written:
    path: Path
    what: str


@dataclass(frozen=True)
class Planned:
    """A file a command means to write: where, what, and what it is (for its report)."""

    path: Path
    text: str
    what: str


def shown(path: Path) -> str:
    """A path as it is typed in the commands the files and the hints suggest."""
    return shell_word(str(path))


def schema_files(folder: Path) -> list[Planned]:
    return [Planned(path, text, "schema") for path, text in schemas.planned(folder)]


def write_all(planned: list[Planned]) -> list[Written]:
    """Write every planned file, or none: each is checked first, so that a command that
    fails leaves nothing half-written. A schema already there with the same text is left
    as it is; any other file already there (a schema with other text too) is never
    overwritten."""
    writing: list[Planned] = []
    for item in planned:
        path = item.path
        if path.is_symlink() or path.exists():
            if item.what == "schema" and _holds(path, item.text):
                continue
            if item.what == "schema":
                raise UsageError(
                    f"{path_label(str(path))} already exists with other content (from another "
                    "version?); nothing was written. Refresh the schemas with "
                    f"'mentorquest schema --write {shown(path.parent)}', or move it away"
                )
            raise UsageError(f"{path_label(str(path))} already exists; nothing was written")
        for parent in path.parents:
            if parent.exists() and not parent.is_dir():
                raise UsageError(f"{path_label(str(parent))} is not a folder; nothing was written")
        writing.append(item)
    for item in writing:
        _write(item.path, item.text)
    return [Written(item.path, item.what) for item in writing]


def _holds(path: Path, text: str) -> bool:
    try:
        return path.is_file() and path.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        raise UsageError(
            f"{path_label(str(path))} already exists; nothing was overwritten"
        ) from None
    except OSError as error:
        raise UsageError(
            f"cannot write {path_label(str(path))}: {error.strerror or error}"
        ) from None


# --- the programme -------------------------------------------------------------------------

_PROGRAMME = """\
{pointer}
# The programme: who takes part, the ground rules every choice is scored against, and what
# each role must pass. Check the whole library at any time with
#   mentorquest validate {folder}
# Your editor completes and explains each field through the schema named on line 1.
format: 1                       # the format of this file; always 1 for now
id: {id:<27} # a slug: lower-case letters, digits and single hyphens
title: {title}
roles: [mentor, mentee]         # the roles people take; each scenario says which roles play it
pass_mark: 70                   # the percent needed to pass a scenario (one may set its own)
reading_floor: 2                # seconds a decision takes at least, on average, before an
                                #   attempt is flagged as hurried in records and reports
feedback: immediate             # immediate: after each choice; debrief: only at the end
introduction:                   # shown on the welcome screen
  summary: >-
    Reciprocal mentoring pairs people who learn from each other: each of you is, at
    times, the mentor and the mentee.
  basics: For people new to mentoring.                   # optional
  differences: For people who have mentored before.      # optional
ground_rules:                   # what choices are scored against (-3..3 per choice and rule)
  - id: confidentiality         # scenarios name rules by id: scores: {{confidentiality: 2}}
    name: Confidentiality       # what participants read
    summary: What is shared stays between you, unless someone is at risk.
  - id: listening
    name: Active listening
    summary: Listen to understand before you answer.
  - id: no-fault
    name: A no-fault attitude
    summary: When something goes wrong, look for what happened, not for whom to blame.
required:                       # per role, the scenarios it must pass, in the order offered
{required}
survey:                         # optional: asked before the first and after the last scenario
  before:
    - id: hopes
      prompt: What do you hope to gain from the programme?
      kind: text                # text: free text; scale: a whole number from 1 to 5
  after:
    - id: confidence
      prompt: How confident do you now feel about raising a difficult topic?
      kind: scale
      optional: true            # may be left unanswered
"""


def programme_text(
    file: Path, schema_folder: Path, programme_id: str, title: str, required: list[str]
) -> str:
    listed = ", ".join(scalar(scenario_id, flow=True) for scenario_id in required)
    lines = "\n".join(f"  {role}: [{listed}]" for role in ("mentor", "mentee"))
    return _PROGRAMME.format(
        pointer=schemas.pointer(file, schema_folder, "programme"),
        folder=shown(file.parent),
        id=scalar(programme_id),
        title=scalar(title),
        required=lines,
    )


def programme_of(text: str) -> Programme:
    """The programme a scaffold's programme.yaml text declares (read as a file would be)."""
    from mentorquest.language.validator import validate
    from mentorquest.language.yamlsource import parse_text

    problems: list[Any] = []
    programme = validate("programme", parse_text(text), problems)
    assert isinstance(programme, Programme), problems
    return programme


def new_programme(folder: Path, title: str | None = None) -> list[Written]:
    """A new library in `folder`: programme.yaml, an example scenario, its transcript test
    and the schemas. Refuses a folder that already holds a programme; writes nothing
    unless it can write everything."""
    if (folder / "programme.yaml").exists() or (folder / "programme.yml").exists():
        raise UsageError(
            f"{path_label(str(folder))} already holds a programme; nothing was overwritten"
        )
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{path_label(str(folder))} is not a folder")
    name = folder.resolve().name
    programme_id = slug(name, "my-programme")
    schema_folder = folder / schemas.FOLDER
    programme_file = folder / "programme.yaml"
    planned = schema_files(schema_folder)
    planned.append(
        Planned(
            programme_file,
            programme_text(
                programme_file,
                schema_folder,
                programme_id,
                title or f"{name} onboarding",
                [EXAMPLE_SCENARIO],
            ),
            "programme",
        )
    )
    planned += _scenario_files(
        folder,
        schema_folder,
        EXAMPLE_SCENARIO,
        "The first meeting",
        roles=["mentor", "mentee"],
        rules=["confidentiality", "listening"],
    )
    return write_all(planned)


# --- a scenario ----------------------------------------------------------------------------

_SCENARIO = """\
{pointer}
# A scenario: scenes joined by choices. Each choice is scored against the programme's
# ground rules, explained with feedback, and may change variables. Try it:
#   mentorquest walk --library {folder} {walk_id} listen agree-a-plan   (one path, its debrief)
#   mentorquest explore --library {folder} {walk_id}                    (every path, counted)
#   mentorquest graph --library {folder} {walk_id}                      (the scenes as a graph)
#   mentorquest test {folder}                                      (the transcript tests)
format: 1                       # always 1 for now
id: {id}                        # unique across the library (the file name need not match)
title: {title}
summary: Someone new arrives for a first meeting, unsure what to expect.   # shown to players
trainer_note: |                 # for trainers only, never shown to players
  What this scenario teaches: listening first, and keeping what is shared in confidence.
  Replace the scenes below with your own; keep one best path that can score 100%.
roles: [{roles}]                # the roles that play it (the programme's roles)
minutes: 5                      # about how long it takes
variables:                      # whole numbers that conditions read and choices change
  trust: 50                     # short for {{start: 50, min: 0, max: 100}}
meter: trust                    # players see this variable as a gauge
start: arrival                  # the first scene
scenes:
  arrival:                      # a scene id: lower-case letters, digits and hyphens
    speaker: Narrator           # optional: shown above the text
    text: |                     # Markdown: *emphasis* and short lists are fine
      Sam sits down, glances at the clock and says: "I'm not sure what I'm meant to get
      out of this."
    choices:                    # shown in an order of each attempt's own
      - id: listen              # unique in its scene; tests and `walk` name choices by id
        text: Ask what Sam hopes for, and listen before saying anything about yourself.
        goto: hopes             # the scene this choice leads to
        add: {{trust: 20}}        # add to a variable (set: assigns); values stay in range
        scores: {listen_scores}     # ground-rule id -> -3..3, counted the first time
        feedback: >-
          Listening first shows that the meeting is about both of you, and tells you what
          Sam needs before you offer anything.
      - id: lecture
        text: Explain how mentoring works and what you expect of Sam.
        goto: hopes
        add: {{trust: -20}}
        scores: {lecture_scores}
        feedback: >-
          A lecture leaves little room for Sam's own aims; the meeting becomes yours.
  hopes:
    text: >-
      Sam mentions a difficult situation with a colleague, "but please keep that between
      us".
    order: fixed                # optional: keep the written order (default: shuffled)
    choices:
      - id: agree-a-plan
        if: trust >= 60         # offered only when true: numbers, variables, visited(scene),
                                #   score(rule), == != < <= > >=, and, or, not
        text: Thank Sam for trusting you, and agree together what you will work on.
        goto: good-start
        scores: {plan_scores}
        feedback: >-
          Acknowledging the trust and agreeing aims together keeps the confidence and
          gives the relationship a shared direction.
      - id: move-on
        text: Note it, and move on to dates for the next meetings.
        goto: so-so
        feedback: >-
          Practical, but Sam is left unsure whether what was shared was heard.
      - id: tell-manager
        text: Suggest mentioning it to Sam's manager, who could help.
        goto: broken-trust
        scores: {breach_scores}
        critical: {rule_a}      # a serious breach: the attempt cannot pass
        feedback: >-
          Sam asked for this to stay between you; passing it on without consent breaks
          confidentiality, however well meant.
  good-start:
    text: You leave with a first aim agreed, and Sam asks when you can meet again.
    ending: strong              # an ending has no choices: strong, mixed or poor
  so-so:
    text: The meeting ends politely; neither of you is sure what comes next.
    ending: mixed
  broken-trust:
    text: Sam goes quiet, and cancels the next meeting.
    ending: poor
"""

_TRANSCRIPT = """\
{pointer}
# Transcript tests of '{named}': each case is a path of choice ids from the start, and what
# it must give. Run them with
#   mentorquest test {folder}
# A failure says FILE:LINE: expected X, got Y. Only what is written under expect: is checked.
scenario: {id}
cases:
  - name: listening first, then agreeing aims, earns full marks
    path: [listen, agree-a-plan]
    expect:
      ending: good-start
      ending_kind: strong       # strong, mixed or poor
      percent: 100
      passed: true
      critical: []              # the ground rules breached critically; [] for none
  - name: telling the manager is a critical breach
    path: [listen, tell-manager]
    expect:
      ending_kind: poor
      passed: false
      critical: [{rule_a}]
      reached: [hopes]          # scenes the path must enter
      feedback: [breaks confidentiality]   # fragments of some feedback on the path
  - name: after a lecture the plan is not on offer
    path: [lecture, move-on]
    expect: {{ending: so-so, passed: false}}
"""


def _scores(points: dict[str, int]) -> str:
    return (
        "{"
        + ", ".join(f"{scalar(rule, flow=True)}: {value}" for rule, value in points.items())
        + "}"
    )


def _merge(*pairs: tuple[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for rule, value in pairs:
        out[rule] = out.get(rule, 0) + value
    return {rule: max(-3, min(3, value)) for rule, value in out.items()}


def _scenario_files(
    library: Path,
    schema_folder: Path,
    scenario_id: str,
    title: str,
    *,
    roles: list[str],
    rules: list[str],
) -> list[Planned]:
    rule_a = rules[0]
    rule_b = rules[1] if len(rules) > 1 else rules[0]
    scenario_file = library / f"{scenario_id}.yaml"
    transcript_file = library / f"{scenario_id}.test.yaml"
    folder = shown(library)
    return [
        Planned(
            scenario_file,
            _SCENARIO.format(
                pointer=schemas.pointer(scenario_file, schema_folder, "scenario"),
                folder=folder,
                id=scalar(scenario_id),
                walk_id=shlex.quote(scenario_id),
                title=scalar(title),
                roles=", ".join(scalar(role, flow=True) for role in roles),
                rule_a=scalar(rule_a),
                listen_scores=_scores(_merge((rule_b, 2))),
                lecture_scores=_scores(_merge((rule_b, -1))),
                plan_scores=_scores(_merge((rule_a, 2), (rule_b, 1))),
                breach_scores=_scores(_merge((rule_a, -3))),
            ),
            "scenario",
        ),
        Planned(
            transcript_file,
            _TRANSCRIPT.format(
                pointer=schemas.pointer(transcript_file, schema_folder, "transcript"),
                folder=folder,
                id=scalar(scenario_id),
                named=scenario_id,
                rule_a=scalar(rule_a, flow=True),
            ),
            "transcript test",
        ),
    ]


def read_programme(library: Path) -> Programme:
    """The library's programme, for scaffolds that use its roles and rules."""
    from mentorquest.language.loader import load_library

    result = load_library(library)
    if result.library is None:
        errors = [
            d
            for d in result.errors
            if d.position.file.endswith(("programme.yaml", "programme.yml"))
        ]
        raise LibraryError(
            f"{path_label(str(library / 'programme.yaml'))} has errors; run "
            f"'mentorquest validate {shown(library)}'",
            tuple(errors),
        )
    return result.library.programme


def taken_ids(library: Path) -> dict[str, str]:
    """The scenario ids a library already uses, each with the file that declares it."""
    from mentorquest.language.loader import load_library

    checked = load_library(library).checked
    if checked is None:
        return {}
    return {scenario_id: checked.file_of(scenario_id) for scenario_id in checked.scenarios}


def new_scenario(
    library: Path, scenario_id: str, role: str | None = None, title: str | None = None
) -> list[Written]:
    """A new scenario (and its transcript test) in `library`, scored against the
    programme's own ground rules and played by `role` (default: every role)."""
    if not is_slug(scenario_id):
        raise UsageError(
            f"'{label(scenario_id)}' is not a valid scenario id: use lower-case letters, "
            f"digits and single hyphens, e.g. '{slug(scenario_id, 'first-meeting')}'"
        )
    programme = read_programme(library)
    if role is not None and role not in programme.roles:
        raise UsageError(
            f"unknown role '{label(role)}'{did_you_mean(role, programme.roles)}; "
            f"the programme's roles: {', '.join(programme.roles)}"
        )
    taken = taken_ids(library)
    if scenario_id in taken:
        raise UsageError(
            f"the library already has a scenario '{scenario_id}' "
            f"({label(taken[scenario_id])}); choose another id"
        )
    planned: list[Planned] = []
    schema_folder = schemas.find_schemas(library)
    if schema_folder is None:
        schema_folder = library / schemas.FOLDER
        planned += schema_files(schema_folder)
    planned += _scenario_files(
        library,
        schema_folder,
        scenario_id,
        title or scenario_id.replace("-", " ").capitalize(),
        roles=[role] if role else list(programme.roles),
        rules=_example_rules([rule.id for rule in programme.ground_rules]),
    )
    return write_all(planned)


def _example_rules(rules: list[str]) -> list[str]:
    """The rules the example scores: confidentiality and listening when the programme has
    them (the example is about those), else its first two."""
    confidential = next((r for r in rules if "confidential" in r), None)
    listening = next((r for r in rules if "listen" in r), None)
    first = confidential or rules[0]
    second = listening or next((r for r in rules if r != first), first)
    return [first, second]
