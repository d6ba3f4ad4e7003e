"""Each toolkit command's --help is complete: what it does and every option."""

from __future__ import annotations

import pytest

from tests.toolkit.helpers import mq

COMMANDS = {
    ("explore",): ["--library", "--json", "--random", "--seed", "infinitely many", "pass rate"],
    ("graph",): ["--library", "--format", "mermaid", "dot", "svg", "--out", "CRITICAL"],
    ("test",): ["--library", "--verbose", "FILE:LINE: expected X, got Y", "Exit 0"],
    ("new",): ["programme", "scenario"],
    ("new", "programme"): ["--title", "FOLDER", "schema"],
    ("new", "scenario"): ["--library", "--role", "--title", "ID.test.yaml"],
    ("import",): ["twee"],
    ("import", "twee"): [
        "--out",
        "--id",
        "--role",
        "[[text->target]]",
        "[[target<-text]]",
        "[[text|target]]",
    ],
    ("schema",): ["--programme", "--write", "yaml-language-server", "leads nowhere"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_help_names_every_option(command):
    ran = mq(*command, "--help")
    assert ran.code == 0
    text = " ".join(ran.out.split())
    for word in COMMANDS[command]:
        assert word in text, (command, word)


def test_the_toolkit_commands_are_listed():
    text = mq("--help").out
    for name in ("explore", "graph", "test", "new", "import", "schema"):
        assert f"  {name} " in text
