"""The condition language of `if:`: parsed and type-checked, then compiled to closures.

    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum    := unary (("+" | "-") unary)*
    unary  := "-" unary | atom
    atom   := INT | "true" | "false" | NAME | "visited" "(" SLUG ")" | "score" "(" SLUG ")"
            | "(" expr ")"

Nothing is ever passed to `eval`: a condition becomes a tree of small functions over an
`Environment`. Types are checked when parsing, so `trust and 3` is an error a trainer sees
at validation, not a surprise during play.

No condition can exhaust the stack: a condition is at most `MAX_LENGTH` characters, its
parentheses nest at most `MAX_NESTING` levels, a run of `and`, `or`, `+` or `-` becomes one
function over all its terms (not a chain of one per operator), and a run of `not` or of
unary `-` is read in a loop.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from typing import NamedTuple, Protocol

__all__ = ["Condition", "ConditionError", "Environment", "MappingEnvironment", "parse_condition"]


MAX_LENGTH = 500
MAX_NESTING = 32


class Environment(Protocol):
    """What a condition may read: the attempt's variables, visited scenes and rule totals."""

    def variable(self, name: str) -> int: ...
    def visited(self, scene: str) -> bool: ...
    def score(self, rule: str) -> int: ...


class ConditionError(Exception):
    """A condition that does not parse or type-check; `offset` is 0-based within the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class Reference(NamedTuple):
    kind: str  # "variable" | "scene" | "rule"
    name: str
    offset: int


class Condition(NamedTuple):
    """A parsed condition: its source, what it refers to, and a function that evaluates it."""

    source: str
    references: tuple[Reference, ...]
    evaluate: Callable[[Environment], bool]

    def __call__(self, env: Environment) -> bool:
        return self.evaluate(env)

    def names(self, kind: str) -> frozenset[str]:
        return frozenset(r.name for r in self.references if r.kind == kind)


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<int>\d+)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*)
    """,
    re.VERBOSE,
)
_COMPARE = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
# Operators written the other way round, as other languages or habit spell them.
_SLIPS = {"=>": ">=", "=<": "<=", "=!": "!="}
_KEYWORDS = {"and", "or", "not", "true", "false", "visited", "score"}


class _Token(NamedTuple):
    kind: str
    text: str
    offset: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            char = source[position]
            pair = source[position : position + 2]
            if pair in _SLIPS:
                raise ConditionError(
                    f"unexpected '{pair}' in condition (did you mean '{_SLIPS[pair]}'?)", position
                )
            hint = " (use 'and', 'or', 'not')" if char in "&|!" else ""
            hint = " (use '==' to compare)" if char == "=" else hint
            raise ConditionError(f"unexpected character '{char}' in condition{hint}", position)
        kind = match.lastgroup or ""
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(source)))
    return tokens


_Eval = Callable[[Environment], object]


