"""A scenario as a graph: Mermaid for Markdown pages, Graphviz DOT (and SVG through `dot`).

Scenes are the nodes; an ending is shaped and coloured by its kind and says it in words
(strong: a stadium in Mermaid, a double octagon in DOT, green; mixed: a hexagon, amber;
poor: a flag in Mermaid, an octagon in DOT, red), so the graph reads without colour too.
Each choice is an edge labelled with its id and the sign of its score (`+`, `-`, or `0`
for a choice that scores nothing or as much up as down), its condition (`if trust >= 60`)
and any critical breach (`CRITICAL confidentiality`, drawn dashed and red). The edges of
one best path (the one the debrief would point to, `explore.best_path`) are drawn thick
and green; the start scene is marked `(start)`.

Everything taken from the scenario file passes through `textsafe.label`, and then the
format's own escaping, so that no text can break out of a label.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from mentorquest.errors import UsageError
from mentorquest.language.format import Scenario
from mentorquest.textsafe import label
from mentorquest.toolkit.explore import ChoiceRef

FORMATS = ("mermaid", "dot", "svg")

_COLOURS = {"strong": "#c8e6c9", "mixed": "#fff3c4", "poor": "#ffcdd2"}
_BEST = "#2e7d32"
_CRITICAL = "#c62828"


@dataclass(frozen=True, slots=True)
class _Edge:
    source: str
    target: str
    choice: str
    sign: str
    condition: str | None
    critical: str | None
    best: bool


def _edges(scenario: Scenario, best: Iterable[ChoiceRef]) -> list[_Edge]:
    on_best = set(best)
    edges = []
    for scene_id, scene in scenario.scenes.items():
        for choice in scene.choices:
            points = sum(choice.scores.values())
            sign = "+" if points > 0 else "-" if points < 0 else "0"
            edges.append(
                _Edge(
                    source=scene_id,
                    target=choice.goto,
                    choice=choice.id,
                    sign=sign,
                    condition=choice.if_,
                    critical=choice.critical,
                    # One edge, one style: a critical breach is drawn as one, never as best.
                    best=choice.critical is None and ChoiceRef(scene_id, choice.id) in on_best,
                )
            )
    return edges


def _edge_lines(edge: _Edge) -> list[str]:
    lines = [f"{edge.choice} ({edge.sign})"]
    if edge.condition:
        lines.append(f"if {edge.condition}")
    if edge.critical:
        lines.append(f"CRITICAL {edge.critical}")
    return [label(line) for line in lines]


def _scene_lines(scenario: Scenario, scene_id: str) -> list[str]:
    scene = scenario.scenes[scene_id]
    lines = [scene_id]
    if scene_id == scenario.start:
        lines.append("(start)")
    if scene.ending is not None:
        lines.append(f"{scene.ending} ending")
    return [label(line) for line in lines]


# --- Mermaid -----------------------------------------------------------------------------


def _mermaid_text(lines: list[str]) -> str:
    """Lines as one quoted Mermaid label: entity codes for what Mermaid would read."""
    out = []
    for line in lines:
        for char, code in (("&", "#38;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
            line = line.replace(char, code)
        out.append(line)
    return '"' + "<br/>".join(out) + '"'


def mermaid(scenario: Scenario, best: Iterable[ChoiceRef] = ()) -> str:
    ids = {scene_id: f"s{number}" for number, scene_id in enumerate(scenario.scenes)}
    out = [
        f"%% {label(scenario.id)}: {label(scenario.title)}",
        "%% made by mentorquest graph; edges: choice id (sign of its score)",
        "flowchart TD",
    ]
    for scene_id, scene in scenario.scenes.items():
        text = _mermaid_text(_scene_lines(scenario, scene_id))
        node = ids[scene_id]
        if scene.ending == "strong":
            out.append(f"  {node}([{text}])")
        elif scene.ending == "mixed":
            out.append(f"  {node}{{{{{text}}}}}")
        elif scene.ending == "poor":
            out.append(f"  {node}>{text}]")
        else:
            out.append(f"  {node}[{text}]")
    edges = _edges(scenario, best)
    for edge in edges:
        arrow = "-.->" if edge.critical else "==>" if edge.best else "-->"
        text = _mermaid_text(_edge_lines(edge))
        out.append(f"  {ids[edge.source]} {arrow}|{text}| {ids[edge.target]}")
    best_numbers = [str(i) for i, edge in enumerate(edges) if edge.best]
    critical_numbers = [str(i) for i, edge in enumerate(edges) if edge.critical]
    if best_numbers:
        out.append(f"  linkStyle {','.join(best_numbers)} stroke:{_BEST},stroke-width:4px")
    if critical_numbers:
        out.append(f"  linkStyle {','.join(critical_numbers)} stroke:{_CRITICAL},color:{_CRITICAL}")
    for kind, colour in _COLOURS.items():
        out.append(f"  classDef {kind} fill:{colour},stroke:#333")
        members = [ids[s] for s, scene in scenario.scenes.items() if scene.ending == kind]
        if members:
            out.append(f"  class {','.join(members)} {kind}")
    out.append(f"  classDef start stroke-width:3px\n  class {ids[scenario.start]} start")
    return "\n".join(out) + "\n"


# --- Graphviz ----------------------------------------------------------------------------


def _dot_text(lines: list[str]) -> str:
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for line in lines]
    return '"' + "\\n".join(escaped) + '"'


_DOT_SHAPES = {"strong": "doubleoctagon", "mixed": "hexagon", "poor": "octagon"}


def dot(scenario: Scenario, best: Iterable[ChoiceRef] = ()) -> str:
    out = [
        f"// {label(scenario.id)}: {label(scenario.title)}",
        "// made by mentorquest graph; edges: choice id (sign of its score)",
        f"digraph {_dot_text([label(scenario.id)])} {{",
        f"  label={_dot_text([label(scenario.title)])}; labelloc=t; rankdir=TB;",
        '  fontname="Helvetica";',
        '  node [shape=box, style="rounded", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for scene_id, scene in scenario.scenes.items():
        attributes = [f"label={_dot_text(_scene_lines(scenario, scene_id))}"]
        if scene.ending is not None:
            attributes += [
                f"shape={_DOT_SHAPES[scene.ending]}",
                'style="filled"',
                f'fillcolor="{_COLOURS[scene.ending]}"',
            ]
        if scene_id == scenario.start:
            attributes.append("penwidth=2")
        out.append(f"  {_dot_text([scene_id])} [{', '.join(attributes)}];")
    for edge in _edges(scenario, best):
        attributes = [f"label={_dot_text(_edge_lines(edge))}"]
        if edge.critical:
            attributes += ["style=dashed", f'color="{_CRITICAL}"', f'fontcolor="{_CRITICAL}"']
        if edge.best:
            attributes += [f'color="{_BEST}"', "penwidth=3"]
        out.append(
            f"  {_dot_text([edge.source])} -> {_dot_text([edge.target])} [{', '.join(attributes)}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


def svg(dot_source: str) -> str:
    """The DOT drawn as SVG by Graphviz's `dot`; UsageError when it is not installed."""
    program = shutil.which("dot")
    if program is None:
        raise UsageError(
            "--format svg needs Graphviz's 'dot' program on PATH, and it is not there; "
            "install Graphviz (e.g. 'apt-get install graphviz' or 'brew install graphviz'), "
            "or write --format dot and draw it elsewhere"
        )
    try:
        done = subprocess.run(
            [program, "-Tsvg"],
            input=dot_source,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise UsageError(f"Graphviz's dot could not draw the graph: {error}") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["no message"])[0]
        raise UsageError(f"Graphviz's dot could not draw the graph: {label(first)}")
    return done.stdout
