"""The broken-library corpus: each folder names the exact line it expects, and a message fragment."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorquest.engine.validation import validate_library

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


def test_corpus_has_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES)
def test_broken_library_reports_expected_line(case):
    folder = CORPUS / case
    expected = (folder / "expected.txt").read_text(encoding="utf-8").strip()
    position, _, rest = expected.partition(": ")
    report = validate_library(folder, display_root="")
    matching = [str(d) for d in report.diagnostics if str(d.position) == position]
    assert any(rest in line[len(position) + 2 :] for line in matching), (
        f"expected {expected!r}\ngot:\n" + "\n".join(map(str, report.diagnostics))
    )
    is_warning_case = case.startswith("warning-")
    assert report.ok == is_warning_case
