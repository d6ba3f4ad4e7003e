"""One of many processes finishing attempts at once (run by test_concurrency)."""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from mentorquest.engine import Engine
from mentorquest.engine.record import RecordParticipant
from mentorquest.language.loader import open_library
from mentorquest.records.build import build_record
from mentorquest.records.signing import sign
from mentorquest.store import open_store

url, library_dir, index, go = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
library = open_library(library_dir)
attempt = Engine(library).start("one")
attempt.choose("good")
attempt.choose("keep")
shared = dataclasses.replace(attempt.state, attempt_id="00000000-0000-4000-8000-000000000001")
while not go.exists():
    time.sleep(0.01)
with open_store(url) as store:
    participant = f"p-{index}"
    store.autosave(participant, "pilot", attempt.state)
    store.finish_attempt(participant, "pilot", attempt.state, attempt.debrief())
    store.finish_attempt("p-shared", "pilot", shared, attempt.debrief())
    record = build_record(library, RecordParticipant(id="p-shared", name="Shared", role="mentee"),
                          store.finished_attempts("p-shared", "pilot"), {}, completed_at="2026-01-01T00:00:00Z")
    store.add_record(sign(record))
print("done")