class _Parser:
    def __init__(self, source: str) -> None:
        if len(source) > MAX_LENGTH:
            raise ConditionError(
                f"a condition may be at most {MAX_LENGTH} characters long (this one has "
                f"{len(source):,}); split it, e.g. over choices or with a variable",
                0,
            )
        self.source = source
        self.tokens = _tokenize(source)
        self.index = 0
        self.references: list[Reference] = []
        self.nesting = 0

    # Each rule returns (function, type, offset) with type "bool" or "int".
    def parse(self) -> Condition:
        if self.tokens[0].kind == "end":
            raise ConditionError("empty condition", 0)
        function, kind, offset = self._or()
        token = self._peek()
        if token.kind != "end":
            raise ConditionError(f"unexpected '{token.text}' in condition", token.offset)
        if kind != "bool":
            raise ConditionError(
                "a condition must be true or false; compare the value, e.g. 'trust >= 50'", offset
            )
        return Condition(self.source, tuple(self.references), function)  # type: ignore[arg-type]

    def _peek(self) -> _Token:
        return self.tokens[self.index]

    def _next(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _expect_type(self, kind: str, wanted: str, offset: int, what: str) -> None:
        if kind != wanted:
            noun = "true/false value" if wanted == "bool" else "number"
            raise ConditionError(f"{what} needs a {noun} here", offset)

    def _or(self) -> tuple[_Eval, str, int]:
        left, kind, offset = self._and()
        if self._peek().text != "or":
            return left, kind, offset
        self._expect_type(kind, "bool", offset, "'or'")
        terms = [left]
        while self._peek().text == "or":
            self._next()
            right, right_kind, right_offset = self._and()
            self._expect_type(right_kind, "bool", right_offset, "'or'")
            terms.append(right)
        return _any(tuple(terms)), "bool", offset

    def _and(self) -> tuple[_Eval, str, int]:
        left, kind, offset = self._not()
        if self._peek().text != "and":
            return left, kind, offset
        self._expect_type(kind, "bool", offset, "'and'")
        terms = [left]
        while self._peek().text == "and":
            self._next()
            right, right_kind, right_offset = self._not()
            self._expect_type(right_kind, "bool", right_offset, "'and'")
            terms.append(right)
        return _all(tuple(terms)), "bool", offset

    def _not(self) -> tuple[_Eval, str, int]:
        first = self._peek()
        count = 0
        while self._peek().text == "not":
            self._next()
            count += 1
        operand, kind, offset = self._compare()
        if not count:
            return operand, kind, offset
        self._expect_type(kind, "bool", offset, "'not'")
        if count % 2:
            return (lambda env, f=operand: not f(env)), "bool", first.offset
        return (lambda env, f=operand: bool(f(env))), "bool", first.offset

    def _compare(self) -> tuple[_Eval, str, int]:
        left, kind, offset = self._sum()
        token = self._peek()
        if token.kind == "op" and token.text in _COMPARE:
            self._next()
            right, right_kind, right_offset = self._sum()
            if kind != right_kind:
                raise ConditionError(
                    f"'{token.text}' compares a number with a true/false value", token.offset
                )
            if kind == "bool" and token.text not in ("==", "!="):
                raise ConditionError(f"'{token.text}' needs numbers on both sides", token.offset)
            after = self._peek()
            if after.kind == "op" and after.text in _COMPARE:
                raise ConditionError(
                    "comparisons cannot be chained; join them with 'and'", after.offset
                )
            compare = _COMPARE[token.text]
            return (lambda env, a=left, b=right, c=compare: c(a(env), b(env))), "bool", offset
        return left, kind, offset

    def _sum(self) -> tuple[_Eval, str, int]:
        left, kind, offset = self._unary()
        if self._peek().text not in ("+", "-"):
            return left, kind, offset
        terms: list[tuple[int, _Eval]] = [(1, left)]
        while self._peek().text in ("+", "-"):
            token = self._next()
            self._expect_type(kind, "int", offset, f"'{token.text}'")
            right, right_kind, right_offset = self._unary()
            self._expect_type(right_kind, "int", right_offset, f"'{token.text}'")
            terms.append((1 if token.text == "+" else -1, right))
        return _sum(tuple(terms)), kind, offset

    def _unary(self) -> tuple[_Eval, str, int]:
        first = self._peek()
        count = 0
        while self._peek().text == "-":
            self._next()
            count += 1
        operand, kind, offset = self._atom()
        if not count:
            return operand, kind, offset
        self._expect_type(kind, "int", offset, "'-'")
        if count % 2:
            return (lambda env, f=operand: -f(env)), "int", first.offset  # type: ignore[operator,unused-ignore]
        return operand, "int", first.offset

    def _atom(self) -> tuple[_Eval, str, int]:
        token = self._next()
        if token.kind == "int":
            value = int(token.text)
            return (lambda env, v=value: v), "int", token.offset
        if token.text == "(":
            self.nesting += 1
            if self.nesting > MAX_NESTING:
                raise ConditionError(
                    f"parentheses are nested more than {MAX_NESTING} levels deep", token.offset
                )
            inner, kind, _ = self._or()
            closing = self._next()
            if closing.text != ")":
                raise ConditionError("missing ')'", closing.offset)
            self.nesting -= 1
            return inner, kind, token.offset
        if token.kind == "word":
            if token.text in ("true", "false"):
                value_bool = token.text == "true"
                return (lambda env, v=value_bool: v), "bool", token.offset
            if token.text in ("visited", "score"):
                return self._call(token)
            if token.text in _KEYWORDS:
                raise ConditionError(f"'{token.text}' needs something before it", token.offset)
            if "-" in token.text:
                raise ConditionError(
                    f"'{token.text}' is not a variable name; variable names have no hyphens "
                    "(put spaces around '-' to subtract)",
                    token.offset,
                )
            self.references.append(Reference("variable", token.text, token.offset))
            return (lambda env, n=token.text: env.variable(n)), "int", token.offset
        if token.kind == "end":
            raise ConditionError("condition ends too early", token.offset)
        raise ConditionError(f"unexpected '{token.text}' in condition", token.offset)

    def _call(self, function: _Token) -> tuple[_Eval, str, int]:
        opening = self._next()
        if opening.text != "(":
            raise ConditionError(
                f"'{function.text}' needs an argument: {function.text}(...)", opening.offset
            )
        argument = self._next()
        if argument.kind not in ("word", "int"):
            what = "a scene id" if function.text == "visited" else "a ground rule id"
            raise ConditionError(f"{function.text}() needs {what}", argument.offset)
        closing = self._next()
        if closing.text != ")":
            raise ConditionError("missing ')'", closing.offset)
        name = argument.text
        if function.text == "visited":
            self.references.append(Reference("scene", name, argument.offset))
            return (lambda env, n=name: env.visited(n)), "bool", function.offset
        self.references.append(Reference("rule", name, argument.offset))
        return (lambda env, n=name: env.score(n)), "int", function.offset


def _any(terms: tuple[_Eval, ...]) -> _Eval:
    return lambda env: any(bool(term(env)) for term in terms)


def _all(terms: tuple[_Eval, ...]) -> _Eval:
    return lambda env: all(bool(term(env)) for term in terms)


def _sum(terms: tuple[tuple[int, _Eval], ...]) -> _Eval:
    def total(env: Environment) -> int:
        value = 0
        for sign, term in terms:
            value += sign * term(env)  # type: ignore[operator]
        return value

    return total


def parse_condition(source: str) -> Condition:
    """Parse a condition; raises ConditionError pointing at the offending column."""
    return _Parser(source).parse()


class MappingEnvironment(NamedTuple):
    """An Environment over plain mappings (used by tests, tools and the engine)."""

    variables: Mapping[str, int]
    visited_scenes: frozenset[str] | set[str]
    scores: Mapping[str, int]

    def variable(self, name: str) -> int:
        return self.variables[name]

    def visited(self, scene: str) -> bool:
        return scene in self.visited_scenes

    def score(self, rule: str) -> int:
        return self.scores.get(rule, 0)
