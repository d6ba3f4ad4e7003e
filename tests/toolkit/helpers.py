"""Running the real `mentorquest` command in-process, and small libraries to run it on."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

from mentorquest.cli.main import main


@dataclass
class Ran:
    code: int
    out: str
    err: str


def mq(*args: str | Path) -> Ran:
    """`mentorquest ARGS...` through its real entry point (errors handled as for users)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main([str(a) for a in args])
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return Ran(code, out.getvalue(), err.getvalue())


def no_traceback(ran: Ran) -> None:
    assert "Traceback" not in ran.out + ran.err
    assert ran.code != 70, ran.err


PROGRAMME = """\
format: 1
id: toolkit-test
title: Toolkit test
roles: [mentor, mentee]
ground_rules:
  - {id: confidentiality, name: Confidentiality, summary: Keep it private.}
  - {id: no-fault, name: No-fault attitude, summary: No blame.}
  - {id: listening, name: Active listening, summary: Listen first.}
"""


def library(root: Path, scenarios: dict[str, str], programme: str = PROGRAMME) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(programme, encoding="utf-8")
    for name, text in scenarios.items():
        (root / name).write_text(text, encoding="utf-8")
    return root
