"""The cohort report as one self-contained HTML page (no scripts, no external files), safe
to email: every value from the store is made safe (`textsafe.label`) and HTML-escaped.

Accessible by construction: one `<main>` with headings in order; every chart is a figure
whose SVG has a text alternative (`role="img"`, labelled by its caption) and is followed
by a table of the same figures; every table has a caption and column headers, and the
meaning of each column is written under it (`report.COLUMNS`). The layout reflows to a
phone's width: charts scale, tables wrap their cells, nothing needs sideways scrolling
at 390 CSS pixels. A test loads it in headless Chromium and runs axe-core on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape as _escape

from mentorquest.records.report import COLUMNS, CohortReport, Question
from mentorquest.textsafe import label


def escape(value: object) -> str:
    """A value from the store as page text: made safe (`textsafe.label`), then HTML-escaped."""
    return _escape(label(str(value)))


_STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fff;line-height:1.45}
main{max-width:62rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #8a8a8a}
h3{font-size:1.05rem;margin-top:1.5rem}
p,li,dd,dt,td,th,caption{overflow-wrap:break-word}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
td,th{text-align:left;vertical-align:top;padding:.3rem .4rem;border-bottom:1px solid #d0d0d0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#4a4a4a}
figure{margin:.75rem 0}figcaption{font-weight:600}
svg{display:block;width:100%;max-width:36rem;height:auto}
svg text{font-size:13px;fill:#1b1b1b}
dl.columns{font-size:.9rem;color:#333;margin:.25rem 0 1rem}
dl.columns dt{font-weight:600;display:inline}dl.columns dt::after{content:": "}
dl.columns dd{display:inline;margin:0}dl.columns dd::after{content:"";display:block;margin-bottom:.2rem}
/* A phone's width: each row of a table becomes a block, each cell labelled by its column. */
@media (max-width:40rem){
table,thead,tbody,tr,th,td,caption{display:block;width:100%}
thead tr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
tr{border-bottom:1px solid #8a8a8a;padding:.35rem 0}
td,th{border:0;padding:.1rem 0}td.n,th.n{text-align:left}
td::before{content:attr(data-label) ": ";font-weight:600}
}
"""


class Page:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.figures = 0

    def add(self, html: str) -> None:
        self.parts.append(html)

    def columns(self, section: str, names: Iterable[str], headings: dict[str, str]) -> None:
        """What each column of a table means, under it."""
        items = "".join(
            f"<dt>{escape(headings.get(name, name))}</dt><dd>{escape(COLUMNS[section][name])}</dd>"
            for name in names
        )
        self.add(f'<dl class="columns">{items}</dl>')

    def table(
        self,
        caption: str,
        headings: Sequence[tuple[str, bool]],  # (heading, numeric)
        rows: Iterable[Sequence[object]],
    ) -> None:
        numeric_class = ' class="n"'
        head = "".join(
            f'<th scope="col"{numeric_class if numeric else ""}>{escape(h)}</th>'
            for h, numeric in headings
        )
        body = []
        for row in rows:
            cells = []
            for index, (value, (heading, numeric)) in enumerate(zip(row, headings, strict=True)):
                text = "-" if value is None else value
                if index == 0:
                    cells.append(f'<th scope="row">{escape(text)}</th>')
                else:
                    kind = ' class="n"' if numeric else ""
                    cells.append(f'<td{kind} data-label="{escape(heading)}">{escape(text)}</td>')
            body.append("<tr>" + "".join(cells) + "</tr>")
        self.add(
            f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>"
        )

    def bars(self, caption: str, items: list[tuple[str, int | None]], unit: str = "%") -> None:
        """A horizontal bar chart as a figure: the SVG is labelled by its caption, and the
        same figures follow in a table (its text alternative, for every reader)."""
        self.figures += 1
        ident = f"figure-{self.figures}"
        height = 24 * len(items) + 8
        top = max([v for _, v in items if v is not None] + [1]) if unit != "%" else 100
        rows = []
        for i, (name, value) in enumerate(items):
            y = 8 + 24 * i
            width = 0 if not value or top <= 0 else round(170 * value / top)
            shown = "none" if value is None else f"{value}{unit}"
            rows.append(
                f'<text x="0" y="{y + 13}">{escape(_short(name))}</text>'
                f'<rect x="170" y="{y}" width="{width}" height="16" fill="#1f5f99"></rect>'
                f'<text x="{175 + width}" y="{y + 13}">{escape(shown)}</text>'
            )
        summary = "; ".join(
            f"{name}: {'none' if value is None else f'{value}{unit}'}" for name, value in items
        )
        self.add(
            f'<figure aria-labelledby="{ident}"><figcaption id="{ident}">{escape(caption)}</figcaption>'
            f'<svg role="img" aria-labelledby="{ident} {ident}-alt" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 400 {height}" width="400" height="{height}" focusable="false">'
            f'<title id="{ident}-alt">{escape(summary)}</title>{"".join(rows)}</svg></figure>'
        )


def _short(name: str, limit: int = 22) -> str:
    """A chart label that fits beside its bar (the table below gives it whole)."""
    return name if len(name) <= limit else name[: limit - 1] + "…"


def render_html(report: CohortReport) -> str:
    page = Page()
    title = report.title
    page.add("<!doctype html>")
    page.add('<html lang="en"><head><meta charset="utf-8">')
    page.add('<meta name="viewport" content="width=device-width, initial-scale=1">')
    page.add(f"<title>Cohort report: {escape(title)}</title><style>{_STYLE}</style></head><body>")
    page.add("<main>")
    page.add(f"<h1>Cohort report: {escape(title)}</h1>")
    range_text = _range(report)
    totals = report.totals
    page.add(
        f'<p class="muted">Made {escape(report.generated_at)}; covering {escape(range_text)}. '
        f"{totals.participants} participants: {totals.completed} completed, "
        f"{totals.in_progress} in progress, {totals.not_started} not started.</p>"
    )
    _participants(page, report)
    _scenarios(page, report)
    _rules(page, report)
    _survey(page, report)
    _incomplete(page, report)
    _flagged(page, report)
    page.add("</main></body></html>\n")
    return "\n".join(page.parts)


def _range(report: CohortReport) -> str:
    return report.period


def _participants(page: Page, report: CohortReport) -> None:
    page.add("<h2>Who is where</h2>")
    page.bars(
        "Completion by role (percent completed)",
        [
            (f"{r.role} ({r.completed} of {r.participants})", r.percent_completed)
            for r in report.roles
        ],
    )
    headings = {
        "participants": "Participants",
        "completed": "Completed",
        "in_progress": "In progress",
        "not_started": "Not started",
        "percent_completed": "% completed",
    }
    page.table(
        "Participants by role",
        [("Role", False), *[(h, True) for h in headings.values()]],
        [
            (r.role, r.participants, r.completed, r.in_progress, r.not_started, r.percent_completed)
            for r in [*report.roles, report.totals]
        ],
    )
    page.columns("participants", headings, headings)


def _scenarios(page: Page, report: CohortReport) -> None:
    page.add("<h2>Scenarios</h2>")
    if not report.scenarios:
        page.add("<p>No attempts yet.</p>")
        return
    page.bars("Pass rate per scenario", [(s.title, s.pass_rate) for s in report.scenarios])
    headings = {
        "attempts": "Attempts",
        "passed": "Passed",
        "pass_rate": "Pass rate %",
        "participants": "Participants",
        "participants_passed": "Have passed",
        "median_minutes": "Median minutes",
        "in_progress": "In progress",
    }
    page.table(
        "Attempts, pass rate and time per scenario",
        [("Scenario", False), *[(h, True) for h in headings.values()]],
        [
            (
                s.title,
                s.attempts,
                s.passed,
                s.pass_rate,
                s.participants,
                s.participants_passed,
                s.median_minutes,
                s.in_progress,
            )
            for s in report.scenarios
        ],
    )
    page.columns("scenarios", headings, headings)
    poor = report.poor_choices(10)
    page.add("<h3>Poor choices most often taken</h3>")
    if poor:
        page.table(
            "Choices that were not the best available, most often first",
            [("Scenario", False), ("Scene", False), ("Choice", False), ("Times", True)],
            [
                (
                    s.title,
                    p.scene,
                    p.text + (f" (serious breach of {p.critical})" if p.critical else ""),
                    p.times,
                )
                for s, p in poor
            ],
        )
    else:
        page.add("<p>None yet.</p>")


def _rules(page: Page, report: CohortReport) -> None:
    page.add("<h2>Ground rules</h2>")
    if not report.rules:
        page.add("<p>No scores yet.</p>")
        return
    page.bars(
        "Average per ground rule over every attempt (percent of the best)",
        [(r.name, r.attempts_average_percent) for r in report.rules],
    )
    headings = {
        "records_average_percent": "Records average %",
        "attempts_average_percent": "Attempts average %",
        "attempts_scored": "Attempts scored",
        "attempts_missed": "Attempts missed",
    }
    page.table(
        "Ground rules: completion records and every attempt",
        [("Ground rule", False), *[(h, True) for h in headings.values()]],
        [
            (
                r.name,
                r.records_average_percent,
                r.attempts_average_percent,
                r.attempts_scored,
                r.attempts_missed,
            )
            for r in report.rules
        ],
    )
    page.columns("rules", headings, headings)


def _survey(page: Page, report: CohortReport) -> None:
    page.add("<h2>Survey, from onboarding to close-out</h2>")
    if not report.questions:
        page.add("<p>No survey questions or answers.</p>")
        return
    stage_names = {
        "before": "Before onboarding",
        "after": "After onboarding",
        "midpoint": "Midpoint check-in",
        "closeout": "Close-out check-in",
    }
    current = None
    for q in report.questions:
        if q.stage != current:
            current = q.stage
            page.add(f"<h3>{escape(stage_names.get(q.stage, q.stage))}</h3>")
        _question(page, q, report.free_text_included)
    headings = {
        "answered": "Answered",
        "distribution": "1 to 5",
        "mean": "Mean",
        "texts": "Free text",
    }
    page.columns("survey", ["answered", "distribution", "mean", "texts"], headings)
    if report.changes:
        page.add("<h3>Changes between stages</h3>")
        headings = {
            "pairs": "Pairs",
            "mean_change": "Mean change",
            "up_same_down": "Up / same / down",
        }
        page.table(
            "The same question at two stages, the same participants",
            [("Question", False), ("Stages", False), ("Role", False), ("Pairs", True),
             ("Mean change", True), ("Up / same / down", True)],
            [
                (
                    c.question_id,
                    f"{c.from_stage} to {c.to_stage}",
                    c.role,
                    c.pairs,
                    "none" if c.mean_change is None else f"{c.mean_change:+.1f}",
                    f"{c.up} / {c.same} / {c.down}",
                )
                for c in report.changes
            ],
        )  # fmt: skip
        page.columns("survey", ["pairs", "mean_change", "up_same_down"], headings)


def _question(page: Page, q: Question, free_text: bool) -> None:
    caption = f"{q.prompt} ({q.question_id}, {q.stage})"
    if q.kind == "scale":
        everyone = q.by_role[0]
        if everyone.distribution is not None and everyone.answered:
            page.bars(
                f"{q.prompt}: answers 1 to 5 (everyone)",
                [(f"answered {n}", c) for n, c in enumerate(everyone.distribution, start=1)],
                unit="",
            )
        page.table(
            caption,
            [("Role", False), ("Answered", True), ("1", True), ("2", True), ("3", True),
             ("4", True), ("5", True), ("Mean", True)],
            [
                (a.role, a.answered, *(a.distribution or (0, 0, 0, 0, 0)), a.mean)
                for a in q.by_role
            ],
        )  # fmt: skip
        return
    page.table(
        caption, [("Role", False), ("Answered", True)], [(a.role, a.answered) for a in q.by_role]
    )
    everyone = q.by_role[0]
    if free_text and everyone.texts:
        items = "".join(f"<li>{escape(t)}</li>" for t in everyone.texts)
        page.add(f"<ul>{items}</ul>")
    elif everyone.answered:
        page.add('<p class="muted">Free-text answers are counted; their text is shown only '
                 "with --include-free-text.</p>")  # fmt: skip


def _incomplete(page: Page, report: CohortReport) -> None:
    page.add("<h2>Who has not finished</h2>")
    if not report.incomplete:
        page.add("<p>Everyone has completed onboarding.</p>")
        return
    headings = {"passed": "Passed", "missing": "Missing", "last_active": "Last active"}
    page.table(
        "Participants without a completion record, and what each is missing",
        [("Participant", False), ("Name", False), ("Role", False), ("Passed", True),
         ("Missing", False), ("Last active", False)],
        [
            (
                i.participant_id,
                i.name,
                i.role or "-",
                f"{i.passed} of {i.required}" if i.required is not None else f"{i.passed}",
                "; ".join(i.missing) or "-",
                (i.last_active or "-")[:16].replace("T", " "),
            )
            for i in report.incomplete
        ],
    )  # fmt: skip
    page.columns("incomplete", headings, headings)


def _flagged(page: Page, report: CohortReport) -> None:
    page.add("<h2>Attempts worth a look</h2>")
    if not report.flagged:
        page.add("<p>None.</p>")
        return
    page.table(
        "Attempts flagged by the plausibility checks (not failures)",
        [("Participant", False), ("Name", False), ("Why", False)],
        [(f.participant_id, f.name, f.message) for f in report.flagged],
    )
