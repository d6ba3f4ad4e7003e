"""The cohort report: data, JSON, terminal and HTML (checked in a real headless Chromium)."""

from __future__ import annotations

import json

import pytest

from mentorquest.language.loader import open_library
from mentorquest.records.outgoing import Scope
from mentorquest.records.report import COLUMNS, build_report
from mentorquest.records.standing import Programmes
from mentorquest.store import open_store
from tests.store.helpers import play_plain, run_cli


def checkin(library_dir, url, stage, participant, *answers):
    import io

    from mentorquest.players.checkin import run_checkin_plain
    from mentorquest.players.config import PlayConfig

    config = PlayConfig(library=library_dir, db_url=url, participant=participant)
    lines = io.StringIO("".join(f"{a}\n" for a in answers))
    assert run_checkin_plain(config, stage, lines, io.StringIO()) == 0


@pytest.fixture
def evaluated(cohort, library_dir):
    """The cohort, with Ada and Mo through the midpoint and close-out check-ins."""
    checkin(library_dir, cohort, "midpoint", "p-1", "5", "Monthly calls")
    checkin(library_dir, cohort, "closeout", "p-1", "5", "To ask before assuming")
    checkin(library_dir, cohort, "closeout", "m-2", "2", "To say what I need")
    return cohort


def report_of(url, library_dir, **options):
    with open_store(url) as store:
        return build_report(store, Programmes([open_library(library_dir)]), **options)


def test_report_counts_who_is_where_by_role(cohort, library_dir):
    report = report_of(cohort, library_dir)
    roles = {
        r.role: (r.participants, r.completed, r.in_progress, r.not_started) for r in report.roles
    }
    assert roles == {"mentor": (2, 1, 1, 0), "mentee": (1, 1, 0, 0)}
    assert report.programmes == [("pilot", "Pilot programme")]


def test_report_gives_attempts_pass_rate_and_median_time_per_scenario(tmp_path, library_dir):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    # Fay fails scenario one (a serious breach), then passes it; Gil passes at once.
    play_plain(library_dir, url, ["f-1", "Fay", "", "2", "2", "", "bad", "share"])
    play_plain(library_dir, url, ["good", "keep", "Listening"], "--participant", "f-1")
    play_plain(library_dir, url, ["g-1", "Gil", "", "2", "4", "", "okay", "keep", "x"])
    report = report_of(url, library_dir)
    [one] = [s for s in report.scenarios if s.scenario_id == "one"]
    assert (one.attempts, one.passed, one.pass_rate) == (3, 2, 67)
    assert (one.participants, one.participants_passed, one.in_progress) == (2, 2, 0)
    assert one.median_minutes is not None and one.median_minutes >= 0
    assert [(p.scene, p.choice, p.times) for p in one.poor_choices][:1] == [("a", "bad", 1)]


def test_rules_say_both_averages_and_misses_over_every_attempt(tmp_path, library_dir):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    play_plain(library_dir, url, ["f-1", "Fay", "", "2", "2", "", "okay", "keep", "x"])
    play_plain(library_dir, url, ["h-1", "Hal", "", "2", "2", "", "good", "keep", "y"])
    listening = next(r for r in report_of(url, library_dir).rules if r.rule == "listening")
    # Fay's record: 1 of 2; Hal's 2 of 2: records average 75%; the same two attempts.
    assert (listening.records_average_percent, listening.records) == (75, 2)
    assert (listening.attempts_scored, listening.attempts_missed) == (2, 1)


