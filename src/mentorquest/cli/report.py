"""`mentorquest report`: the cohort at a glance in the terminal (rich), or as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from mentorquest.cli.records import db_option, programme_option
from mentorquest.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from mentorquest.records.report import CohortReport

Justify = Literal["left", "right"]


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _bar(percent: int, width: int = 20) -> str:
    filled = round(width * max(0, min(percent, 100)) / 100)
    return "█" * filled + "·" * (width - filled)


def render_terminal(report: CohortReport, console: Console) -> None:
    from rich.table import Table
    from rich.text import Text

    from mentorquest.textsafe import label

    def cell(value: object) -> Text:
        # Everything from the store is shown as text, never read as markup.
        return Text(label(str(value)))

    title = ", ".join(report.programme_titles) or "mentorquest"
    console.print(
        Text(f"Cohort report: {label(title)}", style="bold" if console.is_terminal else "")
    )
    console.print(
        Text(
            f"{report.participants} participants, {report.completed} completed, "
            f"{report.attempts} attempts"
        )
    )
    roles = Table(title="Completion by role", title_justify="left")
    columns: tuple[tuple[str, Justify], ...] = (
        ("Role", "left"),
        ("Completed", "right"),
        ("", "left"),
    )
    for heading, justify in columns:
        roles.add_column(heading, justify=justify)
    for r in report.roles:
        roles.add_row(
            cell(r.role),
            cell(f"{r.completed} of {r.participants} ({r.percent}%)"),
            cell(_bar(r.percent)),
        )
    console.print(roles)
    rules = Table(title="Ground rules", title_justify="left")
    columns = (("Ground rule", "left"), ("Average", "right"), ("", "left"), ("Missed in", "right"))
    for heading, justify in columns:
        rules.add_column(heading, justify=justify)
    for rule in report.rules:
        rules.add_row(
            cell(rule.name),
            cell(f"{rule.average_percent}%"),
            cell(_bar(rule.average_percent)),
            cell(f"{rule.attempts_missed} of {rule.attempts_scored} attempts"),
        )
    console.print(rules)
    missed = report.most_missed[:3]
    if missed:
        console.print(cell("Most often missed: " + ", ".join(r.name for r in missed)))
    poor = Table(title="Poor choices most often taken", title_justify="left")
    columns = (("Scenario", "left"), ("Scene", "left"), ("Choice", "left"), ("Times", "right"))
    for heading, justify in columns:
        poor.add_column(heading, justify=justify)
    for p in report.poor_choices:
        text = p.text + (f" (serious breach of {p.critical})" if p.critical else "")
        poor.add_row(cell(p.scenario_title), cell(p.scene), cell(text), cell(p.times))
    if report.poor_choices:
        console.print(poor)
    if report.flagged:
        worth = Table(title="Attempts worth a look", title_justify="left")
        for heading in ("Participant", "Name", "Why"):
            worth.add_column(heading)
        for item in report.flagged:
            worth.add_row(cell(item.participant_id), cell(item.name), cell(item.message))
        console.print(worth)


@click.command()
@db_option
@programme_option
@click.option(
    "--html", "html_file", metavar="FILE", help="Also write a self-contained HTML page with charts."
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1, 100),
    help="How many poor choices to list.",
)
def report(db_url: str | None, programme: str | None, html_file: str | None, top: int) -> None:
    """The cohort at a glance: completion by role, ground rules, poor choices."""
    from mentorquest.records.report import build_report
    from mentorquest.records.report_html import render_html
    from mentorquest.store import open_store

    with open_store(db_url) as store:
        data = build_report(store, programme, top=top)
    render_terminal(data, stdout_console())
    if html_file:
        target = Path(html_file)
        try:
            target.write_text(render_html(data), encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
        click.echo(f"Wrote {target}.", err=True)
