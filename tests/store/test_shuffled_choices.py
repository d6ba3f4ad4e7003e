"""The players show each attempt's choices in an order of its own (issue 12, part 1).

The seed is saved with the attempt: a number typed means what was displayed, a resumed
attempt shows the same order, and `walk` keeps the file's order.
"""

from __future__ import annotations

import json
import re

from mentorquest.engine import Engine
from mentorquest.engine.state import AttemptState
from mentorquest.language.loader import open_library
from mentorquest.store import open_store
from tests.store.helpers import play_plain, run_cli

SURVEY = ["p-1", "Ada Lovelace", "", "1", "4", ""]  # identity, role mentor, survey before


def _shown(out: str, last: bool = False) -> list[str]:
    """The choice texts of the first (or last) scene shown, in the order displayed."""
    blocks = re.findall(r"((?:  \d\. .+\n)+)Your choice", out)
    block = blocks[-1] if last else blocks[0]
    return [line.split(". ", 1)[1] for line in block.splitlines()]


def _saved(url: str) -> AttemptState:
    with open_store(url) as store:
        text = store.autosaved("p-1", "pilot", "one")
    assert text is not None
    return AttemptState.from_json(text)


def test_a_typed_number_chooses_what_was_displayed(library_dir, sqlite_url):
    code, out = play_plain(library_dir, sqlite_url, [*SURVEY, "2"])
    assert code == 0
    shown = _shown(out)
    state = _saved(sqlite_url)
    assert state.seed is not None
    by_text = {c.text: c.id for c in open_library(library_dir).scenarios["one"].scenes["a"].choices}
    # The second line displayed is the choice recorded, whatever the file's order.
    assert [(step.scene, step.choice) for step in state.path] == [("a", by_text[shown[1]])]
    # And the order displayed is the one the saved seed gives.
    replayed = Engine(open_library(library_dir)).start("one", seed=state.seed)
    assert [c.text for c in replayed.choices()] == shown


def test_a_resumed_attempt_shows_the_same_order(library_dir, sqlite_url):
    play_plain(library_dir, sqlite_url, SURVEY)  # the first scene is shown, then input ends
    first = _shown(play_plain(library_dir, sqlite_url, ["1"])[1], last=True)
    again = _shown(play_plain(library_dir, sqlite_url, ["1"])[1], last=True)
    assert first == again
    assert len(first) == 3


def test_attempts_get_orders_of_their_own(library_dir, tmp_path):
    # Twelve separate attempts at a three-choice scene: with a seed per attempt, the chance
    # that all show one order is (1/6)^11, so this fails only if nothing is shuffled.
    orders = set()
    for n in range(12):
        url = f"sqlite:///{tmp_path / f'store-{n}.db'}"
        code, out = play_plain(library_dir, url, SURVEY)
        assert code == 0
        orders.add(tuple(_shown(out)))
    assert len(orders) > 1


def test_walk_keeps_the_files_order_and_says_so(library_dir):
    done = run_cli("walk", "--library", str(library_dir), "--json", "one", "1", "1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["path"] == [["a", "good"], ["b", "keep"]]
    helped = run_cli("walk", "--help")
    assert "file's written order" in helped.stdout and "never" in helped.stdout