def test_the_survey_is_shown_by_stage_and_role_with_changes_between_stages(evaluated, library_dir):
    report = report_of(evaluated, library_dir)
    stages = [(q.stage, q.question_id) for q in report.questions]
    assert stages == [
        ("before", "confidence"),
        ("before", "experience"),
        ("after", "most-useful"),
        ("midpoint", "confidence"),
        ("midpoint", "going-well"),
        ("closeout", "confidence"),
        ("closeout", "learnt"),
    ]
    before = report.questions[0]
    everyone = before.by_role[0]
    assert (everyone.role, everyone.answered, everyone.distribution, everyone.mean) == (
        "all",
        3,
        (0, 0, 2, 1, 0),
        3.3,
    )
    assert {a.role: a.answered for a in before.by_role} == {"all": 3, "mentee": 1, "mentor": 2}
    closeout = {(c.from_stage, c.to_stage, c.role): c for c in report.changes}
    change = closeout[("before", "closeout", "all")]
    # Ada 4 -> 5, Mo 3 -> 2: one up, one down, no change on average.
    assert (change.pairs, change.mean_change, change.up, change.same, change.down) == (
        2,
        0.0,
        1,
        0,
        1,
    )
    assert closeout[("before", "closeout", "mentee")].mean_change == -1.0
    assert closeout[("before", "midpoint", "mentor")].mean_change == 1.0


def test_free_text_is_counted_but_shown_only_when_asked(evaluated, library_dir):
    quiet = report_of(evaluated, library_dir)
    learnt = next(q for q in quiet.questions if q.question_id == "learnt")
    assert learnt.by_role[0].answered == 2 and learnt.by_role[0].texts is None
    assert "To ask before assuming" not in json.dumps(quiet.to_data())
    told = report_of(evaluated, library_dir, include_free_text=True)
    learnt = next(q for q in told.questions if q.question_id == "learnt")
    assert learnt.by_role[0].texts == ("To ask before assuming", "To say what I need")


def test_incomplete_participants_say_what_each_is_missing(cohort, library_dir):
    [quinn] = report_of(cohort, library_dir).incomplete
    assert (quinn.participant_id, quinn.status, quinn.passed, quinn.required) == (
        "q-3",
        "in progress",
        0,
        2,
    )
    assert quinn.missing == (
        "scenario 'one' in progress",
        "scenario 'two' not started",
        "survey question 'most-useful' (after) not answered",
    )


def test_a_date_range_limits_the_report_and_says_so(cohort, library_dir):
    empty = report_of(cohort, library_dir, scope=Scope(since="2999-01-01T00:00:00"))
    assert empty.totals.participants == 0 and empty.scenarios == []
    assert empty.since == "2999-01-01T00:00:00"
    whole = report_of(cohort, library_dir, scope=Scope(until="2999-01-01T00:00:00"))
    assert whole.totals.participants == 3


def test_who_has_not_finished_is_everyone_whatever_the_dates(cohort, library_dir):
    from mentorquest.store import Profile

    with open_store(cohort) as store:
        store.save_profile(Profile("n-4", "Noor", "mentee", None))  # registered, nothing done
    for scope in (Scope(), Scope(since="2999-01-01T00:00:00"), Scope(until="2000-01-01T00:00:00")):
        report = report_of(cohort, library_dir, scope=scope)
        assert [(i.participant_id, i.status) for i in report.incomplete] == [
            ("n-4", "not started"),
            ("q-3", "in progress"),  # she stopped before the range: still not finished
        ], scope
    # What is counted is limited by the dates.
    assert report_of(cohort, library_dir, scope=Scope(since="2999-01-01T00:00:00")).scenarios == []


