"""Many processes finishing attempts at once (run by test_concurrency as a script).

`python finish_many.py URL LIBRARY PROCESSES` imports mentorquest and opens the library
once, then forks PROCESSES workers. Each worker is its own process with its own connection
to the store, exactly as separately started players would be; forking only spares each of
them an interpreter start and the imports. The workers all block on one pipe and are
released together when it is closed, so their writes really overlap. Each prints
`done INDEX` when it has finished; the script exits 0 only if every worker did.

Every worker finishes its own attempt (participant p-INDEX) and the same shared attempt
(participant p-shared, one attempt id), and stores the same signed record for it.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import traceback
from pathlib import Path

from mentorquest.engine import Engine
from mentorquest.engine.record import RecordParticipant
from mentorquest.language.loader import open_library
from mentorquest.records.build import build_record
from mentorquest.records.signing import sign
from mentorquest.store import open_store

SHARED_ATTEMPT = "00000000-0000-4000-8000-000000000001"


def finish(url: str, library, index: int) -> None:
    attempt = Engine(library).start("one")
    attempt.choose("good")
    attempt.choose("keep")
    shared = dataclasses.replace(attempt.state, attempt_id=SHARED_ATTEMPT)
    with open_store(url) as store:
        participant = f"p-{index}"
        store.autosave(participant, "pilot", attempt.state)
        store.finish_attempt(participant, "pilot", attempt.state, attempt.debrief())
        store.finish_attempt("p-shared", "pilot", shared, attempt.debrief())
        record = build_record(
            library,
            RecordParticipant(id="p-shared", name="Shared", role="mentee"),
            store.finished_attempts("p-shared", "pilot"),
            {},
            completed_at="2026-01-01T00:00:00Z",
        )
        store.add_record(sign(record))


def main() -> int:
    url, library_dir, processes = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    library = open_library(library_dir)
    if url.startswith("postgresql"):
        import psycopg  # noqa: F401  (imported once here rather than in every worker)
    sys.stdout.flush()
    sys.stderr.flush()
    release_read, release_write = os.pipe()
    workers = []
    for index in range(processes):
        pid = os.fork()
        if pid == 0:
            os.close(release_write)
            status = 1
            try:
                os.read(release_read, 1)  # returns (empty) when the parent closes the pipe
                finish(url, library, index)
                os.write(1, f"done {index}\n".encode())
                status = 0
            except BaseException:
                os.write(2, f"worker {index}:\n{traceback.format_exc()}".encode())
            finally:
                os._exit(status)
        workers.append(pid)
    os.close(release_read)
    os.close(release_write)  # every worker starts now
    failed = 0
    for pid in workers:
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failed += 1
    if failed:
        print(f"{failed} of {processes} workers failed", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
