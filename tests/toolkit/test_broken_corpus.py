"""Every toolkit command on every library of the broken-file corpus (libraries the commands
were not written against): one clear line and exit 0, 1 or 2, never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.toolkit.helpers import mq, no_traceback

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir())
ID = re.compile(r"^id:\s*['\"]?([^'\"\s#]+)", re.M)


def scenario_ids(folder: Path) -> list[str]:
    """The ids the corpus files declare, as a trainer would type them (readable or not)."""
    ids = []
    for file in sorted(folder.rglob("*.y*ml")):
        if file.name.startswith("programme."):
            continue
        found = ID.search(file.read_text(encoding="utf-8", errors="replace"))
        ids.append(found.group(1) if found else file.stem)
    return ids or ["missing"]


@pytest.mark.parametrize("case", CASES)
def test_every_toolkit_command_on_a_broken_library_is_a_clear_line(case, tmp_path):
    root = tmp_path / "lib"
    shutil.copytree(CORPUS / case, root)
    commands: list[list[str | Path]] = [["test", root], ["validate", root]]
    for scenario in scenario_ids(root):
        commands += [
            ["explore", "--library", root, scenario],
            ["explore", "--library", root, scenario, "--json"],
            ["explore", "--library", root, scenario, "--random", "20", "--seed", "1"],
            ["graph", "--library", root, scenario],
            ["graph", "--library", root, scenario, "--format", "dot"],
            ["walk", "--library", root, scenario, "1"],
        ]
    commands.append(["new", "scenario", "added-here", "--library", root])
    for command in commands:
        ran = mq(*command)
        no_traceback(ran)
        assert ran.code in (0, 1, 2), (command, ran.code, ran.err)
        if ran.code == 2:
            assert ran.err.startswith(("mentorquest: error: ", "Usage:")), (command, ran.err)
