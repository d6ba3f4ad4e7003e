"""The condition language: parsed and type-checked, never evaluated with eval."""

from __future__ import annotations

import pytest

from mentorquest.language.conditions import ConditionError, MappingEnvironment, parse_condition

ENV = MappingEnvironment({"trust": 50, "tension": -2}, {"opening"}, {"no-fault": 3})


@pytest.mark.parametrize(
    "source, expected",
    [
        ("trust >= 50", True),
        ("trust > 50", False),
        ("trust - 10 == 40", True),
        ("-tension == 2", True),
        ("visited(opening) and not visited(ending)", True),
        ("score(no-fault) >= 3 or trust < 0", True),
        ("not (trust == 50)", False),
        ("true", True),
        ("(trust >= 60) == false", True),
        ("trust + tension + 2 == 50", True),
        ("score(listening) == 0", True),
    ],
)
def test_conditions_evaluate(source, expected):
    assert parse_condition(source)(ENV) is expected


@pytest.mark.parametrize(
    "source, offset, fragment",
    [
        ("trust = 4", 6, "use '==' to compare"),
        ("trust >= 40 &&", 12, "use 'and', 'or', 'not'"),
        ("trust", 0, "must be true or false"),
        ("trust >= 40 and", 15, "ends too early"),
        ("1 < trust < 9", 10, "cannot be chained"),
        ("trust and visited(x)", 0, "'and' needs a true/false value"),
        ("(trust >= 1", 11, "missing ')'"),
        ("visited opening", 8, "visited' needs an argument"),
        ("trust-10 > 0", 0, "variable names have no hyphens"),
        ("__import__('os')", 11, "unexpected character"),
        ("", 0, "empty condition"),
        ("visited(a) < 3", 11, "compares a number with a true/false value"),
    ],
)
def test_condition_errors_point_at_the_column(source, offset, fragment):
    with pytest.raises(ConditionError) as caught:
        parse_condition(source)
    assert caught.value.offset == offset
    assert fragment in caught.value.message


def test_references_are_collected_by_kind():
    condition = parse_condition("trust > 1 and visited(opening) and score(no-fault) > 0")
    assert condition.names("variable") == {"trust"}
    assert condition.names("scene") == {"opening"}
    assert condition.names("rule") == {"no-fault"}


@pytest.mark.parametrize(
    "source, offset, message",
    [
        (
            "(" * 150 + "true" + ")" * 150,
            32,
            "parentheses are nested more than 32 levels deep",
        ),
        (
            "not " * 1000 + "true",
            0,
            "a condition may be at most 500 characters long (this one has 4,004); "
            "split it, e.g. over choices or with a variable",
        ),
        (
            " and ".join(["true"] * 1000),
            0,
            "a condition may be at most 500 characters long (this one has 8,995); "
            "split it, e.g. over choices or with a variable",
        ),
        (
            "1" + "+1" * 1000 + " > 0",
            0,
            "a condition may be at most 500 characters long (this one has 2,005); "
            "split it, e.g. over choices or with a variable",
        ),
    ],
    ids=["parentheses", "not", "and", "plus"],
)
def test_conditions_too_deep_or_too_long_are_errors_at_their_place(source, offset, message):
    with pytest.raises(ConditionError) as caught:
        parse_condition(source)
    assert (caught.value.offset, caught.value.message) == (offset, message)


@pytest.mark.parametrize(
    "source, expected",
    [
        (" and ".join(["true"] * 50), True),
        (" or ".join(["false"] * 50) + " or trust == 50", True),
        ("1" + " + 1" * 120 + " == 121", True),
        ("0" + " - 1" * 120 + " == -120", True),
        ("not " * 120 + "true", True),
        ("not " * 121 + "true", False),
        ("-" * 121 + "1 == -1", True),
        ("(" * 32 + "true" + ")" * 32, True),
    ],
    ids=["and", "or", "plus", "minus", "not-even", "not-odd", "negation", "parentheses"],
)
def test_long_runs_within_the_bounds_evaluate_without_deep_recursion(source, expected):
    import sys

    condition = parse_condition(source)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)  # a chain of one function per operator would need more
    try:
        assert condition(ENV) is expected
    finally:
        sys.setrecursionlimit(limit)
