"""`mentorquest report`: the cohort in the terminal (rich), as one JSON object, or as HTML."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click

from mentorquest.cli.records import (
    check_programme,
    db_option,
    existing_store,
    library_option,
    programme_option,
    programmes_of,
    scope_of,
    since_option,
)
from mentorquest.errors import UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from mentorquest.records.report import CohortReport

Justify = Literal["left", "right"]


def stdout_console() -> Console:
    from rich.console import Console

    return Console(highlight=False)


def _bar(percent: int | None, width: int = 20) -> str:
    filled = round(width * max(0, min(percent or 0, 100)) / 100)
    return "█" * filled + "·" * (width - filled)


def _shown(value: object) -> str:
    return "-" if value is None else str(value)


def cell(value: object) -> Text:
    """Everything from the store is shown as text, never read as markup."""
    from rich.text import Text

    from mentorquest.textsafe import label

    return Text(label(_shown(value)))


def table(title: str, columns: list[tuple[str, Justify]]) -> Table:
    from rich.table import Table

    made = Table(title=title, title_justify="left")
    for heading, justify in columns:
        made.add_column(heading, justify=justify)
    return made


def render_terminal(report: CohortReport, console: Console) -> None:
    from rich.text import Text

    from mentorquest.records.report import COLUMNS
    from mentorquest.textsafe import label

    def notes(section: str, names: dict[str, str]) -> None:
        for name, heading in names.items():
            console.print(Text(f"  {heading}: {COLUMNS[section][name]}", style="dim"))

    totals = report.totals
    console.print(Text(f"Cohort report: {label(report.title)}", style="bold"))
    console.print(Text(f"Made {report.generated_at}; covering {report.period}."))
    console.print(
        Text(
            f"{totals.participants} participants: {totals.completed} completed, "
            f"{totals.in_progress} in progress, {totals.not_started} not started"
        )
    )
    roles = table(
        "Who is where",
        [("Role", "left"), ("Participants", "right"), ("Completed", "right"),
         ("In progress", "right"), ("Not started", "right"), ("", "left")],
    )  # fmt: skip
    for r in [*report.roles, totals]:
        roles.add_row(
            cell(r.role),
            cell(r.participants),
            cell(f"{r.completed} ({r.percent_completed}%)"),
            cell(r.in_progress),
            cell(r.not_started),
            cell(_bar(r.percent_completed)),
        )
    console.print(roles)
    notes("participants", {"completed": "Completed", "in_progress": "In progress"})

    scenarios = table(
        "Scenarios",
        [("Scenario", "left"), ("Attempts", "right"), ("Passed", "right"),
         ("Pass rate", "right"), ("Participants", "right"), ("Have passed", "right"),
         ("Median min", "right"), ("In progress", "right")],
    )  # fmt: skip
    for s in report.scenarios:
        rate = f"{s.pass_rate}%" if s.pass_rate is not None else None
        scenarios.add_row(
            cell(s.title),
            cell(s.attempts),
            cell(s.passed),
            cell(rate),
            cell(s.participants),
            cell(s.participants_passed),
            cell(s.median_minutes),
            cell(s.in_progress),
        )
    console.print(scenarios)
    notes(
        "scenarios",
        {
            "attempts": "Attempts",
            "pass_rate": "Pass rate",
            "participants_passed": "Have passed",
            "median_minutes": "Median min",
        },
    )

    rules = table(
        "Ground rules",
        [("Ground rule", "left"), ("Records avg", "right"), ("Attempts avg", "right"),
         ("", "left"), ("Missed in", "right")],
    )  # fmt: skip
    for rule in report.rules:
        rules.add_row(
            cell(rule.name),
            cell(f"{rule.records_average_percent}%" if rule.records else None),
            cell(f"{rule.attempts_average_percent}%" if rule.attempts_scored else None),
            cell(_bar(rule.attempts_average_percent)),
            cell(f"{rule.attempts_missed} of {rule.attempts_scored} attempts"),
        )
    console.print(rules)
    notes(
        "rules",
        {
            "records_average_percent": "Records avg",
            "attempts_average_percent": "Attempts avg",
            "attempts_missed": "Missed in",
        },
    )
    missed = report.most_missed[:3]
    if missed:
        console.print(cell("Most often missed: " + ", ".join(r.name for r in missed)))

    poor = report.poor_choices(10)
    if poor:
        worst = table(
            "Poor choices most often taken",
            [("Scenario", "left"), ("Scene", "left"), ("Choice", "left"), ("Times", "right")],
        )
        for s, p in poor:
            text = p.text + (f" (serious breach of {p.critical})" if p.critical else "")
            worst.add_row(cell(s.title), cell(p.scene), cell(text), cell(p.times))
        console.print(worst)

    _survey(report, console)
    notes("survey", {"mean": "Mean", "texts": "Free text", "mean_change": "Change"})

    if report.incomplete:
        waiting = table(
            "Who has not finished",
            [("Participant", "left"), ("Name", "left"), ("Role", "left"), ("Passed", "right"),
             ("Missing", "left")],
        )  # fmt: skip
        for i in report.incomplete:
            passed = f"{i.passed} of {i.required}" if i.required is not None else str(i.passed)
            waiting.add_row(
                cell(i.participant_id),
                cell(i.name),
                cell(i.role or "-"),
                cell(passed),
                cell("; ".join(i.missing) or "-"),
            )
        console.print(waiting)
    if report.flagged:
        worth = table(
            "Attempts worth a look", [("Participant", "left"), ("Name", "left"), ("Why", "left")]
        )
        for item in report.flagged:
            worth.add_row(cell(item.participant_id), cell(item.name), cell(item.message))
        console.print(worth)


def _survey(report: CohortReport, console: Console) -> None:
    from rich.text import Text

    make_cell, make_table = cell, table
    if not report.questions:
        return
    survey = make_table(
        "Survey by stage and role",
        [("Stage", "left"), ("Question", "left"), ("Role", "left"), ("Answered", "right"),
         ("1-2-3-4-5", "left"), ("Mean", "right")],
    )  # fmt: skip
    for q in report.questions:
        for a in q.by_role:
            spread = "-".join(str(n) for n in a.distribution) if a.distribution else "free text"
            survey.add_row(
                make_cell(q.stage),
                make_cell(q.question_id),
                make_cell(a.role),
                make_cell(a.answered),
                make_cell(spread),
                make_cell(a.mean),
            )
    console.print(survey)
    if report.free_text_included:
        for q in report.questions:
            texts = q.by_role[0].texts
            if texts:
                console.print(Text(f"{q.stage} / {q.question_id}:", style="bold"))
                for text in texts:
                    console.print(make_cell(f"  - {text}"))
    if report.changes:
        changes = make_table(
            "Changes between stages (the same participants)",
            [("Question", "left"), ("Stages", "left"), ("Role", "left"), ("Pairs", "right"),
             ("Change", "right"), ("Up/same/down", "right")],
        )  # fmt: skip
        for c in report.changes:
            changes.add_row(
                make_cell(c.question_id),
                make_cell(f"{c.from_stage} to {c.to_stage}"),
                make_cell(c.role),
                make_cell(c.pairs),
                make_cell(None if c.mean_change is None else f"{c.mean_change:+.1f}"),
                make_cell(f"{c.up}/{c.same}/{c.down}"),
            )
        console.print(changes)


@click.command()
@db_option
@programme_option
@since_option
@library_option
@click.option(
    "--include-free-text",
    is_flag=True,
    help="Show free-text survey answers (counted, but left out by default).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead.")
@click.option(
    "--html",
    "html_file",
    metavar="FILE",
    help="Write a self-contained HTML page with charts to FILE (and print one line).",
)
@click.option(
    "--top",
    default=3,
    show_default=True,
    type=click.IntRange(1, 100),
    help="How many poor choices to list per scenario.",
)
def report(
    db_url: str | None,
    programme: str | None,
    since: str | None,
    until: str | None,
    library: str | None,
    include_free_text: bool,
    as_json: bool,
    html_file: str | None,
    top: int,
) -> None:
    """The cohort from onboarding to close-out: who is where, each scenario, the ground rules,
    the survey by stage and role, and who has not finished."""
    from mentorquest.records.report import build_report
    from mentorquest.textsafe import json_text

    if as_json and html_file:
        raise UsageError("give --json or --html FILE, not both")
    scope = scope_of(programme, since, until)
    programmes = programmes_of(library)
    with existing_store(db_url) as store:
        check_programme(store, programme, programmes)
        data = build_report(
            store, programmes, scope=scope, include_free_text=include_free_text, top=top
        )
    if as_json:
        click.echo(json_text(json.dumps(data.to_data(), ensure_ascii=False, indent=2)))
        return
    if html_file:
        from mentorquest.outfiles import write_text
        from mentorquest.records.report_html import render_html

        target = Path(html_file)
        write_text(target, render_html(data), example="cohort.html")
        totals = data.totals
        click.echo(
            f"Wrote the cohort report to {target} ({totals.participants} participants, "
            f"{totals.completed} completed)."
        )
        return
    render_terminal(data, stdout_console())
    sys.stdout.flush()
