"""The headless core never imports textual or rich (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CORE = [
    "mentorquest.language",
    "mentorquest.language.library",
    "mentorquest.language.compiled",
    "mentorquest.language.validator",
    "mentorquest.engine",
    "mentorquest.engine.record",
    "mentorquest.engine.validation",
    "mentorquest.store",
    "mentorquest.records.exports",
    "mentorquest.records.outgoing",
    "mentorquest.records.xapi",
    "mentorquest.records.signing",
    "mentorquest.records.report",
    "mentorquest.records.push",
    "mentorquest.records.standing",
    "mentorquest.records.pseudonyms",
    "mentorquest.players.checkin",
    "mentorquest.players.stored",
    "mentorquest.players.journey",
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


def test_a_warm_start_of_the_player_loads_no_validator(tmp_path):
    """The second start of `mentorquest`: the library from its compiled cache.

    Neither pydantic nor YAML (the validator), cryptography (signing, needed only at
    completion), Pygments (code highlighting) nor OpenSSL's hashes (hashlib: the cache's
    BLAKE2 digests come without it) is loaded before the first screen, nor while a scene
    is played."""
    code = (
        "import contextlib, json, sys\n"
        "from mentorquest.bundled import library_path\n"
        "from mentorquest.players.config import PlayConfig\n"
        "from mentorquest.tui.launch import build\n"
        "config = PlayConfig(library=library_path(), name='Ann', role='mentor',\n"
        "                    scenario=sys.argv[1])\n"
        "seen = []\n"
        "with contextlib.ExitStack() as stack:\n"
        "    app = build(config, stack)\n"
        "    async def auto(pilot):\n"
        "        await pilot.pause()\n"
        "        seen.append(type(app.screen).__name__)\n"
        "        await pilot.press('1')\n"
        "        await pilot.pause()\n"
        "        app.exit()\n"
        "    app.run(headless=True, size=(80, 24), auto_pilot=auto)\n"
        "heavy = ('pydantic', 'yaml', 'cryptography', 'pygments', 'rfc8785', 'psycopg', '_hashlib')\n"
        "print(json.dumps(seen))\n"
        "print(json.dumps(sorted(m for m in heavy if m in sys.modules)))\n"
    )
    from mentorquest.bundled import library_path
    from mentorquest.language.loader import load_library  # checks, writes no cache

    scenario = load_library(library_path()).library.required_for("mentor")[0]

    def run() -> tuple[list[str], list[str]]:
        out = subprocess.run(
            [sys.executable, "-c", code, scenario], capture_output=True, text=True, check=True
        )
        screens, heavy = out.stdout.strip().splitlines()[-2:]
        return json.loads(screens), json.loads(heavy)

    screens, heavy = run()  # the first start checks and compiles the library, creates the store
    assert "SceneScreen" in screens
    assert {"pydantic", "yaml"} <= set(heavy)  # the check can see them
    screens, heavy = run()
    assert "SceneScreen" in screens
    assert heavy == []
