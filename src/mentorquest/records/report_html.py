"""The cohort report as one self-contained HTML page with inline SVG charts (no scripts,
no external files), safe to email: every value from the store is HTML-escaped."""

from __future__ import annotations

from html import escape as _escape

from mentorquest.records.report import CohortReport
from mentorquest.textsafe import label


def escape(value: object) -> str:
    """A value from the store as page text: made safe (`textsafe.label`), then HTML-escaped."""
    return _escape(label(str(value)))


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eee}
td.n{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#555}
svg text{font-size:12px;fill:#1b1b1b}
"""


def _bars(items: list[tuple[str, int]], maximum: int = 100, unit: str = "%") -> str:
    """A horizontal bar chart: label, bar, value."""
    height = 24 * len(items) + 8
    rows = []
    for i, (name, value) in enumerate(items):
        y = 8 + 24 * i
        width = 0 if maximum <= 0 else round(360 * value / maximum)
        rows.append(
            f'<text x="0" y="{y + 13}">{escape(name[:40])}</text>'
            f'<rect x="250" y="{y}" width="{width}" height="16" fill="#2f6fae"><title>{escape(name)}: {value}{unit}</title></rect>'
            f'<text x="{255 + width}" y="{y + 13}">{value}{unit}</text>'
        )
    return (
        f'<svg role="img" xmlns="http://www.w3.org/2000/svg" width="680" height="{height}" '
        f'viewBox="0 0 680 {height}">{"".join(rows)}</svg>'
    )


def render_html(report: CohortReport) -> str:
    title = ", ".join(report.programme_titles) or "mentorquest"
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Cohort report: {escape(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Cohort report: {escape(title)}</h1>",
        f'<p class="muted">{report.participants} participants, {report.completed} completed, '
        f"{report.attempts} attempts.</p>",
        "<h2>Completion by role</h2>",
        _bars([(f"{r.role} ({r.completed}/{r.participants})", r.percent) for r in report.roles]),
        "<h2>Average per ground rule</h2>",
        _bars([(r.name, r.average_percent) for r in report.rules]),
        "<h2>Ground rules most often missed</h2>",
    ]
    missed = report.most_missed
    if missed:
        top = max(r.attempts_missed for r in missed)
        parts.append(_bars([(r.name, r.attempts_missed) for r in missed], maximum=top, unit=""))
        parts.append('<p class="muted">Attempts that scored below the rule\'s best.</p>')
    else:
        parts.append("<p>None yet.</p>")
    parts.append("<h2>Poor choices most often taken</h2>")
    if report.poor_choices:
        parts.append("<table><tr><th>Scenario</th><th>Scene</th><th>Choice</th><th>Times</th></tr>")
        for p in report.poor_choices:
            flag = f" (serious breach of {escape(p.critical)})" if p.critical else ""
            parts.append(
                f"<tr><td>{escape(p.scenario_title)}</td><td>{escape(p.scene)}</td>"
                f'<td>{escape(p.text)}{flag}</td><td class="n">{p.times}</td></tr>'
            )
        parts.append("</table>")
    else:
        parts.append("<p>None yet.</p>")
    parts.append("<h2>Attempts worth a look</h2>")
    if report.flagged:
        parts.append("<table><tr><th>Participant</th><th>Name</th><th>Why</th></tr>")
        for item in report.flagged:
            parts.append(
                f"<tr><td>{escape(item.participant_id)}</td><td>{escape(item.name)}</td>"
                f"<td>{escape(item.message)}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
