"""Plain-text renderings of typed results, shared by the line player and `walk`.

Words and numbers carry every meaning (no colour, no symbols needed), so the same lines
serve a screen reader, a dumb terminal and a log file.
"""

from __future__ import annotations

from mentorquest.engine import AttemptResult, Debrief
from mentorquest.engine.rewards import stars
from mentorquest.language.runtime import Programme
from mentorquest.textsafe import literal


def rule_name(programme: Programme, rule: str) -> str:
    found = programme.rule(rule)
    return literal(found.name) if found else rule


def score_words(programme: Programme, scores: dict[str, int]) -> str:
    return ", ".join(f"{value:+d} {rule_name(programme, rule)}" for rule, value in scores.items())


def result_line(programme: Programme, result: AttemptResult) -> str:
    if result.passed:
        verdict = f"passed (pass mark {result.pass_mark}%)"
    elif result.critical:
        names = ", ".join(rule_name(programme, r) for r in result.critical)
        verdict = f"not passed: a serious breach of {names}"
    elif not result.ending_kind:
        verdict = "not finished"
    else:
        verdict = f"not passed: below the pass mark of {result.pass_mark}%"
    practice = " [practice, does not count]" if result.practice else ""
    return f"Result: {result.percent}% - {verdict}{practice}"


def debrief_lines(programme: Programme, title: str, debrief: Debrief) -> list[str]:
    result = debrief.result
    lines = [f"Debrief: {literal(title)}"]
    if result.ending_kind:
        lines.append(f"Ending: {result.ending_kind} ({result.ending})")
    lines.append(result_line(programme, result))
    if result.passed:
        lines.append(f"Stars: {stars(result)} of 3")
    lines.append("Ground rules:")
    for score in result.scores:
        lines.append(f"  {rule_name(programme, score.rule)}: {score.earned} of {score.best}")
    lines.append("Your decisions:")
    for entry in debrief.entries:
        lines.append(f"  {entry.step}. {literal(entry.text)}")
        if entry.feedback:
            lines.append(f"     Feedback: {literal(entry.feedback)}")
        if entry.scores:
            lines.append(f"     Scores: {score_words(programme, entry.scores)}")
        if entry.critical:
            lines.append(f"     Serious breach of {rule_name(programme, entry.critical)}.")
        if entry.better is not None:
            lines.append(f"     A better option here: {literal(entry.better.text)}")
            if entry.better.feedback:
                lines.append(f"       Why: {literal(entry.better.feedback)}")
        elif entry.was_best:
            lines.append("     This was the best option available.")
    return lines