@pytest.mark.parametrize(
    ("since", "until", "period"),
    [
        (None, None, "all dates"),
        ("2026-03-01", "2026-03-31", "from 2026-03-01 to 2026-03-31 included (UTC)"),
        ("2026-03-01", None, "from 2026-03-01 on (UTC)"),
        (None, "2026-03-31", "up to 2026-03-31 included (UTC)"),
        (
            "2026-03-01T09:00",
            "2026-03-02T17:30",
            "from 2026-03-01 09:00:00 to before 2026-03-02 17:30:00 (UTC)",
        ),
    ],
)
def test_the_report_says_which_days_it_covers_as_they_were_given(cohort, since, until, period):
    dates = [*(["--since", since] if since else []), *(["--until", until] if until else [])]
    result = run_cli("report", "--db", cohort, *dates, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    assert f"; covering {period}." in result.stdout


def test_report_json_is_one_object_with_the_documented_keys(evaluated, library_dir):
    result = run_cli("report", "--db", evaluated, "--library", str(library_dir), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["participants", "scenarios", "rules", "survey", "incomplete"]
    assert data["participants"]["total"] == 3 and data["participants"]["since"] is None
    assert data["participants"]["generated_at"].endswith("Z")
    assert {s["scenario_id"] for s in data["scenarios"]} == {"one", "two"}
    assert data["survey"]["free_text_included"] is False
    assert {c["to_stage"] for c in data["survey"]["changes"]} == {"midpoint", "closeout"}
    assert data["incomplete"][0]["participant_id"] == "q-3"
    ranged = run_cli(
        "report", "--db", evaluated, "--json", "--since", "2000-01-01", "--until", "2999-12-31"
    )
    assert json.loads(ranged.stdout)["participants"]["until"] == "3000-01-01T00:00:00Z"


def test_every_column_is_explained_in_the_docs():
    docs = (__import__("pathlib").Path(__file__).parents[2] / "docs" / "records.md").read_text(
        encoding="utf-8"
    )
    for section, columns in COLUMNS.items():
        assert f"`{section}`" in docs
        for name in columns:
            assert f"`{name}`" in docs, (section, name)


def test_the_terminal_report_explains_its_columns(evaluated, library_dir):
    result = run_cli(
        "report", "--db", evaluated, "--library", str(library_dir), env={"COLUMNS": "140"}
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in ("Who is where", "Scenarios", "Ground rules", "Survey by stage and role",
                    "Changes between stages", "Who has not finished"):  # fmt: skip
        assert heading in out
    assert "Pass rate: passed ÷ attempts" in out
    assert "covering all dates" in out
    assert "To ask before assuming" not in out


def test_report_html_writes_the_file_and_prints_one_line(evaluated, library_dir, tmp_path):
    page = tmp_path / "report.html"
    result = run_cli(
        "report", "--db", evaluated, "--library", str(library_dir), "--html", str(page)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"Wrote the cohort report to {page} (3 participants, 2 completed)."
    ]
    html = page.read_text()
    assert html.startswith("<!doctype html>") and "<main>" in html and "<svg" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "=HYPERLINK" not in html or "&quot;" in html
    assert html.count('role="img"') == html.count("<svg")


@pytest.mark.parametrize("width", [390, 1280])
def test_the_html_report_passes_axe_and_reads_at_a_phones_width(
    evaluated, library_dir, tmp_path, width
):
    from tests.browser import Browser, axe_source, axe_violations

    axe = axe_source()
    page = tmp_path / "report.html"
    result = run_cli(
        "report", "--db", evaluated, "--library", str(library_dir), "--html", str(page),
        "--include-free-text",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with Browser() as browser:
        browser.open(page, width=width)
        layout = browser.evaluate(
            "({scroll: document.documentElement.scrollWidth,"
            " client: document.documentElement.clientWidth,"
            " main: document.querySelectorAll('main').length,"
            " charts: document.querySelectorAll('svg').length,"
            " named: [...document.querySelectorAll('svg')].filter(s => s.getAttribute('role')"
            " === 'img' && s.getAttribute('aria-labelledby')).length})"
        )
        violations = axe_violations(browser, axe)
    assert layout["main"] == 1
    assert layout["charts"] > 0 and layout["named"] == layout["charts"]
    assert layout["scroll"] <= layout["client"], layout  # no sideways scrolling
    if width < 600:
        assert layout["client"] == width, layout  # laid out for the phone, not zoomed out
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_an_average_percent_is_rounded_once_after_averaging():
    from mentorquest.records.report import _Builder
    from mentorquest.records.standing import Programmes

    builder = _Builder(Programmes(), include_free_text=False, top=3)
    builder._rule("listening", 2, 3)  # 66.67%
    builder._rule("listening", 0, 3)  # 0%
    [rule] = builder.report("2026-01-01T00:00:00Z", Scope()).rules
    # (2/3 + 0) / 2 = 33.3%: 33. Rounding each first gives (67 + 0) / 2 = 33.5: 34.
    assert rule.attempts_average_percent == 33
    assert (rule.attempts_scored, rule.attempts_missed) == (2, 2)
