"""The trainer's commands: explore, graph, test, new, import (and `schema --write`'s work).

Each command reads a library as `walk` does (`--library DIR`, else MENTORQUEST_LIBRARY,
else the bundled programme), renders what `mentorquest.toolkit` computes, and reports
every problem as one clear line with a non-zero exit, never a traceback. Everything taken
from a file is shown through `textsafe`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mentorquest.errors import UsageError
from mentorquest.textsafe import json_text, label, path_label, shell_word

if TYPE_CHECKING:
    from mentorquest.language.library import Library
    from mentorquest.toolkit.explore import Exploration, RandomReport

LIBRARY_HELP = "Scenario library folder (default: MENTORQUEST_LIBRARY, else the bundled programme)."


def _open(library: str | None) -> Library:
    from mentorquest.cli.main import library_root
    from mentorquest.language.compiled import open_library

    return open_library(library_root(library))


def _json(payload: Any) -> str:
    return json_text(json.dumps(payload, ensure_ascii=False, indent=2))


# --- explore -------------------------------------------------------------------------------


def _count(paths: int | None) -> str:
    return "infinitely many" if paths is None else f"{paths:,}"


def _exploration_lines(found: Exploration) -> list[str]:
    lines = [
        f"Scenario {label(found.scenario)}: {label(found.title)}",
        f"Reachable states: {found.states:,}",
        f"Complete paths (start to an ending): {_count(found.paths)}",
    ]
    if found.loops:
        lines.append(
            "  a path can loop through: "
            + ", ".join(label(s) for s in found.loops)
            + " (so there is no end to the number of paths)"
        )
    if found.dead_end_paths != 0:  # None: infinitely many, through a loop
        lines.append(f"Paths that stop at a dead end: {_count(found.dead_end_paths)}")
    lines.append(
        f"Total score: best {found.best_total}, worst {found.worst_total} "
        f"({found.worst_percent}%); pass mark {found.pass_mark}%"
    )
    lines.append("Endings (paths, percent range):")
    width = max((len(label(e.scene)) for e in found.endings), default=0)
    for e in found.endings:
        reached = (
            f"{e.worst_percent}%..{e.best_percent}%" if e.paths != 0 else "(cannot be reached)"
        )
        lines.append(
            f"  {label(e.scene):<{width}}  {e.kind:<6}  {_count(e.paths)} path(s)  {reached}"
        )
    lines.append("Ground rules (best, worst total on a complete path):")
    width = max((len(label(r.rule)) for r in found.rules), default=0)
    for r in found.rules:
        lines.append(f"  {label(r.rule):<{width}}  best {r.best:>3}  worst {r.worst:>3}")

    def refs(title: str, items: list[str]) -> None:
        lines.append(f"{title}:" + ("" if items else " none"))
        lines.extend(f"  {item}" for item in items)

    refs(
        "Choices on no best path",
        [f"{label(c.scene)}: {label(c.choice)}" for c in found.off_best_path],
    )
    refs(
        "Choices never available",
        [f"{label(c.scene)}: {label(c.choice)}" for c in found.never_available],
    )
    refs(
        "Scenes reached only after a critical breach",
        [label(s) for s in found.after_breach_only],
    )
    refs(
        "Decisions where every choice scores below zero",
        [
            f"{label(d.scene)}: "
            + ("always" if not d.when else f"in {d.states} of {d.of} states, e.g. {label(d.when)}")
            for d in found.all_negative
        ],
    )
    return lines


def _random_lines(report: RandomReport) -> list[str]:
    summary = report.percent_summary()
    lines = [
        f"Scenario {label(report.scenario)}: {report.runs:,} random playthroughs, seed {report.seed}",
        f"Finished: {report.finished:,}; stopped at a dead end: {report.stuck:,}; "
        f"still going after {10_000:,} decisions: {report.unfinished:,}",
        f"Passed: {report.passed:,} ({100 * report.pass_rate:.1f}%, pass mark {report.pass_mark}%)",
    ]
    if summary["min"] is not None:
        lines.append(
            f"Percent: min {summary['min']}, median {summary['median']}, "
            f"mean {summary['mean']}, max {summary['max']}"
        )
        lines.append("Distribution of percents:")
        buckets = [0] * 11
        for percent, count in report.percents.items():
            buckets[min(percent // 10, 10)] += count
        top = max(buckets) or 1
        for number, count in enumerate(buckets):
            name = "100" if number == 10 else f"{number * 10:>2}-{number * 10 + 9}"
            bar = "#" * round(40 * count / top)
            lines.append(f"  {name:>6}%  {count:>7,}  {bar}")
    lines.append("Endings reached:" + ("" if report.endings else " none"))
    lines.extend(f"  {label(scene)}: {count:,}" for scene, count in sorted(report.endings.items()))
    never = report.never_taken
    lines.append("Choices never taken:" + ("" if never else " none"))
    lines.extend(
        f"  {label(ref.scene)}: {label(ref.choice)}" + ("" if available else " (never available)")
        for ref, available in never
    )
    return lines


@click.command()
@click.option("--library", "library", metavar="DIR", help=LIBRARY_HELP)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print one JSON object (keys in docs/scenario-format.md).",
)
@click.option(
    "--random",
    "runs",
    type=click.IntRange(min=1, max=10_000_000),
    metavar="N",
    help="Play N seeded random playthroughs instead of counting every path.",
)
@click.option(
    "--seed",
    type=int,
    help="The seed of --random (default 0): the same seed gives the same playthroughs.",
)
@click.argument("scenario")
def explore(
    library: str | None, as_json: bool, runs: int | None, seed: int | None, scenario: str
) -> None:
    """See SCENARIO whole, exhaustively: its reachable states; the exact number of
    complete paths (counted on the state graph, never one by one; "infinitely many" when
    a path can loop); each ending with the paths that reach it and their percents; per
    ground rule the best and worst totals; choices on no best path or never available;
    scenes reachable only after a critical breach; decisions where every choice scores
    below zero.

    With --random N --seed S: N random playthroughs (each available choice equally
    likely), the distribution of their percents, the pass rate, the endings reached and
    the choices never taken. The same seed always gives the same playthroughs.
    """
    from mentorquest.toolkit.explore import explore as explore_scenario
    from mentorquest.toolkit.explore import play_at_random

    if seed is not None and runs is None:
        raise UsageError("--seed is the seed of --random N; give --random N with it")
    lib = _open(library)
    if runs is not None:
        report = play_at_random(lib, scenario, runs, seed or 0)
        if as_json:
            click.echo(_json(report.to_json()))
        else:
            for line in _random_lines(report):
                click.echo(line)
        return
    found = explore_scenario(lib, scenario)
    if as_json:
        click.echo(_json(found.to_json()))
    else:
        for line in _exploration_lines(found):
            click.echo(line)


# --- graph ---------------------------------------------------------------------------------


@click.command()
@click.option("--library", "library", metavar="DIR", help=LIBRARY_HELP)
@click.option(
    "--format",
    "form",
    type=click.Choice(["mermaid", "dot", "svg"]),
    default="mermaid",
    show_default=True,
    help="mermaid (for Markdown pages), dot (Graphviz), or svg (drawn by Graphviz's dot, "
    "which must be on PATH).",
)
@click.option(
    "--out",
    "out",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the graph to FILE instead of printing it.",
)
@click.argument("scenario")
def graph(library: str | None, form: str, out: Path | None, scenario: str) -> None:
    """Draw SCENARIO as a graph: scenes as nodes, endings shaped and labelled by kind
    (strong, mixed, poor), choices as edges labelled with their id and the sign of their
    score (+, -, 0), conditions on their edges, critical breaches dashed and marked
    CRITICAL, and one best path drawn thick."""
    from mentorquest.toolkit import graph as graphs
    from mentorquest.toolkit.explore import best_path, graph_of

    lib = _open(library)
    chosen = lib.scenario(scenario)
    best = best_path(graph_of(lib, scenario))
    if form == "mermaid":
        text = graphs.mermaid(chosen, best)
    else:
        text = graphs.dot(chosen, best)
        if form == "svg":
            text = graphs.svg(text)
    if out is None:
        click.echo(text, nl=False)
        return
    from mentorquest.outfiles import write_text

    write_text(out, text, example=f"{scenario}.{form}")
    click.echo(f"wrote {path_label(str(out))}", err=True)


# --- test ----------------------------------------------------------------------------------


def _library_of(where: Path) -> Path:
    """The nearest folder at or above `where` that holds a programme.yaml."""
    start = where if where.is_dir() else where.parent
    for folder in (start, *start.resolve().parents):
        if (folder / "programme.yaml").is_file() or (folder / "programme.yml").is_file():
            return folder
    raise UsageError(
        f"{path_label(str(where))}: no programme.yaml here or above; "
        "give the library with --library DIR"
    )


@click.command(name="test")
@click.option(
    "--library",
    "library",
    metavar="DIR",
    help="The library the tests play (default: the folder at or above PATH that holds programme.yaml).",
)
@click.option("-v", "--verbose", is_flag=True, help="Name every case, passed or failed.")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def test_command(library: str | None, verbose: bool, path: Path | None) -> None:
    """Run the transcript tests (*.test.yaml) in PATH (a file, or a folder searched
    below; default: the library). Each case plays a path of choice ids from the start
    and checks what it gives: ending, ending_kind, percent, passed, critical, scores,
    scenes reached, fragments of feedback. A failure prints FILE:LINE: expected X, got Y;
    an expectation naming a scene, ending or ground rule the library does not have fails
    with the name meant. A test file that cannot be run (malformed, naming no scenario, a
    symlink out of the folder) is reported as FILE:LINE:COL: error: ... and counted apart:
    "N passed, M failed, K file(s) could not be run". Exit 0 when every case passes, 1
    when any fails or a file cannot be run, 2 when none can run."""
    from mentorquest.cli.main import library_root
    from mentorquest.engine import Engine
    from mentorquest.language.compiled import open_library
    from mentorquest.toolkit.transcripts import run_all, transcript_files

    where = path if path is not None else library_root(library)
    files = transcript_files(where)  # first: a file that is no transcript test says so
    if not files:
        raise UsageError(f"{path_label(str(where))}: no transcript tests (*.test.yaml) here")
    root = Path(library) if library else (library_root(None) if path is None else _library_of(path))
    engine = Engine(open_library(root))
    shown = {f: str(f.relative_to(where)) if where.is_dir() else str(f) for f in files}
    if path is not None and where.is_dir():
        shown = {f: str(Path(path) / name) for f, name in shown.items()}
    passed = failed = unrun = 0
    within = where if where.is_dir() else None
    for report in run_all(engine, files, shown, within):
        for diagnostic in report.diagnostics:
            click.echo(label(str(diagnostic)))
        for case in report.cases:
            if verbose:
                click.echo(
                    f"{'PASS' if case.passed else 'FAIL'} {path_label(report.display)}: {label(case.name)}"
                )
            for failure in case.failures:
                click.echo(label(str(failure)))
        passed += report.passed
        failed += report.failed
        unrun += report.unrun
    summary = f"{passed} passed, {failed} failed"
    if unrun:
        summary += f", {unrun} file(s) could not be run"
    click.echo(summary)
    sys.exit(1 if failed or unrun else 0)


# --- new -----------------------------------------------------------------------------------


@click.group()
def new() -> None:
    """Start a programme or a scenario from a scaffold that validates clean and explains
    each field in comments."""


def _report_written(written: list[Any]) -> None:
    for item in written:
        click.echo(f"wrote {path_label(str(item.path))} ({item.what})")


@new.command(name="programme")
@click.option(
    "--title", metavar="TEXT", help="The programme's title (default: from the folder's name)."
)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def new_programme(title: str | None, folder: Path) -> None:
    """Start a library in FOLDER: programme.yaml, an example scenario with its transcript
    test, and the JSON Schemas (in FOLDER/schema) that the files name for editor
    completion. Nothing existing is overwritten."""
    from mentorquest.toolkit.scaffold import new_programme as make

    _report_written(make(folder, title))
    where = shell_word(str(folder))
    click.echo(f"next: mentorquest validate {where}; mentorquest test {where}")


@new.command(name="scenario")
@click.option(
    "--library",
    "library",
    metavar="DIR",
    default=".",
    show_default=True,
    help="The library to add it to.",
)
@click.option(
    "--role", metavar="ROLE", help="The role that plays it (default: every role of the programme)."
)
@click.option("--title", metavar="TEXT", help="The scenario's title (default: from its id).")
@click.argument("scenario_id", metavar="ID")
def new_scenario(library: str, role: str | None, title: str | None, scenario_id: str) -> None:
    """Add scenario ID to a library: ID.yaml, scored against the programme's own ground
    rules, and ID.test.yaml, its transcript tests. Both name the library's schemas
    (written to DIR/schema if it has none). Nothing existing is overwritten."""
    from mentorquest.toolkit.scaffold import new_scenario as make

    _report_written(make(Path(library), scenario_id, role, title))


# --- import --------------------------------------------------------------------------------


@click.group(name="import")
def import_group() -> None:
    """Bring in stories written elsewhere (Twine's Twee 3)."""


@import_group.command(name="twee")
@click.option(
    "--out",
    "out",
    metavar="DIR",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The library to write the scenario into (a programme is started there if it has none).",
)
@click.option(
    "--id", "scenario_id", metavar="ID", help="The scenario's id (default: from the story's title)."
)
@click.option(
    "--role", metavar="ROLE", help="The role that plays it (default: the programme's first role)."
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_twee(out: Path, scenario_id: str | None, role: str | None, file: Path) -> None:
    """Import the Twine story FILE (Twee 3) as a scenario in DIR: passages become
    scenes, links ([[text]], [[text->target]], [[target<-text]], [[text|target]])
    choices with ids from their text, passages without links endings (kind from a
    strong, mixed or poor tag, else mixed). What Twee cannot hold (scores, feedback) and
    what cannot be converted (macros, scripts, setters) is reported as FILE:LINE:
    warning: ..., and the result is validated."""
    from mentorquest.engine.validation import validate_library
    from mentorquest.toolkit import twee

    source = twee.read_twee(file)
    written, imported = twee.import_story(
        out, source, fallback_title=file.stem, scenario_id=scenario_id, role=role
    )
    for note in imported.warnings:
        click.echo(f"{path_label(str(file))}:{note.line}: warning: {label(note.message)}", err=True)
    _report_written(written)
    report = validate_library(out)
    errors, warnings = report.counts()
    for diagnostic in report.diagnostics:
        if diagnostic.is_error:
            click.echo(label(str(diagnostic)), err=True)
    click.echo(
        f"imported {imported.scenes} scene(s) and {imported.choices} choice(s) as "
        f"'{imported.scenario_id}'; {path_label(str(out))}: {errors} error(s), {warnings} "
        f"warning(s) (mentorquest validate {shell_word(str(out))} lists them)"
    )
    sys.exit(1 if errors else 0)


COMMANDS = (explore, graph, test_command, new, import_group)
