"""Saved states, results and debriefs: their JSON is a compatibility contract.

User databases hold exactly these bytes, so they must still be written and read as is. A
saved state is its path (format 2); states of format 1, written by mentorquest 0.1 with
the replayed values beside the path, are still read (their path is what counts).
"""

from __future__ import annotations

import json

import pytest

from mentorquest.engine import Engine
from mentorquest.engine.results import (
    Alternative,
    AttemptResult,
    Debrief,
    DebriefEntry,
    RuleScore,
)
from mentorquest.engine.state import AttemptState, StateFormatError, Step
from mentorquest.errors import StateMismatch
from mentorquest.language import open_library
from tests.helpers import write_library

# --- golden JSON, as the pydantic models wrote it --------------------------------------

STATE_JSON = (
    '{"save_format":2,"attempt_id":"00000000-0000-4000-8000-000000000001",'
    '"scenario_id":"missed-sessions","content_hash":"sha256:abc","practice":true,'
    '"started_at":"2024-05-01T09:00:00Z","finished_at":null,"origin_scene":"opening",'
    '"origin_variables":{"trust":50,"café":-3},"seed":1234,"input":"scripted",'
    '"path":[{"scene":"opening","choice":"ask","at":"2024-05-01T09:00:07Z"}]}'
)

# Non-ASCII is kept as is; quotes, backslashes and control characters are escaped.
STATE_UNICODE_JSON = (
    '{"save_format":2,"attempt_id":"ü-1",'
    '"scenario_id":"naïve “quote” \\"esc\\" \\\\ \\n tab\\t €😀 \u2028 \x7f \\u0001",'
    '"content_hash":"h","practice":false,"started_at":"t",'
    '"finished_at":"2024-05-01T09:10:00Z","origin_scene":"o","origin_variables":{},'
    '"seed":null,"input":"terminal","path":[]}'
)

STATE_DEFAULTS_JSON = (
    '{"save_format":2,"attempt_id":"a","scenario_id":"s","content_hash":"h","practice":false,'
    '"started_at":"t","finished_at":null,"origin_scene":"o","origin_variables":{},'
    '"seed":null,"input":"terminal","path":[]}'
)

# As mentorquest 0.1 wrote it: the replayed values beside the path, no times.
STATE_V1_JSON = (
    '{"save_format":1,"attempt_id":"00000000-0000-4000-8000-000000000001",'
    '"scenario_id":"missed-sessions","content_hash":"sha256:abc","practice":true,'
    '"started_at":"2024-05-01T09:00:00Z","finished_at":null,"origin_scene":"opening",'
    '"origin_variables":{"trust":50},"scene":"warm","variables":{"trust":70,"café":-3},'
    '"visited":["opening","warm"],"path":[{"scene":"opening","choice":"ask"}],'
    '"scores":{"no-fault":2,"listening":1},"critical":[]}'
)

RESULT_JSON = (
    '{"scenario_id":"é","ending":"end","ending_kind":"","percent":0,"passed":false,'
    '"pass_mark":70,"critical":["x"],"scores":[{"rule":"r","earned":-1,"best":3}],'
    '"earned_total":-1,"best_total":3,"path":[["a","b"],["c","d"]],"practice":false}'
)

DEBRIEF_JSON = (
    '{"result":' + RESULT_JSON + ',"entries":[{"step":1,"scene":"a","speaker":"Zoë",'
    '"choice":"b","text":"“hi”","feedback":null,"scores":{},"critical":null,"was_best":false,'
    '"better":{"id":"c","text":"ç","feedback":"fb"}}]}'
)

PLAYED_DEBRIEF_JSON = (
    '{"result":{"scenario_id":"missed-sessions","ending":"mixed","ending_kind":"mixed",'
    '"percent":0,"passed":false,"pass_mark":70,"critical":[],"scores":['
    '{"rule":"no-fault","earned":-1,"best":2},{"rule":"listening","earned":-1,"best":3},'
    '{"rule":"confidentiality","earned":0,"best":0}],"earned_total":-2,"best_total":5,'
    '"path":[["opening","blame"],["cold","apologise"],["warm","reassure"]],"practice":false},'
    '"entries":[{"step":1,"scene":"opening","speaker":"Narrator","choice":"blame",'
    '"text":"Tell her commitment matters.","feedback":"Blame puts her on the defensive.",'
    '"scores":{"no-fault":-2},"critical":null,"was_best":false,'
    '"better":{"id":"ask","text":"Ask how she is.","feedback":"Curiosity first."}},'
    '{"step":2,"scene":"cold","speaker":null,"choice":"apologise",'
    '"text":"Apologise and ask again.","feedback":"Repair is possible.",'
    '"scores":{"no-fault":1},"critical":null,"was_best":true,"better":null},'
    '{"step":3,"scene":"warm","speaker":null,"choice":"reassure","text":"Say it will be fine.",'
    '"feedback":"Reassurance shuts her down.","scores":{"listening":-1},"critical":null,'
    '"was_best":true,"better":null}]}'
)


