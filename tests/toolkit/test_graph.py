"""`mentorquest graph`: scenes, endings by kind, choices with signs, conditions, breaches, best path."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ElementTree

import pytest

from tests.helpers import MISSED_SESSIONS, write_library
from tests.toolkit.helpers import mq, no_traceback


def test_mermaid_graph_of_a_scenario(tmp_path):
    root = write_library(tmp_path / "lib")
    ran = mq("graph", "--library", root, "missed-sessions")
    assert ran.code == 0, ran.err
    assert ran.out.splitlines() == [
        "%% missed-sessions: The missed sessions",
        "%% made by mentorquest graph; edges: choice id (sign of its score)",
        "flowchart TD",
        '  s0["opening<br/>(start)"]',
        '  s1["cold"]',
        '  s2["warm"]',
        '  s3(["strong<br/>strong ending"])',
        '  s4{{"mixed<br/>mixed ending"}}',
        '  s5>"breach<br/>poor ending"]',
        '  s0 -->|"blame (-)"| s1',
        '  s0 ==>|"ask (+)"| s2',
        '  s1 -.->|"tell-tutor (-)<br/>CRITICAL confidentiality"| s5',
        '  s1 -->|"apologise (+)"| s2',
        '  s2 ==>|"plan (+)<br/>if trust #gt;= 60"| s3',
        '  s2 -->|"reassure (-)"| s4',
        "  linkStyle 1,4 stroke:#2e7d32,stroke-width:4px",
        "  linkStyle 2 stroke:#c62828,color:#c62828",
        "  classDef strong fill:#c8e6c9,stroke:#333",
        "  class s3 strong",
        "  classDef mixed fill:#fff3c4,stroke:#333",
        "  class s4 mixed",
        "  classDef poor fill:#ffcdd2,stroke:#333",
        "  class s5 poor",
        "  classDef start stroke-width:3px",
        "  class s0 start",
    ]


def test_dot_graph_marks_endings_conditions_breaches_and_the_best_path(tmp_path):
    root = write_library(tmp_path / "lib")
    out = tmp_path / "g.dot"
    ran = mq("graph", "--library", root, "missed-sessions", "--format", "dot", "--out", out)
    assert ran.code == 0 and ran.out == ""
    text = out.read_text(encoding="utf-8")
    assert '"strong" [label="strong\\nstrong ending", shape=doubleoctagon' in text
    assert '"breach" [label="breach\\npoor ending", shape=octagon' in text
    assert (
        '"cold" -> "breach" [label="tell-tutor (-)\\nCRITICAL confidentiality", style=dashed, '
        'color="#c62828", fontcolor="#c62828"];'
    ) in text
    assert (
        '"warm" -> "strong" [label="plan (+)\\nif trust >= 60", color="#2e7d32", penwidth=3];'
        in text
    )
    assert '"opening" -> "cold" [label="blame (-)"];' in text


def test_svg_is_drawn_by_graphviz(tmp_path):
    if shutil.which("dot") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Graphviz's dot is required under CI=true for the svg test")
        pytest.skip("Graphviz's dot is not installed; the svg test needs it")
    root = write_library(tmp_path / "lib")
    out = tmp_path / "g.svg"
    ran = mq("graph", "--library", root, "missed-sessions", "--format", "svg", "--out", out)
    assert ran.code == 0, ran.err
    svg = ElementTree.fromstring(out.read_text(encoding="utf-8"))
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"opening", "tell-tutor (-)", "CRITICAL confidentiality", "strong ending"} <= texts


def test_svg_without_graphviz_says_what_to_do(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    ran = mq("graph", "--library", root, "missed-sessions", "--format", "svg")
    no_traceback(ran)
    assert ran.code == 2
    assert "needs Graphviz's 'dot' program on PATH" in ran.err
    assert "--format dot" in ran.err


def test_text_from_the_file_cannot_break_out_of_a_label(tmp_path):
    hostile = MISSED_SESSIONS.replace(
        "title: The missed sessions", 'title: "Evil \\" ]; \\u001b[31mred\\u202e"'
    )
    root = write_library(tmp_path / "lib", {"missed-sessions": hostile})
    for form in ("mermaid", "dot"):
        ran = mq("graph", "--library", root, "missed-sessions", "--format", form)
        assert ran.code == 0
        assert "\x1b" not in ran.out and "\u202e" not in ran.out
        assert "<U+202E>" in ran.out
    dot_text = mq("graph", "--library", root, "missed-sessions", "--format", "dot").out
    assert 'label="Evil \\" ]; <U+001B>[31mred<U+202E>"' in dot_text


def test_graph_of_an_unknown_scenario_is_a_clear_error(tmp_path):
    root = write_library(tmp_path / "lib")
    ran = mq("graph", "--library", root, "nope", "--format", "bogus")
    assert ran.code == 2 and "Invalid value for '--format'" in ran.err
    ran = mq("graph", "--library", root, "nope")
    no_traceback(ran)
    assert ran.code == 2 and "no scenario 'nope' in this library" in ran.err


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_graph_out_never_replaces_a_fifo_or_a_device(tmp_path, kind):
    root = write_library(tmp_path / "lib")
    target = tmp_path / "g.dot"
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/null")
    ran = mq("graph", "--library", root, "missed-sessions", "--format", "dot", "--out", target)
    no_traceback(ran)
    assert ran.code == 2
    [line] = ran.err.strip().splitlines()
    assert line.startswith(f"mentorquest: error: cannot write {target}: it is a ")
    assert "not a regular file" in line
    assert target.is_fifo() if kind == "fifo" else target.is_symlink()
