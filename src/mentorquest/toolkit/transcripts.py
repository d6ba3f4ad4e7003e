"""Transcript tests: `*.test.yaml` files kept beside the scenarios, run by `mentorquest test`.

A transcript test names a scenario and lists cases; each case is a path of choice ids,
taken from the start as a player would take them, and what the path must give:

    # yaml-language-server: $schema=schema/transcript.schema.json
    scenario: missed-sessions
    cases:
      - name: listening first earns full marks
        path: [ask, plan]
        expect: {ending: strong, ending_kind: strong, percent: 100, passed: true}
      - name: telling the tutor is a critical breach
        path: [blame, tell-tutor]
        expect:
          critical: [confidentiality]
          feedback: [breaks confidentiality]

The file's format is declared here, once, as the scenario format is (frozen dataclasses,
a docstring under each field): the same validator checks it, with the same messages,
and its JSON Schema gives editors completion. A case fails on the first choice that is
not available (naming the ones that are) or on each expectation not met, as
`FILE:LINE: expected X, got Y`, the line being the expectation's own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from mentorquest.errors import MentorquestError, UsageError
from mentorquest.language.diagnostics import Diagnostic, Position, Severity
from mentorquest.language.files import TEST_SUFFIXES
from mentorquest.language.format import EndingKind, Percent, Slug, Text
from mentorquest.shapes import Constrained, Declared

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from mentorquest.engine import Engine
    from mentorquest.language.yamlsource import Document


@dataclass(frozen=True, kw_only=True)
class Expect(Declared):
    """What a path must give; only what is written is checked."""

    ending: Slug | None = None
    """The ending scene the path must reach."""
    ending_kind: EndingKind | None = None
    """The kind of that ending: strong, mixed or poor."""
    percent: Percent | None = None
    """The percent the path scores, exactly (0 to 100)."""
    passed: bool | None = None
    """Whether the path passes (its percent meets the pass mark, with no critical breach)."""
    critical: tuple[Slug, ...] | None = None
    """The ground rules critically breached on the path, in order; [] for none."""
    scores: Mapping[Slug, int] = field(default_factory=dict)
    """Ground-rule id -> the points the path earns for it."""
    reached: tuple[Slug, ...] = ()
    """Scenes the path must enter on the way (or end at)."""
    feedback: tuple[Text, ...] = ()
    """Fragments of feedback: each must appear in the feedback of some choice on the path
    (ignoring case and spacing)."""


@dataclass(frozen=True, kw_only=True)
class Case(Declared):
    """One path through the scenario, and what it must give."""

    name: Text
    """What the case shows, in a few words; failures name it."""
    path: tuple[Slug, ...]
    """Choice ids, in the order they are taken from the start scene."""
    expect: Expect
    """What the path must give (ending, ending_kind, percent, passed, critical, scores,
    reached, feedback)."""


@dataclass(frozen=True, kw_only=True)
class TranscriptFile(Declared):
    """Transcript tests of one scenario: paths of choice ids, and what each must give."""

    format: Literal[1] = 1
    """The format of this file; always 1 for now (may be left out)."""
    scenario: Slug
    """The id of the scenario the cases play."""
    cases: Annotated[tuple[Case, ...], Constrained(min_length=1)]
    """The cases, each a path and what it must give; at least one."""


@cache
def checker() -> TypeAdapter[Any]:
    from pydantic import TypeAdapter

    return TypeAdapter(TranscriptFile)


def json_schema() -> dict[str, Any]:
    return checker().json_schema(by_alias=True, mode="validation")


# --- finding and reading ------------------------------------------------------------------


def is_transcript(path: Path) -> bool:
    return path.name.endswith(TEST_SUFFIXES)


def transcript_files(where: Path) -> list[Path]:
    """The transcript files at `where` (a file, or a folder searched below, hidden ones skipped)."""
    from mentorquest.textsafe import path_label

    if where.is_file():
        if not is_transcript(where):
            raise UsageError(
                f"{path_label(str(where))}: not a transcript test (its name must end in .test.yaml)"
            )
        return [where]
    if not where.is_dir():
        raise UsageError(f"{path_label(str(where))}: no such file or folder")
    found = []
    for folder, dirs, names in os.walk(where):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and name.endswith(TEST_SUFFIXES):
                found.append(Path(folder) / name)
    return sorted(found)


def _refused(path: Path, within: Path | None) -> str | None:
    """Why a transcript file may not be read, as the library reader refuses its files: a
    symlink leading out of the folder searched, or anything but a regular file."""
    import stat

    from mentorquest.language.files import file_kind

    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if within is not None and not path.resolve().is_relative_to(within.resolve()):
                return "a symlink to a file outside the folder; copy the file in instead"
            info = os.stat(path)
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        return f"cannot read file: {getattr(error, 'strerror', None) or error}"
    if not stat.S_ISREG(info.st_mode):
        return f"not a regular file ({file_kind(info.st_mode)})"
    return None


def read_transcript(
    path: Path,
    display: str,
    out: list[Diagnostic],
    within: Path | None = None,
    library: Path | None = None,
) -> tuple[TranscriptFile | None, Document | None]:
    """The file's tests, or None with the reasons in `out` (FILE:LINE:COL: error: ...).
    With `within`, a symlink leading out of that folder is refused; `library` (by default
    the file's folder) is the one whose schemas a schema line that leads nowhere is told of."""
    from mentorquest.language.files import FileProblem, LibraryFile, read_bytes
    from mentorquest.language.pointers import pointer_problem
    from mentorquest.language.validator import validate_with
    from mentorquest.language.yamlsource import read_document, unreadable

    refused = _refused(path, within)
    if refused is not None:
        out.append(unreadable(display, refused))
        return None, None
    try:
        info = path.stat()
        raw = read_bytes(LibraryFile(path, path.name, info.st_size, info.st_mtime_ns, None))
    except (OSError, FileProblem) as error:
        out.append(unreadable(display, str(error)))
        return None, None
    document, problems = read_document(raw, display)
    out.extend(problems)
    misled = pointer_problem(raw, path, display, "transcript", *_library_of(path, display, library))
    if misled is not None:
        out.append(misled)
    if document is None:
        return None, None
    if not isinstance(document.data, dict):
        out.append(
            Diagnostic(
                document.position([]),
                Severity.ERROR,
                "a transcript test must be a mapping of fields (scenario, cases)",
            )
        )
        return None, document
    parsed = validate_with(checker(), TranscriptFile, document, out)
    if parsed is not None:
        first: dict[str, int] = {}
        for number, case in enumerate(parsed.cases):
            where = document.position(["cases", number, "name"])
            if case.name in first:
                out.append(
                    Diagnostic(
                        where,
                        Severity.WARNING,
                        f"case name '{case.name}' is used twice (first at line "
                        f"{first[case.name]}); give each case its own, so that a failure "
                        "says which",
                    )
                )
            first.setdefault(case.name, where.line)
    return parsed, document


# --- running ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Failure:
    """One expectation not met, at its line: `FILE:LINE: expected X, got Y (case 'name')`."""

    position: Position
    message: str
    case: str

    def __str__(self) -> str:
        from mentorquest.textsafe import label, path_label

        where = f"{path_label(self.position.file)}:{self.position.line}"
        return f"{where}: {label(self.message)} (case '{label(self.case)}')"


@dataclass(frozen=True, slots=True)
class CaseResult:
    name: str
    failures: tuple[Failure, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def _quote(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if value is None:
        return "nothing"
    return str(value)


def _squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def run_case(
    engine: Engine, scenario_id: str, case: Case, number: int, document: Document
) -> CaseResult:
    """Play the case's path and compare what it gives with what it expects."""
    from mentorquest.errors import ChoiceNotAvailable

    def at(*path: str | int) -> Position:
        return document.position(["cases", number, *path])

    failures: list[Failure] = []

    def fail(position: Position, message: str) -> None:
        failures.append(Failure(position, message, case.name))

    attempt = engine.start(scenario_id)
    reached = [attempt.scene_id]
    feedback: list[str] = []
    for index, choice_id in enumerate(case.path):
        offered = [c.id for c in attempt.offered()]
        if attempt.finished or choice_id not in offered:
            got = (
                f"the path had ended at '{attempt.scene_id}'"
                if attempt.finished
                else f"only {', '.join(sorted(offered))}"
            )
            fail(
                at("path", index),
                f"expected choice '{choice_id}' to be available in scene "
                f"'{attempt.scene_id}', got {got}",
            )
            return CaseResult(case.name, tuple(failures))
        try:
            outcome = attempt.choose(choice_id)
        except ChoiceNotAvailable as error:  # pragma: no cover - checked just above
            fail(at("path", index), str(error))
            return CaseResult(case.name, tuple(failures))
        reached.append(outcome.next_scene)
        if outcome.feedback:
            feedback.append(outcome.feedback)

    result = attempt.result()
    expect = case.expect
    ending = result.ending if attempt.finished else None
    stopped = "" if attempt.finished else f" (the path stops at scene '{attempt.scene_id}')"
    # Names that name nothing: a case that could never pass as written (or would pass
    # whatever happens: `scores: {nosuch: 0}`) fails, with the name meant.
    misnamed = _misnamed(engine, scenario_id, expect)
    for position, message in sorted(
        ((at("expect", *path), message) for path, message in misnamed.items()),
        key=lambda item: (item[0].line, item[0].column),
    ):
        fail(position, message)

    def compare(name: str, wanted: Any, got: Any, note: str = "") -> None:
        if wanted is not None and wanted != got and (name,) not in misnamed:
            fail(at("expect", name), f"expected {name} {_quote(wanted)}, got {_quote(got)}{note}")

    compare("ending", expect.ending, ending, stopped)
    compare("ending_kind", expect.ending_kind, result.ending_kind or None, stopped)
    compare("percent", expect.percent, result.percent)
    compare("passed", expect.passed, result.passed)
    if expect.critical is not None and not any(p[0] == "critical" for p in misnamed):
        compare("critical", list(expect.critical), list(result.critical))
    for rule, wanted in expect.scores.items():
        score = result.score(rule)
        earned = score.earned if score is not None else 0
        if earned != wanted and ("scores", rule) not in misnamed:
            fail(
                at("expect", "scores", rule),
                f"expected scores of '{rule}' {wanted}, got {earned}",
            )
    for index, scene in enumerate(expect.reached):
        if scene not in reached and ("reached", index) not in misnamed:
            fail(
                at("expect", "reached", index),
                f"expected the path to reach scene '{scene}', got {' -> '.join(reached)}",
            )
    squashed = [_squash(text) for text in feedback]
    for index, fragment in enumerate(expect.feedback):
        if not any(_squash(fragment) in text for text in squashed):
            fail(
                at("expect", "feedback", index),
                f"expected feedback containing '{fragment}', got "
                + ("no feedback on the path" if not feedback else f"{len(feedback)} other(s)"),
            )
    return CaseResult(case.name, tuple(failures))


def _misnamed(engine: Engine, scenario_id: str, expect: Expect) -> dict[tuple[str | int, ...], str]:
    """Each expectation that names a scene, an ending or a ground rule the library does not
    have, with the message saying so (and the name meant, when one is close)."""
    from mentorquest.language.suggest import did_you_mean

    scenario = engine.library.scenarios[scenario_id]
    endings = [sid for sid, scene in scenario.scenes.items() if scene.ending is not None]
    rules = [rule.id for rule in engine.library.programme.ground_rules]
    found: dict[tuple[str | int, ...], str] = {}
    if expect.ending is not None and expect.ending not in endings:
        what = "is not an ending" if expect.ending in scenario.scenes else "names no ending"
        found[("ending",)] = (
            f"expected ending '{expect.ending}', which {what} of scenario '{scenario_id}'"
            f"{did_you_mean(expect.ending, endings)}"
        )
    for index, scene in enumerate(expect.reached):
        if scene not in scenario.scenes:
            found[("reached", index)] = (
                f"expected the path to reach scene '{scene}', which names no scene of "
                f"scenario '{scenario_id}'{did_you_mean(scene, scenario.scenes)}"
            )
    for rule in expect.scores:
        if rule not in rules:
            found[("scores", rule)] = (
                f"expected scores of '{rule}', which names no ground rule{did_you_mean(rule, rules)}"
            )
    for index, rule in enumerate(expect.critical or ()):
        if rule not in rules:
            found[("critical", index)] = (
                f"expected a critical breach of '{rule}', which names no ground rule"
                f"{did_you_mean(rule, rules)}"
            )
    return found


@dataclass
class FileReport:
    """One transcript file: its problems as a file, and each case's result."""

    display: str
    diagnostics: list[Diagnostic]
    cases: list[CaseResult]

    @property
    def unrun(self) -> bool:
        """Whether the file could not be run at all (malformed, or naming no scenario):
        counted apart from the cases, so that it is never missed nor taken for one."""
        return any(d.is_error for d in self.diagnostics) and not self.cases

    @property
    def failed(self) -> int:
        return sum(1 for c in self.cases if not c.passed)

    @property
    def passed(self) -> int:
        return sum(1 for c in self.cases if c.passed)


def _library_of(path: Path, display: str, library: Path | None) -> tuple[Path, str]:
    """The library whose schemas a transcript's schema line should name, and that folder
    as the user named it (`display` less the file's place below it)."""
    shown = os.path.dirname(display)
    if library is None:
        return path.parent, shown or "."
    try:
        below = path.resolve().relative_to(library.resolve())
    except (OSError, ValueError):
        return path.parent, shown or "."
    for _ in below.parts[1:]:
        shown = os.path.dirname(shown)
    return library, shown or "."


def run_file(engine: Engine, path: Path, display: str, within: Path | None = None) -> FileReport:
    diagnostics: list[Diagnostic] = []
    parsed, document = read_transcript(
        path, display, diagnostics, within, library=engine.library.root
    )
    report = FileReport(display, diagnostics, [])
    if parsed is None or document is None:
        return report
    if parsed.scenario not in engine.library.scenarios:
        from mentorquest.language.suggest import did_you_mean

        hint = did_you_mean(parsed.scenario, engine.library.scenarios)
        diagnostics.append(
            Diagnostic(
                document.position(["scenario"]),
                Severity.ERROR,
                f"no scenario '{parsed.scenario}' in the library{hint}",
            )
        )
        return report
    try:
        engine.analysis(parsed.scenario)
    except MentorquestError as error:
        diagnostics.append(Diagnostic(document.position(["scenario"]), Severity.ERROR, str(error)))
        return report
    for number, case in enumerate(parsed.cases):
        report.cases.append(run_case(engine, parsed.scenario, case, number, document))
    return report


def run_all(
    engine: Engine, files: list[Path], display: Mapping[Path, str], within: Path | None = None
) -> Iterator[FileReport]:
    for path in files:
        yield run_file(engine, path, display.get(path, str(path)), within)
