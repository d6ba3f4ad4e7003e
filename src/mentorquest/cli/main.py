"""The `mentorquest` command: play, validate, walk, schema.

Heavy faces (the Textual app) are imported inside the command that needs them, so that
`validate` and `walk` start fast and never load Textual.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mentorquest import __version__
from mentorquest.errors import MentorquestError, UsageError, print_error
from mentorquest.settings import Settings
from mentorquest.textsafe import label, path_label

if TYPE_CHECKING:
    from mentorquest.engine.attempt import Attempt
    from mentorquest.language.library import Library

LIBRARY_HELP = "Scenario library folder (default: MENTORQUEST_LIBRARY, else the bundled programme)."


def library_root(library: str | None) -> Path:
    """--library, else MENTORQUEST_LIBRARY, else the bundled programme."""
    if library:
        return Path(library)
    configured = Settings.from_env().library
    if configured is not None:
        return configured
    from mentorquest.bundled import library_path

    return library_path()


def _open(library: str | None) -> Library:
    from mentorquest.language.compiled import open_library

    return open_library(library_root(library))


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mentorquest")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Onboarding for reciprocal mentoring, played as a text adventure.

    With no command, plays the bundled programme.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(play)


def _preset(values: tuple[str, ...]) -> dict[str, int]:
    preset: dict[str, int] = {}
    for item in values:
        name, sep, value = item.partition("=")
        try:
            preset[name.strip()] = int(value)
        except ValueError:
            raise UsageError(f"--set takes VAR=NUMBER, e.g. trust=60; got '{item}'") from None
        if not sep or not name.strip():
            raise UsageError(f"--set takes VAR=NUMBER, e.g. trust=60; got '{item}'")
    return preset


@cli.command()
@click.option(
    "--plain", is_flag=True, help="Line mode: for screen readers, dumb terminals and scripts."
)
@click.option("--library", "library", metavar="DIR", help=LIBRARY_HELP)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Store URL (default: a SQLite file in your data folder).",
)
@click.option("--role", metavar="ROLE", help="Your role in the programme (e.g. mentor, mentee).")
@click.option("--participant", metavar="ID", help="Your participant id.")
@click.option("--name", metavar="NAME", help="Your name.")
@click.option("--email", metavar="EMAIL", help="Your email (optional).")
@click.option("--scenario", metavar="ID", help="Play one scenario only.")
@click.option(
    "--from", "from_scene", metavar="SCENE", help="Start at this scene (practice: never counts)."
)
@click.option(
    "--set", "preset", metavar="VAR=VALUE", multiple=True, help="Preset a variable (practice)."
)
@click.option("--watch", is_flag=True, help="Reload the scenario when its file changes (trainers).")
@click.option(
    "--take-over",
    is_flag=True,
    help="Take the journey over from another player that has it open (that player stops).",
)
def play(
    plain: bool,
    library: str | None,
    db_url: str | None,
    role: str | None,
    participant: str | None,
    name: str | None,
    email: str | None,
    scenario: str | None,
    from_scene: str | None,
    preset: tuple[str, ...],
    watch: bool,
    take_over: bool,
) -> None:
    """Play the onboarding (the Textual app in a terminal; line mode with --plain)."""
    from mentorquest.players.config import PlayConfig

    config = PlayConfig(
        library=library_root(library),
        db_url=db_url,
        role=role,
        scenario=scenario,
        participant=participant,
        name=name,
        email=email,
        from_scene=from_scene,
        preset=_preset(preset),
        watch=watch,
        take_over=take_over,
    )
    if (from_scene or preset) and not scenario:
        raise UsageError("--from and --set need --scenario ID")
    interactive = (
        sys.stdin.isatty() and sys.stdout.isatty() and not Settings.from_env().dumb_terminal
    )
    if not plain and interactive and _has_app():
        from mentorquest.tui.launch import launch

        sys.exit(launch(config))
    from mentorquest.players.plain import run_plain

    sys.exit(run_plain(config, sys.stdin, sys.stdout))


def _has_app() -> bool:
    import importlib.util

    return importlib.util.find_spec("mentorquest.tui.launch") is not None


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
def validate(paths: tuple[str, ...]) -> None:
    """Check scenario libraries; report problems as FILE:LINE:COL: error: MESSAGE.

    Each PATH is a library folder (the folder that holds programme.yaml); give several to
    check several. With no PATH: MENTORQUEST_LIBRARY, else the bundled programme. Every
    problem is reported in one run, errors and warnings alike, then one summary line per
    library on standard error.

    Exit 0 when no library has an error (warnings allowed), 1 when any has, 2 when a
    folder or its programme.yaml is missing.
    """
    from mentorquest.engine.validation import validate_library

    roots = [Path(p) for p in paths] or [library_root(None)]
    failed = False
    for root in roots:
        report = validate_library(root, display_root=str(root) if paths else None)
        for diagnostic in report.diagnostics:
            click.echo(label(str(diagnostic)))
        errors, warnings = report.counts()
        shown = path_label(str(root))
        summary = f"{shown}: {errors} error(s), {warnings} warning(s) in {report.files} file(s)"
        click.echo(
            summary if errors or warnings else f"{shown}: no problems in {report.files} file(s)",
            err=True,
        )
        failed = failed or errors > 0
    sys.exit(1 if failed else 0)


@cli.command()
@click.option("--library", "library", metavar="DIR", help=LIBRARY_HELP)
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object instead of the debrief."
)
@click.argument("scenario")
@click.argument("choices", nargs=-1)
def walk(library: str | None, as_json: bool, scenario: str, choices: tuple[str, ...]) -> None:
    """Play one scripted path of CHOICES and print the debrief.

    Each choice is a choice id, or a 1-based number counting the scene's choices in the
    file's written order, all of them, whether available at that point or not: walk never
    shuffles (the players show each attempt's choices in an order of their own), so a
    scripted path means the same on every run, whatever the conditions hide. A number or
    id naming a choice not available at that point is an error that lists the available
    ones. Ids are clearer and survive reordering the file.
    """
    from mentorquest.engine import Engine
    from mentorquest.players.journey import debrief_lines

    lib = _open(library)
    engine = Engine(lib)
    attempt = engine.start(scenario)
    for choice in choices:
        attempt.choose(_written_choice(attempt, choice))
    debrief = attempt.debrief()
    result = debrief.result
    if as_json:
        payload = {
            "scenario": result.scenario_id,
            "ending": result.ending if attempt.finished else None,
            "ending_kind": result.ending_kind or None,
            "percent": result.percent,
            "passed": result.passed,
            "critical": list(result.critical),
            "scores": {s.rule: {"earned": s.earned, "best": s.best} for s in result.scores},
            "path": [list(step) for step in result.path],
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    for line in debrief_lines(lib.programme, lib.scenarios[scenario].title, debrief):
        click.echo(line)
    if not attempt.finished:
        click.echo(
            f"The path stops at scene '{label(attempt.scene_id)}' before an ending "
            f"(available: {_available(attempt)})."
        )


def _available(attempt: Attempt) -> str:
    """The choices available now, each with its number in the file's written order."""
    return (
        ", ".join(f"{index + 1} {label(choice.id)}" for index, choice in attempt.available())
        or "none"
    )


def _written_choice(attempt: Attempt, ref: str) -> str:
    """The id of the choice `ref` names: an id, or a number in the file's written order."""
    from mentorquest.errors import ChoiceNotAvailable

    if attempt.finished:
        return ref  # the attempt says it has ended
    written = attempt.scene.choices
    available = {choice.id for _, choice in attempt.available()}
    scene = label(attempt.scene_id)
    if ref.strip().isdigit():
        number = int(ref)
        if not 1 <= number <= len(written):
            raise ChoiceNotAvailable(
                f"scene '{scene}' has {len(written)} choice(s), so there is no choice {number}; "
                f"available: {_available(attempt)}"
            )
        ref = written[number - 1].id
        if ref not in available:
            raise ChoiceNotAvailable(
                f"choice {number} ('{label(ref)}') is not available in scene '{scene}'; "
                f"available: {_available(attempt)}"
            )
        return ref
    if ref not in available:
        raise ChoiceNotAvailable(
            f"choice '{label(ref)}' is not available in scene '{scene}'; "
            f"available: {_available(attempt)}"
        )
    return ref


@cli.command()
@click.option(
    "--programme", is_flag=True, help="The schema of programme.yaml instead of scenario files."
)
@click.option(
    "--write",
    "folder",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the schemas of programme.yaml, scenario files and transcript tests into DIR "
    "(e.g. your-library/schema), for files to name relatively.",
)
def schema(programme: bool, folder: Path | None) -> None:
    """Print the JSON Schema of scenario files (or of programme.yaml), or write all the
    schemas into a folder beside your library (--write DIR).

    Files name their schema on a first line such as '# yaml-language-server:
    $schema=schema/scenario.schema.json', relative to the file. A file copied from
    elsewhere may carry a line that leads nowhere: validate (and test) warn at that line
    with the mend, the line naming your library's schemas or the --write DIR that puts
    them where the line points."""
    if folder is not None and programme:
        raise UsageError(
            "--programme prints the programme's schema; --write writes all three schemas: "
            "give one or the other"
        )
    if folder is not None:
        from mentorquest.toolkit.schemas import write_schemas

        for path in write_schemas(folder):
            click.echo(f"wrote {path_label(str(path))}")
        return
    from mentorquest.language.schema import schema_text

    click.echo(schema_text("programme" if programme else "scenario"), nl=False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every error reaches the user as one clear line, never a traceback."""
    _standard_streams()
    try:
        code = cli.main(args=argv, prog_name="mentorquest", standalone_mode=False)
    except MentorquestError as error:
        print_error(error)
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        # Progress is saved as it is made: nothing is lost by stopping here.
        click.echo("mentorquest: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the last line of defence for users
        if Settings.from_env().debug:
            raise
        click.echo(
            f"mentorquest: internal error: {type(error).__name__}: {error}\n"
            "This is a bug; run again with MENTORQUEST_DEBUG=1 for details and please report it.",
            err=True,
        )
        sys.exit(70)
    sys.exit(code if isinstance(code, int) else 0)


def _standard_streams() -> None:
    """A closed standard stream reads as empty (input) or is discarded (output), never a crash."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


__all__ = ["UsageError", "cli", "main"]


# Coordinator commands (issue 3): records and the cohort report; check-ins (issue 15).
from mentorquest.cli.checkin import checkin as _checkin_command  # noqa: E402
from mentorquest.cli.records import records as _records_group  # noqa: E402
from mentorquest.cli.report import report as _report_command  # noqa: E402

cli.add_command(_records_group)
cli.add_command(_report_command)
cli.add_command(_checkin_command)

# The trainer's toolkit (issue 14): explore, graph, test, new, import.
from mentorquest.cli.toolkit import COMMANDS as _toolkit_commands  # noqa: E402

for _command in _toolkit_commands:
    cli.add_command(_command)