def a_state() -> AttemptState:
    return AttemptState(
        attempt_id="00000000-0000-4000-8000-000000000001",
        scenario_id="missed-sessions",
        content_hash="sha256:abc",
        practice=True,
        started_at="2024-05-01T09:00:00Z",
        origin_scene="opening",
        origin_variables={"trust": 50, "café": -3},
        seed=1234,
        input="scripted",
        path=[Step(scene="opening", choice="ask", at="2024-05-01T09:00:07Z")],
    )


def a_result() -> AttemptResult:
    return AttemptResult(
        scenario_id="é",
        ending="end",
        ending_kind="",
        percent=0,
        passed=False,
        pass_mark=70,
        critical=("x",),
        scores=(RuleScore(rule="r", earned=-1, best=3),),
        earned_total=-1,
        best_total=3,
        path=(("a", "b"), ("c", "d")),
        practice=False,
    )


def a_debrief() -> Debrief:
    entry = DebriefEntry(
        step=1,
        scene="a",
        speaker="Zoë",
        choice="b",
        text="“hi”",
        feedback=None,
        scores={},
        critical=None,
        was_best=False,
        better=Alternative(id="c", text="ç", feedback="fb"),
    )
    return Debrief(result=a_result(), entries=(entry,))


@pytest.fixture
def engine(tmp_path):
    return Engine(open_library(write_library(tmp_path / "lib")))


# --- writing: byte for byte --------------------------------------------------------------


def test_a_state_is_written_exactly_as_before():
    assert a_state().to_json() == STATE_JSON


def test_non_ascii_and_control_characters_are_written_exactly_as_before():
    state = AttemptState(
        attempt_id="ü-1",
        scenario_id='naïve “quote” "esc" \\ \n tab\t €😀 \u2028 \x7f \x01',
        content_hash="h",
        started_at="t",
        finished_at="2024-05-01T09:10:00Z",
        origin_scene="o",
        origin_variables={},
    )
    assert state.to_json() == STATE_UNICODE_JSON


def test_a_state_with_only_required_fields_writes_its_defaults_exactly_as_before():
    state = AttemptState(
        attempt_id="a",
        scenario_id="s",
        content_hash="h",
        started_at="t",
        origin_scene="o",
        origin_variables={},
    )
    assert state.to_json() == STATE_DEFAULTS_JSON


def test_a_result_is_written_exactly_as_before():
    assert a_result().to_json() == RESULT_JSON


def test_a_debrief_is_written_exactly_as_before():
    assert a_debrief().to_json() == DEBRIEF_JSON


def test_a_played_debrief_is_written_exactly_as_before(engine):
    attempt = engine.start("missed-sessions")
    for choice in ("blame", "apologise", "reassure"):
        attempt.choose(choice)
    assert attempt.debrief().to_json() == PLAYED_DEBRIEF_JSON


# --- reading: round trips ----------------------------------------------------------------


def test_a_saved_state_reads_back_equal():
    assert AttemptState.from_json(STATE_JSON) == a_state()
    assert AttemptState.from_json(STATE_JSON.encode("utf-8")) == a_state()


@pytest.mark.parametrize("text", [STATE_JSON, STATE_UNICODE_JSON, STATE_DEFAULTS_JSON])
def test_a_saved_state_is_rewritten_unchanged(text):
    assert AttemptState.from_json(text).to_json() == text


def test_a_saved_result_reads_back_equal_with_tuples():
    result = AttemptResult.from_json(RESULT_JSON)
    assert result == a_result()
    assert result.path == (("a", "b"), ("c", "d"))
    assert result.score("r") == RuleScore(rule="r", earned=-1, best=3)


@pytest.mark.parametrize("text", [DEBRIEF_JSON, PLAYED_DEBRIEF_JSON])
def test_a_saved_debrief_reads_back_and_is_rewritten_unchanged(text):
    assert Debrief.from_json(text).to_json() == text


def test_a_saved_debrief_reads_back_equal():
    assert Debrief.from_json(DEBRIEF_JSON) == a_debrief()


def test_a_played_state_round_trips(engine):
    attempt = engine.start("missed-sessions")
    attempt.choose("ask")
    assert AttemptState.from_json(attempt.state.to_json()) == attempt.state


def test_fields_with_defaults_may_be_absent():
    data = json.loads(STATE_DEFAULTS_JSON)
    for name in ("practice", "finished_at", "seed", "input", "path"):
        del data[name]
    state = AttemptState.from_dict(data)
    assert (state.save_format, state.practice, state.finished_at) == (2, False, None)
    assert (state.seed, state.input, state.path) == (None, "terminal", [])


def test_a_state_of_format_1_is_read_for_its_path_alone():
    """0.1 saved the replayed scene, variables and scores too: they are never trusted."""
    state = AttemptState.from_json(STATE_V1_JSON)
    assert state.path == [Step(scene="opening", choice="ask", at=None)]
    assert (state.origin_scene, state.origin_variables) == ("opening", {"trust": 50})
    assert not hasattr(state, "scores") and not hasattr(state, "variables")
    # Written again, it is a state of the current format.
    assert json.loads(state.to_json())["save_format"] == 2


