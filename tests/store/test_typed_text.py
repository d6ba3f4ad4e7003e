"""What a person types is kept without what could drive a terminal, whatever its encoding."""

from __future__ import annotations

import subprocess
import sys

from mentorquest.store import open_store
from mentorquest.textsafe import typed
from tests.store.helpers import play_plain
from tests.store.library import MENTOR_FULL_RUN

HOSTILE = "Plain \x1b[41;97mREDBG\x1b[0m \x1b[?1049l\x07tail caf\udce9"


def test_typed_keeps_text_and_drops_what_drives_a_terminal():
    assert typed("Zoë, 中文, עברית\tand a tab") == "Zoë, 中文, עברית\tand a tab"
    assert typed(HOSTILE) == "Plain [41;97mREDBG[0m [?1049ltail caf\ufffd"


def test_a_survey_answer_is_kept_without_escape_sequences(library_dir, sqlite_url):
    lines = list(MENTOR_FULL_RUN)
    lines[-1] = HOSTILE
    code, _ = play_plain(library_dir, sqlite_url, lines)
    assert code == 0
    with open_store(sqlite_url) as store:
        answers = store.survey_answers("p-1", "pilot")
    kept = [a for a in answers.values() if isinstance(a, str) and "REDBG" in a]
    assert kept == [typed(HOSTILE)]
    assert "\x1b" not in kept[0] and "\x07" not in kept[0]


def test_input_that_is_not_utf8_is_read_not_a_crash(library_dir, sqlite_url, tmp_path):
    lines = [line.encode() for line in MENTOR_FULL_RUN]
    lines[-1] = b"caf\xe9 au lait"  # Latin-1
    result = subprocess.run(
        [sys.executable, "-m", "mentorquest", "play", "--plain", "--library", str(library_dir),
         "--db", sqlite_url],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert b"internal error" not in result.stderr
