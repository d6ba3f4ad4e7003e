"""Property test: random valid scenarios never crash the engine, and scores stay in bounds."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorquest.engine import Engine
from mentorquest.errors import LibraryError
from mentorquest.language import load_library
from tests.helpers import PROGRAMME, write_library

RULES = ["confidentiality", "no-fault", "listening"]
CONDITIONS = [
    "trust >= {n}",
    "trust < {n}",
    "visited(s{s})",
    "score(listening) >= {k}",
    "not visited(s{s}) or trust > {n}",
]


@st.composite
def scenarios(draw):
    count = draw(st.integers(min_value=2, max_value=9))
    endings = draw(st.integers(min_value=1, max_value=3))
    lines = [
        "format: 1",
        "id: random",
        "title: Random",
        "roles: [mentor]",
        "variables:",
        f"  trust: {draw(st.integers(0, 100))}",
        "start: s0",
        "scenes:",
    ]
    for i in range(count):
        lines.append(f"  s{i}:")
        lines.append(f"    text: Scene {i}.")
        if i >= count - endings:
            lines.append(f"    ending: {['strong', 'mixed', 'poor'][(count - 1 - i) % 3]}")
            continue
        choices = draw(st.integers(min_value=1, max_value=3))
        lines.append("    choices:")
        for c in range(choices):
            target = draw(st.integers(min_value=0, max_value=count - 1))
            lines.append(f"      - id: c{c}")
            lines.append(f"        text: Choice {c}")
            lines.append(f"        goto: s{target}")
            lines.append("        feedback: Because.")
            if c > 0 and draw(st.booleans()):
                template = draw(st.sampled_from(CONDITIONS))
                lines.append(
                    "        if: "
                    + template.format(
                        n=draw(st.integers(0, 100)),
                        s=draw(st.integers(0, count - 1)),
                        k=draw(st.integers(-3, 6)),
                    )
                )
            if draw(st.booleans()):
                lines.append(f"        add: {{trust: {draw(st.integers(-40, 40))}}}")
            scores = {
                r: draw(st.integers(-3, 3))
                for r in draw(st.lists(st.sampled_from(RULES), max_size=2, unique=True))
            }
            if scores:
                lines.append(
                    "        scores: {" + ", ".join(f"{k}: {v}" for k, v in scores.items()) + "}"
                )
            if draw(st.integers(0, 9)) == 0:
                lines.append("        critical: confidentiality")
    return "\n".join(lines) + "\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_random_scenarios_play_within_bounds(text, seed):
    with tempfile.TemporaryDirectory() as folder:
        root = write_library(Path(folder), {"random": text}, PROGRAMME.split("required:")[0])
        result = load_library(root)
        if not result.ok:
            # Only whole-library problems (e.g. no strong ending is a warning, not an error) are expected:
            # scenarios whose best path earns nothing or that cannot end are validation errors.
            assert all(
                "cannot be scored" in d.message
                or "no ending can be reached" in d.message
                or "no choices and is not an ending" in d.message
                or "so no attempt can pass" in d.message
                for d in result.errors
            ), result.errors
            return
        engine = Engine(result.library)
        try:
            analysis = engine.analysis("random")
        except LibraryError as error:
            # What validation refuses, the engine refuses to play, with the same message.
            assert any(
                reason in str(error)
                for reason in (
                    "cannot be scored",
                    "no ending can be reached",
                    "so no attempt can pass",
                )
            )
            return
        if analysis.best_total <= 0 or analysis.diagnostics:
            return
        rng = random.Random(seed)
        attempt = engine.start("random")
        for _ in range(60):
            offered = attempt.choices()
            if attempt.finished or not offered:
                break
            attempt.choose(rng.choice(offered).number)
        result_ = attempt.result()
        assert 0 <= result_.percent <= 100
        if attempt.finished:
            for score in result_.scores:
                assert score.earned <= score.best, (score, text)
            # The best path takes no critical choice: only a breach may earn more than it.
            assert result_.earned_total <= result_.best_total or result_.critical
            attempt.debrief()
