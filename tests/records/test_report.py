"""The cohort report: data, terminal and HTML."""

from __future__ import annotations

from mentorquest.records.report import build_report
from mentorquest.store import open_store
from tests.store.helpers import run_cli


def test_report_data_counts_completion_by_role_and_poor_choices(cohort):
    with open_store(cohort) as store:
        report = build_report(store)
    assert {(r.role, r.participants, r.completed) for r in report.roles} == {
        ("mentor", 2, 1),
        ("mentee", 1, 1),
    }
    assert report.completed == 2
    poor = {(p.scenario_id, p.scene, p.choice): p.times for p in report.poor_choices}
    assert poor[("one", "a", "okay")] == 1
    assert ("one", "a", "bad") not in poor  # q-3 chose it but has not finished
    listening = next(r for r in report.rules if r.rule == "listening")
    assert listening.attempts_missed == 1


def test_report_prints_and_writes_a_self_contained_html_page(cohort, tmp_path):
    page = tmp_path / "report.html"
    result = run_cli("report", "--db", cohort, "--html", str(page), env={"COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    assert (
        "Completion by role" in result.stdout and "Poor choices most often taken" in result.stdout
    )
    html = page.read_text()
    assert html.startswith("<!doctype html>") and "<svg" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "=HYPERLINK" not in html or "&quot;" in html