def test_a_state_without_a_save_format_is_of_format_1():
    data = json.loads(STATE_V1_JSON)
    del data["save_format"]
    assert AttemptState.from_dict(data).path == [Step(scene="opening", choice="ask")]


# --- reading: what is refused, naming the field ------------------------------------------


def state_with(**changes):
    data = json.loads(STATE_JSON)
    data.update(changes)
    return json.dumps(data)


def state_without(name):
    data = json.loads(STATE_JSON)
    del data[name]
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (state_without("scenario_id"), "'scenario_id'"),
        (state_with(colour="blue"), "'colour'"),
        (state_with(save_format="1"), "AttemptState.save_format"),
        (state_with(save_format=True), "AttemptState.save_format"),
        (state_with(save_format=1.0), "AttemptState.save_format"),
        (state_with(origin_scene=3), "AttemptState.origin_scene"),
        (state_with(origin_scene=None), "AttemptState.origin_scene"),
        (state_with(practice=1), "AttemptState.practice"),
        (state_with(origin_variables={"trust": False}), "AttemptState.origin_variables['trust']"),
        (state_with(seed="1234"), "AttemptState.seed"),
        (state_with(input="robot"), "AttemptState.input"),
        (state_with(path=[{"scene": "opening"}]), "AttemptState.path[0]"),
        (state_with(path=[{"scene": "opening", "choice": 2}]), "AttemptState.path[0].choice"),
        (state_with(path=[{"scene": "a", "choice": "b", "at": 1}]), "AttemptState.path[0].at"),
        (state_with(path=[{"scene": "a", "choice": "b", "when": "x"}]), "'when'"),
        (state_with(scene="warm"), "'scene'"),  # the replayed values are no longer saved
    ],
)
def test_a_malformed_state_is_refused_naming_the_field(text, named):
    with pytest.raises(StateFormatError) as caught:
        AttemptState.from_json(text)
    assert named in str(caught.value)


def test_the_format_error_is_a_value_error():
    assert issubclass(StateFormatError, ValueError)


def test_a_missing_field_is_reported_as_missing():
    with pytest.raises(StateFormatError, match=r"^AttemptState: missing field 'scenario_id'$"):
        AttemptState.from_json(state_without("scenario_id"))


def test_an_unknown_field_is_reported_as_unknown():
    with pytest.raises(StateFormatError, match=r"^AttemptState: unknown field 'colour'$"):
        AttemptState.from_json(state_with(colour="blue"))


def test_a_bool_where_a_number_belongs_is_reported_as_such():
    with pytest.raises(
        StateFormatError,
        match=r"^AttemptState.save_format: expected a whole number, got a boolean \(True\)$",
    ):
        AttemptState.from_json(state_with(save_format=True))


def result_with(**changes):
    data = json.loads(RESULT_JSON)
    data.update(changes)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (result_with(percent=True), "AttemptResult.percent"),
        (result_with(percent="0"), "AttemptResult.percent"),
        (result_with(ending=None), "AttemptResult.ending"),
        (result_with(passed=0), "AttemptResult.passed"),
        (result_with(path=[["a", "b", "c"]]), "AttemptResult.path[0]"),
        (result_with(path=[["a", 1]]), "AttemptResult.path[0][1]"),
        (
            result_with(scores=[{"rule": "r", "earned": True, "best": 3}]),
            "AttemptResult.scores[0].earned",
        ),
        (result_with(scores=[{"rule": "r", "best": 3}]), "'earned'"),
        (result_with(stars=3), "'stars'"),
    ],
)
def test_a_malformed_result_is_refused_naming_the_field(text, named):
    with pytest.raises(StateFormatError) as caught:
        AttemptResult.from_json(text)
    assert named in str(caught.value)


def test_a_malformed_debrief_entry_is_refused_naming_the_field():
    data = json.loads(DEBRIEF_JSON)
    data["entries"][0]["better"]["id"] = 7
    with pytest.raises(
        StateFormatError, match=r"^Debrief.entries\[0\].better.id: expected a string"
    ):
        Debrief.from_json(json.dumps(data))


@pytest.mark.parametrize("text", ["{not json", "[]", "null", b"\xff\xfe"])
def test_text_that_is_not_a_json_object_is_refused(text):
    with pytest.raises(StateFormatError):
        AttemptState.from_json(text)


# --- restoring -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "saved",
    [
        state_without("scenario_id"),
        state_with(colour="blue"),
        state_with(save_format=True),
        json.loads(state_with(origin_scene=None)),
        {"not": "a state"},
        "{not json",
    ],
)
def test_restoring_a_malformed_state_raises_state_mismatch(engine, saved):
    with pytest.raises(StateMismatch, match="the saved attempt cannot be read: AttemptState"):
        engine.restore(saved)
