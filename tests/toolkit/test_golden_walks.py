"""The bundled library's golden walks: `scenarios/*.test.yaml`, run by `mentorquest test`.

Every bundled scenario keeps a best, a mixed and a worst walk beside it; the best passes
with full marks, the worst fails, the mixed one lies between; and a walk that no longer
gives what it says fails the run.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from mentorquest.bundled import library_path
from mentorquest.language import open_library
from tests.toolkit.helpers import mq, no_traceback

KEPT = sorted(library_path().glob("*.test.yaml"))


def test_every_bundled_scenario_keeps_its_golden_walks():
    scenarios = set(open_library(library_path()).scenarios)
    assert {p.name.removesuffix(".test.yaml") for p in KEPT} == scenarios


@pytest.mark.parametrize("path", KEPT, ids=lambda p: p.name.removesuffix(".test.yaml"))
def test_best_passes_with_full_marks_worst_fails_and_mixed_lies_between(path):
    cases = {c["name"]: c["expect"] for c in yaml.safe_load(path.read_text("utf-8"))["cases"]}
    assert cases["best"]["percent"] == 100 and cases["best"]["passed"]
    assert not cases["worst"]["passed"]
    assert cases["worst"]["percent"] < cases["mixed"]["percent"] < 100


def test_the_bundled_golden_walks_pass():
    ran = mq("test", library_path())
    assert ran.code == 0, ran.out
    assert ran.out.splitlines()[-1] == f"{3 * len(KEPT)} passed, 0 failed"


def test_a_golden_walk_that_no_longer_holds_fails_the_run(tmp_path):
    library = tmp_path / "scenarios"
    shutil.copytree(library_path(), library)
    one = sorted(library.glob("*.test.yaml"))[0]
    one.write_text(
        one.read_text(encoding="utf-8").replace("percent: 100", "percent: 99", 1), encoding="utf-8"
    )
    ran = mq("test", library)
    no_traceback(ran)
    assert ran.code == 1
    assert "expected percent 99, got 100" in ran.out
