"""`mentorquest checkin --stage midpoint|closeout`: the programme's later evaluation stages.

The Textual app in a terminal (imported only here, when it runs), line mode with --plain
or when the terminal cannot run it, as `play` does.
"""

from __future__ import annotations

import sys

import click

from mentorquest.players.checkin import CHECKIN_STAGES
from mentorquest.settings import Settings


@click.command()
@click.option(
    "--stage",
    type=click.Choice(CHECKIN_STAGES),
    required=True,
    help="Which check-in: midpoint (during the programme) or closeout (at its end).",
)
@click.option(
    "--plain", is_flag=True, help="Line mode: for screen readers, dumb terminals and scripts."
)
@click.option(
    "--library",
    "library",
    metavar="DIR",
    help="Scenario library folder (default: the bundled programme).",
)
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Store URL (default: MENTORQUEST_DB, or the SQLite file in your data folder).",
)
@click.option("--participant", metavar="ID", help="Your participant id.")
@click.option(
    "--take-over",
    is_flag=True,
    help="Take your journey over from another player that has it open (that player stops).",
)
def checkin(
    stage: str,
    plain: bool,
    library: str | None,
    db_url: str | None,
    participant: str | None,
    take_over: bool,
) -> None:
    """Answer the programme's midpoint or close-out questions (after completing onboarding).

    Each answer is saved the moment it is given; answers already given at this stage are
    not asked again. Reports compare a question asked at several stages."""
    from mentorquest.cli.main import library_root
    from mentorquest.players.config import PlayConfig

    config = PlayConfig(
        library=library_root(library),
        db_url=db_url,
        participant=participant,
        take_over=take_over,
    )
    interactive = (
        sys.stdin.isatty() and sys.stdout.isatty() and not Settings.from_env().dumb_terminal
    )
    if not plain and interactive:
        from mentorquest.tui.checkin import launch_checkin

        sys.exit(launch_checkin(config, stage))
    from mentorquest.players.checkin import run_checkin_plain

    sys.exit(run_checkin_plain(config, stage, sys.stdin, sys.stdout))
