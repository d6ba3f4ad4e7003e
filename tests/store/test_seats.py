"""One seat per participant: a journey is open in one player at a time, on any store."""

from __future__ import annotations

import pytest

from mentorquest.store import open_store
from mentorquest.store.store import SeatLost, SeatTaken
from tests.store.helpers import finished_attempt

HOST = "this-host (test)"


def test_a_second_player_is_refused_naming_where_and_since_when(any_url):
    with open_store(any_url) as store:
        store.take_seat("p-1", "pilot", host=HOST, pid=1)
        with pytest.raises(SeatTaken) as caught:
            store.take_seat("p-1", "pilot", host="other-host", pid=2)
    message = str(caught.value)
    assert message.startswith(f"this journey is already open in another player (on {HOST}, since ")
    assert message.endswith("UTC); close it there, or start with --take-over to take it over")


def test_other_participants_and_programmes_have_seats_of_their_own(any_url):
    with open_store(any_url) as store:
        store.take_seat("p-1", "pilot", host=HOST, pid=1)
        store.take_seat("p-2", "pilot", host=HOST, pid=1)
        store.take_seat("p-1", "other", host=HOST, pid=1)


def test_taking_over_leaves_the_first_player_unable_to_write(any_url, library):
    attempt = finished_attempt(library, "one", ["good", "keep"])
    with open_store(any_url) as store:
        first = store.take_seat("p-1", "pilot", host=HOST, pid=1)
        store.autosave("p-1", "pilot", attempt.state, seat=first)
        second = store.take_seat("p-1", "pilot", host="other-host", pid=2, take_over=True)
        writes = [
            lambda: store.autosave("p-1", "pilot", attempt.state, seat=first),
            lambda: store.save_survey_answer("p-1", "pilot", "before", "confidence", 2, seat=first),
            lambda: store.discard_autosave("p-1", "pilot", "one", seat=first),
            lambda: store.finish_attempt(
                "p-1", "pilot", attempt.state, attempt.debrief(), seat=first
            ),
            lambda: store.set_aside("p-1", "pilot", "one", "why", seat=first),
            lambda: store.renew_seat(first),
        ]
        for write in writes:
            with pytest.raises(SeatLost, match="taken over by another player"):
                write()
        # Nothing the first player tried landed; the second writes as usual.
        assert store.survey_answers("p-1", "pilot") == {}
        assert store.finished_attempts("p-1", "pilot") == []
        store.save_survey_answer("p-1", "pilot", "before", "confidence", 4, seat=second)
        assert store.survey_answers("p-1", "pilot") == {("before", "confidence"): 4}


def test_a_released_seat_is_free(any_url):
    with open_store(any_url) as store:
        seat = store.take_seat("p-1", "pilot", host=HOST, pid=1)
        store.release_seat(seat)
        assert store.seat("p-1", "pilot") is None
        store.take_seat("p-1", "pilot", host="other-host", pid=2)


def test_a_seat_not_renewed_expires(any_url):
    with open_store(any_url) as store:
        store.take_seat("p-1", "pilot", host="other-host", pid=2)
        with store.database.write() as tx:
            tx.execute("UPDATE seats SET heartbeat_at = '2020-01-01T00:00:00.000Z'")
        store.take_seat("p-1", "pilot", host=HOST, pid=1)
        assert store.seat("p-1", "pilot").host == HOST


def test_a_seat_of_a_process_gone_from_this_machine_is_free_at_once(any_url):
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    with open_store(any_url) as store:
        store.take_seat("p-1", "pilot", host=HOST, pid=gone.pid)
        store.take_seat("p-1", "pilot", host=HOST, pid=1)  # pid 1 is alive: now held
        with pytest.raises(SeatTaken):
            store.take_seat("p-1", "pilot", host=HOST, pid=2)


def test_a_saved_attempt_set_aside_is_kept_with_its_reason(any_url, library):
    from mentorquest.engine import Engine

    attempt = Engine(library).start("one")
    attempt.choose("good")
    with open_store(any_url) as store:
        store.autosave("p-1", "pilot", attempt.state)
        saved = store.autosaved("p-1", "pilot", "one")
        store.set_aside("p-1", "pilot", "one", "its path does not replay")
        assert store.autosaved("p-1", "pilot", "one") is None
        [kept] = store.set_aside_attempts()
    assert (kept.participant_id, kept.scenario_id, kept.state_json) == ("p-1", "one", saved)
    assert kept.reason == "its path does not replay"
