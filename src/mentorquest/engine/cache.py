"""The analysis of each scenario, computed once and kept: a legal scenario pays for it on its
first play, never again; a scenario over the state limit is refused at once the next time.

A scenario's analysis depends on what its author wrote (its content hash) and on the code
that analyses it; the cache file is named by both, so it can never be stale. It holds the
best totals and the values of every explored state (`analysis.ValueTable`), in a compact
binary form read without building an object per state. A file that cannot be read for any
reason is a miss, and the analysis is done again.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from mentorquest.engine.analysis import Machine, ScenarioAnalysis, ValueTable, analyse

if TYPE_CHECKING:
    from mentorquest.language.diagnostics import Diagnostic
    from mentorquest.language.library import Library

CACHE_FORMAT = 3


def code_digest() -> str:
    """A digest of the code an analysis depends on: the analysis, conditions, the format."""
    from mentorquest.locations import code_digest as digest_of

    here = Path(__file__).resolve().parent
    return digest_of(
        f"analysis cache {CACHE_FORMAT} {sys.byteorder}",
        (
            here / "analysis.py",
            here.parent / "language" / "conditions.py",
            here.parent / "language" / "format.py",
        ),
        size=12,
    )


def cache_file(library: Library, scenario_id: str) -> Path | None:
    from mentorquest.locations import cache_dir

    content = library.content_hash(scenario_id).removeprefix("sha256:")
    try:
        folder = cache_dir() / "analyses"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"{content}-{code_digest()}.bin"


def analysis_of(library: Library, scenario_id: str) -> ScenarioAnalysis:
    """The scenario's analysis: from the cache when it was done before, else done and kept."""
    path = cache_file(library, scenario_id)
    if path is not None:
        found = _read(path, library, scenario_id)
        if found is not None:
            return found
    analysis = analyse(library, scenario_id, warnings=False)  # the cache keeps errors only
    if analysis.solution is None:  # a scenario that cannot be played
        if path is not None:
            _write(path, analysis, None)
        return analysis
    table = ValueTable.of(analysis.solution)
    if path is not None:
        _write(path, analysis, table)
    # As the next start will read it: the values alone, not the solution they came from
    # (a dict and a key per state, several times the memory, kept for the whole session).
    return ScenarioAnalysis(
        scenario_id,
        analysis.machine,
        None,
        analysis.diagnostics,
        table=table,
        _best_total=analysis.best_total,
        _best_by_rule=analysis.best_by_rule,
        _most_by_rule=analysis.most_by_rule,
    )


def _write(path: Path, analysis: ScenarioAnalysis, table: ValueTable | None) -> None:
    errors = [
        {"line": d.position.line, "column": d.position.column, "message": d.message}
        for d in analysis.errors
    ]
    header = {
        "format": CACHE_FORMAT,
        "best_total": analysis.best_total,
        "best_by_rule": analysis.best_by_rule,
        "most_by_rule": analysis.most_by_rule,
        "errors": errors,
        "states": len(table) if table is not None else 0,
        "width": table.width if table is not None else 0,
    }
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".analysis-", suffix=".bin")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(json.dumps(header).encode() + b"\n")
                if table is not None:
                    out.write(table.keys)
                    out.write(table.values.tobytes())
                    out.write(table.clean_values.tobytes())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # the next start analyses again


def _read(path: Path, library: Library, scenario_id: str) -> ScenarioAnalysis | None:
    try:
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            if header.get("format") != CACHE_FORMAT:
                return None
            states, width = int(header["states"]), int(header["width"])
            keys = handle.read(states * width)
            values = array("q")
            values.frombytes(handle.read(states * 8))
            clean_values = array("q")
            clean_values.frombytes(handle.read(states * 8))
            if (
                len(keys) != states * width
                or len(values) != states
                or len(clean_values) != states
                or handle.read(1)
            ):
                return None
        scenario = library.scenarios[scenario_id]
        machine = Machine(scenario, library.conditions(scenario_id))
        where = library.file_of(scenario_id)
        diagnostics: list[Diagnostic] = []
        if header["errors"]:  # a scenario that cannot be played
            from mentorquest.language.diagnostics import Diagnostic, Position, Severity

            diagnostics = [
                Diagnostic(
                    Position(where, int(e["line"]), int(e["column"])),
                    Severity.ERROR,
                    str(e["message"]),
                )
                for e in header["errors"]
            ]
        table = ValueTable(width, keys, values, clean_values) if states else None
        best_by_rule = {str(k): int(v) for k, v in header["best_by_rule"].items()}
        most_by_rule = {str(k): int(v) for k, v in header["most_by_rule"].items()}
        return ScenarioAnalysis(
            scenario_id,
            machine,
            None,
            diagnostics,
            table=table,
            _best_total=int(header["best_total"]),
            _best_by_rule=best_by_rule,
            _most_by_rule=most_by_rule,
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
