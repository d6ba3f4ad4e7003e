"""A role the programme requires nothing of: no onboarding to complete, no record for it."""

from __future__ import annotations

from pathlib import Path

from mentorquest.store import open_store
from tests.helpers import write_library
from tests.store.helpers import play_plain

DATA = Path(__file__).resolve().parents[1] / "records" / "data"


def _library(tmp_path):
    root = write_library(tmp_path / "lib")
    programme = root / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    programme.write_text(text.replace("  mentor: [missed-sessions]\n", ""), encoding="utf-8")
    return root


def test_playing_nothing_signs_no_record(tmp_path):
    root = _library(tmp_path)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    code, out = play_plain(
        root, url, ["", ""], "--participant", "p-9", "--name", "Nobody", "--role", "mentor"
    )
    assert code == 0
    assert "requires no scenario of a mentor, so there is no onboarding to complete" in out
    assert "Onboarding complete" not in out and "saved and signed" not in out
    with open_store(url) as store:
        assert store.latest_record("p-9", "test-programme") is None


def test_a_record_of_no_scenario_is_refused(tmp_path):
    import dataclasses

    from mentorquest.engine.record import CompletionRecord
    from mentorquest.records.verification import inconsistencies

    record = CompletionRecord.from_json((DATA / "record-format-1.json").read_text("utf-8"))
    empty = dataclasses.replace(record, scenarios=(), rule_totals=(), badges=(), stars=0)
    empty = dataclasses.replace(empty, stars_possible=0)
    assert "it holds no scenario: a completion record is of scenarios passed" in (
        inconsistencies(empty)
    )
