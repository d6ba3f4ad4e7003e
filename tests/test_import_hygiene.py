"""The headless core never imports textual or rich (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = [
    "mentorquest.language",
    "mentorquest.engine",
    "mentorquest.validation",
    "mentorquest.store",
    "mentorquest.records.exports",
    "mentorquest.records.xapi",
    "mentorquest.records.signing",
    "mentorquest.records.report",
    "mentorquest.players.stored",
    "mentorquest.players.plain",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual_or_rich(module):
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_validate_command_does_not_load_textual(tmp_path):
    code = (
        "import json, sys\n"
        "from mentorquest.cli.main import cli\n"
        "try:\n"
        "    cli.main(args=['validate'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []
