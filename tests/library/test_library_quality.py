"""The bundled library meets the requirements of the scenario library issue (issue 5).

These are executable versions of the issue's "Deliver" list: enough scenarios, a
coherent onboarding of 5-7 scenarios for each role, three kinds of ending, 6-12
decisions on the longest path, feedback on every choice that names a ground rule in
two to four sentences, every ground rule exercised by several decisions in each
role's onboarding, critical breaches for both roles, and an onboarding that opens with
the "new to mentoring / mentored before" split. They read the library the way the
player does, through open_library(library_path()), and fail if a requirement is broken.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mentorquest.bundled import library_path
from mentorquest.engine.analysis import ScenarioAnalysis, analyse, components, strongly_connected
from mentorquest.language import open_library

LIBRARY = open_library(library_path())
PROGRAMME = LIBRARY.programme
SCENARIOS = LIBRARY.scenarios
SCENARIO_IDS = sorted(SCENARIOS)
ROLES = ("mentor", "mentee")
RULE_IDS = [rule.id for rule in PROGRAMME.ground_rules]
ENDING_KINDS = ("strong", "mixed", "poor")

# The words that name each ground rule in feedback, by its name or its id.
RULE_WORDS = {
    "confidentiality": ("confidential",),
    "no-fault": ("no-fault", "no fault"),
    "listening": ("listening", "listen"),
    "boundaries": ("boundary", "boundaries"),
    "signposting": ("signpost",),
    "checking-assumptions": ("assumption",),
    "shared-aims": ("shared aim", "shared, pre-agreed aim", "aims"),
    "understanding": ("understanding",),
    "clear-feedback": ("feedback",),
    "reciprocity": ("reciprocity", "reciprocal"),
}

# A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket) before
# the end of the text or before the capital letter that starts the next sentence.
SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)]*(?=\s*$|\s+[\"'\u201c\u2018(*]*[A-Z0-9])")


@pytest.fixture(scope="module")
def analysed():
    """Each bundled scenario's full analysis, its whole solution with it, made once (an
    engine keeps only the values a player is scored against)."""
    found: dict[str, ScenarioAnalysis] = {}

    def analysis(scenario_id: str) -> ScenarioAnalysis:
        if scenario_id not in found:
            found[scenario_id] = analyse(LIBRARY, scenario_id)
        return found[scenario_id]

    return analysis


def sentences(text: str) -> int:
    return len(SENTENCE_END.findall(text.strip()))


def names_rule(text: str, rule: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in RULE_WORDS[rule])


def all_choices(scenario_id: str):
    for scene_id, scene in SCENARIOS[scenario_id].scenes.items():
        for choice in scene.choices:
            yield scene_id, choice


def required(role: str) -> list[str]:
    return list(PROGRAMME.required.get(role, []))


# --- the helpers themselves ------------------------------------------------------------


def test_sentence_counter_counts_sentences():
    assert sentences("One. Two.") == 2
    assert sentences('He says "stop." Then he goes. (He is tired.)') == 3
    assert sentences("A list: e, f and g, all in one sentence.") == 1
    assert sentences('It turns "tell me if anything\'s wrong" into a habit. Good.') == 2
    assert sentences("No full stop at all") == 0


def test_every_programme_rule_has_words_to_recognise_it():
    assert set(RULE_WORDS) == set(RULE_IDS)


# --- the library as a whole ------------------------------------------------------------


def test_at_least_ten_scenarios():
    assert len(SCENARIOS) >= 10, sorted(SCENARIOS)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_has_scenarios_and_an_onboarding_of_five_to_seven(role):
    assert role in PROGRAMME.roles
    playable = [sid for sid, s in SCENARIOS.items() if role in s.roles]
    assert playable, f"no scenario is played as the {role}"
    onboarding = required(role)
    assert 5 <= len(onboarding) <= 7, f"{role} onboarding has {len(onboarding)} scenarios"
    assert len(set(onboarding)) == len(onboarding), f"{role} onboarding repeats a scenario"
    for sid in onboarding:
        assert sid in SCENARIOS, f"{role} onboarding names unknown scenario {sid}"
        assert role in SCENARIOS[sid].roles, f"{sid} is required for {role} but not played as one"


@pytest.mark.parametrize("role", ROLES)
def test_each_onboarding_takes_about_forty_five_minutes(role):
    minutes = [SCENARIOS[sid].minutes for sid in required(role)]
    assert all(m is not None for m in minutes), f"{role} onboarding has a scenario without minutes"
    assert 35 <= sum(minutes) <= 60, f"{role} onboarding takes {sum(minutes)} minutes"


def test_some_scenarios_are_optional():
    needed = {sid for role in ROLES for sid in required(role)}
    assert set(SCENARIOS) - needed, "every scenario is required: nothing is left optional"


@pytest.mark.parametrize("role", ROLES)
def test_onboarding_opens_with_the_new_or_experienced_split(role, analysed):
    first = required(role)[0]
    scenario = SCENARIOS[first]
    opening = scenario.scenes[scenario.start]
    texts = {choice.id: choice.text.lower() for choice in opening.choices}
    new = [cid for cid, text in texts.items() if "new to mentoring" in text or "never" in text]
    before = [cid for cid, text in texts.items() if "before" in text and cid not in new]
    assert new and before, f"{first} does not open with the new / mentored-before split: {texts}"
    targets = {choice.id: choice.goto for choice in opening.choices}
    assert targets[new[0]] != targets[before[0]], "both answers lead to the same scene"
    # Each branch teaches on its own route, and each can still earn full marks.
    analysis = analysed(first)
    solution = analysis.solution
    assert solution is not None
    for choice_index, target, total, _ in solution.edges(0):
        choice = opening.choices[choice_index]
        if choice.id in (new[0], before[0]):
            assert total + solution.value_at(target) == analysis.best_total, (
                f"the '{choice.id}' branch of {first} cannot reach 100%"
            )
    # The programme also tells the two groups what reciprocal mentoring is, differently.
    intro = PROGRAMME.introduction
    assert intro is not None and intro.basics and intro.differences


@pytest.mark.parametrize("rule", RULE_IDS)
def test_every_rule_is_scored_by_several_decisions_across_the_library(rule):
    count = sum(1 for sid in SCENARIOS for _, choice in all_choices(sid) if choice.scores.get(rule))
    assert count >= 5, f"{rule} is scored by only {count} choices"


@pytest.mark.parametrize("role", ROLES)
def test_every_rule_is_exercised_in_each_onboarding(role):
    scored: Counter[str] = Counter()
    rewarded: Counter[str] = Counter()
    for sid in required(role):
        for _, choice in all_choices(sid):
            for rule, value in choice.scores.items():
                scored[rule] += 1
                if value > 0:
                    rewarded[rule] += 1
    for rule in RULE_IDS:
        assert scored[rule] >= 3, f"{role} onboarding scores {rule} in only {scored[rule]} choices"
        assert rewarded[rule] >= 1, f"{role} onboarding never rewards good {rule}"


@pytest.mark.parametrize("role", ROLES)
def test_each_onboarding_contains_a_critical_breach(role):
    critical = [
        (sid, choice.id)
        for sid in required(role)
        for _, choice in all_choices(sid)
        if choice.critical
    ]
    assert critical, f"no scenario in the {role} onboarding has a critical choice"


COORDINATOR = re.compile(r"([A-Z][a-z]+)\**,\s+the\s+(?:programme\s+)?coordinator\b")


def library_text(scenario_id: str) -> str:
    return (library_path() / f"{scenario_id}.yaml").read_text(encoding="utf-8")


def coordinator_names() -> dict[str, set[str]]:
    """The word just before ", the programme coordinator", with the scenarios it is in."""
    named: dict[str, set[str]] = {}
    for sid in SCENARIOS:
        for word in COORDINATOR.findall(library_text(sid)):
            named.setdefault(word, set()).add(sid)
    return named


def test_one_coordinator_across_the_library():
    named = coordinator_names()
    assert named, "no scenario names the programme coordinator"
    # One person: a first name, perhaps with the surname used on its own elsewhere.
    assert len(named) <= 2, f"the programme coordinator has several names: {named}"
    if len(named) == 2:
        first, second = sorted(named)
        pair = rf"\b{first}\s+\**{second}\b|\b{second}\s+\**{first}\b"
        together = any(re.search(pair, library_text(sid)) for sid in SCENARIOS)
        assert together, f"the programme coordinator has two names: {named}"


def test_no_speaking_character_appears_as_two_different_people():
    coordinator = set(coordinator_names())
    speakers: dict[str, set[str]] = {}
    for sid, scenario in SCENARIOS.items():
        for scene in scenario.scenes.values():
            if scene.speaker and scene.speaker not in ("Narrator", *coordinator):
                speakers.setdefault(scene.speaker, set()).add(sid)
    shared = {name: sorted(ids) for name, ids in speakers.items() if len(ids) > 1}
    assert not shared, f"the same name speaks as different people: {shared}"


BANNED_SPELLINGS = re.compile(
    r"\b(behavior\w*|organiz\w*|recogniz\w*|realiz\w*|apologiz\w*|prioritiz\w*|emphasiz\w*|"
    r"criticiz\w*|minimiz\w*|summariz\w*|analyz\w*|color\w*|favor\w*|honor\w*|center\w*|"
    r"judgment\w*|program|programs|mom|moms|math)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_written_in_british_english(scenario_id):
    text = library_text(scenario_id)
    found = sorted({m.group(0) for m in BANNED_SPELLINGS.finditer(text)})
    assert not found, f"American spellings in {scenario_id}: {found}"


# --- each scenario ---------------------------------------------------------------------


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_has_a_trainer_note_saying_what_it_teaches_and_from_which_guidance(scenario_id):
    note = SCENARIOS[scenario_id].trainer_note
    assert note and note.strip(), f"{scenario_id} has no trainer_note"
    assert 2 <= sentences(note) <= 8, f"{scenario_id} trainer_note has {sentences(note)} sentences"
    assert "guidance" in note.lower(), (
        f"{scenario_id} trainer_note does not say which guidance it draws on"
    )
    assert SCENARIOS[scenario_id].summary, f"{scenario_id} has no summary for players"
    assert SCENARIOS[scenario_id].minutes, f"{scenario_id} has no minutes estimate"


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_has_reachable_strong_mixed_and_poor_endings(scenario_id, analysed):
    scenario = SCENARIOS[scenario_id]
    kinds = {scene.ending for scene in scenario.scenes.values() if scene.ending}
    assert set(ENDING_KINDS) <= kinds, f"{scenario_id} endings: {sorted(kinds)}"
    analysis = analysed(scenario_id)
    scene_ids = analysis.machine.scene_ids
    machine = analysis.machine
    reached = {
        scenario.scenes[scene_ids[machine.scene_of(key)]].ending for key in analysis.solution.keys
    } - {None}
    assert set(ENDING_KINDS) <= reached, f"{scenario_id} reachable endings: {sorted(reached)}"


def _longest_in_dag(n: int, edges: list[list[int]], weight: list[int]) -> int:
    """Longest path from node 0, counting edges, in a graph whose nodes carry extra weight."""
    order: list[int] = []
    seen = [False] * n
    stack = [(0, 0)]
    while stack:
        node, i = stack.pop()
        if i == 0:
            if seen[node]:
                continue
            seen[node] = True
        if i < len(edges[node]):
            stack.append((node, i + 1))
            target = edges[node][i]
            if not seen[target]:
                stack.append((target, 0))
        else:
            order.append(node)
    best = {}
    for node in order:  # post-order: successors first
        best[node] = weight[node] + max((1 + best[t] for t in edges[node]), default=0)
    return best[0]


def longest_decisions(scenario_id: str, analysed) -> int:
    """Decisions on the longest path from start to an ending.

    On the scene graph when it has no loops; otherwise on the engine's explored state
    graph, where any remaining cycle (a loop that changes nothing) is collapsed and
    counted once per state it contains.
    """
    scenario = SCENARIOS[scenario_id]
    ids = [scenario.start] + [sid for sid in scenario.scenes if sid != scenario.start]
    position = {sid: i for i, sid in enumerate(ids)}
    scene_edges = [[position[c.goto] for c in scenario.scenes[sid].choices] for sid in ids]
    if all(len(c) == 1 and c[0] not in scene_edges[c[0]] for c in components(scene_edges)):
        return _longest_in_dag(len(ids), scene_edges, [0] * len(ids))
    solution = analysed(scenario_id).solution
    assert solution is not None
    n = len(solution.keys)
    state_edges = [[target for _, target, _, _ in solution.edges(v)] for v in range(n)]
    state_components, component_of = strongly_connected(n, solution.starts, solution.target)
    # Renumber so that the start state's component is node 0.
    order = sorted(range(len(state_components)), key=lambda c: c != component_of[0])
    index = {c: i for i, c in enumerate(order)}
    dag = [
        sorted(
            {index[component_of[t]] for v in state_components[c] for t in state_edges[v]}
            - {index[c]}
        )
        for c in order
    ]
    weight = [len(state_components[c]) - 1 for c in order]
    return _longest_in_dag(len(order), dag, weight)


def test_longest_path_counts_decisions():
    # start -> a -> end is two decisions; a branch that skips a is shorter.
    assert _longest_in_dag(3, [[1, 2], [2], []], [0, 0, 0]) == 2


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_longest_path_has_six_to_twelve_decisions(scenario_id, analysed):
    decisions = longest_decisions(scenario_id, analysed)
    assert 6 <= decisions <= 12, f"{scenario_id}: {decisions} decisions on the longest path"


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_exercises_at_least_three_ground_rules(scenario_id):
    rules = {rule for _, choice in all_choices(scenario_id) for rule in choice.scores}
    assert len(rules) >= 3, f"{scenario_id} scores only {sorted(rules)}"
    assert rules <= set(RULE_IDS)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_every_choice_has_feedback_of_two_to_four_sentences_naming_its_rule(scenario_id):
    problems = []
    for scene_id, choice in all_choices(scenario_id):
        where = f"{scenario_id}:{scene_id}:{choice.id}"
        feedback = (choice.feedback or "").strip()
        if not feedback:
            problems.append(f"{where}: no feedback")
            continue
        count = sentences(feedback)
        if not 2 <= count <= 4:
            problems.append(f"{where}: {count} sentences")
        # Name the rule the choice is scored on (or, for an unscored choice, any rule).
        candidates = list(choice.scores) or RULE_IDS
        if not any(names_rule(feedback, rule) for rule in candidates):
            problems.append(f"{where}: feedback names none of {candidates}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_every_choice_is_scored_and_criticals_are_real_breaches(scenario_id):
    critical = 0
    for scene_id, choice in all_choices(scenario_id):
        assert choice.scores, f"{scenario_id}:{scene_id}:{choice.id} scores no ground rule"
        if choice.critical:
            critical += 1
            assert choice.scores.get(choice.critical, 0) < 0, (
                f"{scenario_id}:{scene_id}:{choice.id} is critical for {choice.critical} "
                "but does not score it negatively"
            )
    assert critical <= 2, f"{scenario_id} has {critical} critical choices"


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_has_a_meter_that_the_story_reads(scenario_id):
    scenario = SCENARIOS[scenario_id]
    assert scenario.meter and scenario.meter in scenario.variables, f"{scenario_id} has no meter"
    moved = any(
        scenario.meter in choice.add or scenario.meter in choice.set
        for _, choice in all_choices(scenario_id)
    )
    assert moved, f"{scenario_id}'s meter {scenario.meter} never moves"
    conditions = [choice.if_ for _, choice in all_choices(scenario_id) if choice.if_]
    assert any(re.search(rf"\b{scenario.meter}\b", c) for c in conditions), (
        f"no condition in {scenario_id} reads its meter {scenario.meter}"
    )
