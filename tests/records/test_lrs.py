"""Pushing statements to a real learning record store (ralph) on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from mentorquest.records.lrs import Lrs, LrsError
from mentorquest.records.xapi import registration
from mentorquest.store import open_store
from tests.store.fixtures import unavailable
from tests.store.helpers import run_cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_lrs(ralph: str, env: dict[str, str], folder: Path) -> tuple[subprocess.Popen, str] | str:
    """Start ralph on a free port; return the server and its URL, or why it did not start."""
    port = free_port()
    log = folder / f"server-{port}.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [
                ralph,
                "runserver",
                "-b",
                "fs",
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "--fs-default-directory-path",
                str(folder / "data"),
            ],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
    # Starting takes a second or two on a quiet machine; a busy one gets much longer.
    deadline = time.monotonic() + 120
    while server.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=5):
                pass
        except (OSError, http.client.HTTPException):  # not listening yet
            time.sleep(0.1)  # polling interval
            continue
        if server.poll() is None:  # the answer came from our server, not one that took the port
            return server, f"http://127.0.0.1:{port}/xAPI"
    if server.poll() is None:
        server.kill()
    server.wait(timeout=30)
    return log.read_text(errors="replace")[-500:]


@pytest.fixture(scope="session")
def lrs(tmp_path_factory: pytest.TempPathFactory):
    """One real LRS (ralph, file system backend) for the session, on a free port of 127.0.0.1.

    Under pytest-xdist each worker that runs an LRS test starts its own. Statements pushed
    by one test stay for the next ones, so a test reads back only what it can tell apart
    (by registration)."""
    ralph = shutil.which("ralph") or str(Path(sys.executable).with_name("ralph"))
    if not Path(ralph).exists():
        unavailable("ralph is not installed (pip install -e '.[test]')")
    folder = tmp_path_factory.mktemp("lrs")
    # ralph's file-system backend writes its statements file with "create", which refuses a
    # file that exists: it would store one batch and answer 500 to every later one. Its other
    # backends (Elasticsearch, MongoDB, ClickHouse) add to what they hold; this makes the file
    # system backend do the same (append), so that the server keeps every push as an LRS must.
    # Everything else (the xAPI API, validation, 409 on conflicting ids) is ralph's own.
    (folder / "site").mkdir()
    (folder / "site" / "sitecustomize.py").write_text(
        "from ralph.backends.data.base import BaseOperationType\n"
        "from ralph.backends.data.fs import FSDataBackend\n"
        "FSDataBackend.default_operation_type = BaseOperationType.APPEND\n"
    )
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(folder / "ralph"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(folder / "site"), os.environ.get("PYTHONPATH")])
        ),
    }
    (folder / "ralph").mkdir()
    (folder / "data").mkdir()
    subprocess.run(
        [
            ralph,
            "auth",
            "-u",
            "coordinator",
            "-p",
            "secret",
            "-s",
            "all",
            "-M",
            "mailto:coordinator@example.org",
            "-w",
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    # The free port can be taken by another process before ralph binds it: try again.
    for _ in range(3):
        started = _start_lrs(ralph, env, folder)
        if not isinstance(started, str):
            break
    else:
        unavailable(f"ralph LRS did not start: {started}")
    server, url = started
    yield url
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=30)


def new_base() -> str:
    """A programme IRI base of this test's own: its statements are told apart by their
    registration in the LRS that the session's tests share."""
    return f"https://t{uuid.uuid4().hex[:10]}.example.org"


def push(db: str, lrs: str, library_dir, *extra: str, password: str = "secret"):
    return run_cli(
        "records", "push", "--db", db, "--lrs", lrs, "--user", "coordinator",
        "--password", password, "--library", str(library_dir), *extra,
    )  # fmt: skip


def summary(result) -> tuple[int, int, int, int]:
    """(sent, skipped, voided, failed) from the push's last line."""
    found = re.search(
        r"(\d+) sent, (\d+) skipped \(unchanged\), (\d+) voided, (\d+) failed\.", result.stderr
    )
    assert found, result.stderr
    return tuple(int(x) for x in found.groups())  # type: ignore[return-value]


def client(lrs: str) -> Lrs:
    return Lrs(lrs, "coordinator", "secret")


def by_registration(lrs: str, iri: str, participant: str) -> list[dict]:
    return client(lrs).get(registration=registration(iri, participant))


def statement(lrs: str, statement_id: str) -> dict:
    url = client(lrs).endpoint + "?" + urllib.parse.urlencode({"statementId": statement_id})
    _status, data = client(lrs)._request("GET", url)
    found = json.loads(data)
    # The xAPI answer is the statement itself; ralph's file backend wraps it in a list.
    candidates = found.get("statements", [found])
    return next(s for s in candidates if s["id"] == statement_id)


def ledger(db: str, endpoint: str) -> list[tuple]:
    with open_store(db) as store, store.database.read() as tx:
        return tx.execute(
            "SELECT statement_key, statement_id, voided_at IS NOT NULL, voided_by FROM lrs_ledger "
            "WHERE endpoint = ? ORDER BY sent_at",
            (endpoint,),
        )


def test_push_sends_every_attempt_and_answer_and_reads_back(cohort, lrs, library_dir):
    base = new_base()
    result = push(cohort, lrs, library_dir, "--base-url", base, "--batch-size", "1000")
    assert result.returncode == 0, result.stderr
    sent = summary(result)
    # Ada 13 (two attempts of 6 and 5, her answer), Mo 8, Quinn 3 (her attempt so far, her
    # answer): see test_exports for each.
    assert sent == (24, 0, 0, 0)
    iri = f"{base}/programmes/pilot"
    back = by_registration(lrs, iri, "p-1")
    verbs = sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in back)
    assert verbs == sorted(
        ["initialized"] * 2 + ["answered"] * 4 + ["completed"] * 3 + ["passed"] * 2
        + ["terminated"] * 2
    )  # fmt: skip
    assert {s["actor"]["account"]["name"] for s in back} == {"p-1"}
    # Quinn's attempt in progress and the failed one's statements reach the LRS too.
    quinn = by_registration(lrs, iri, "q-3")
    assert sorted(s["verb"]["id"].rsplit("/", 1)[1] for s in quinn) == [
        "answered",
        "answered",
        "initialized",
    ]


def test_pushing_again_sends_only_what_changed(cohort, lrs, library_dir):
    base = new_base()
    first = push(cohort, lrs, library_dir, "--base-url", base)
    assert first.returncode == 0, first.stderr
    again = push(cohort, lrs, library_dir, "--base-url", base)
    assert again.returncode == 0, again.stderr
    assert summary(again) == (0, summary(first)[0], 0, 0)
    # Quinn finishes her attempt: her new statements go, the rest is skipped.
    from tests.store.helpers import play_plain

    play_plain(library_dir, cohort, ["keep"], "--participant", "q-3")
    third = push(cohort, lrs, library_dir, "--base-url", base)
    sent, skipped, voided, failed = summary(third)
    assert (sent, voided, failed) == (5, 0, 0)  # decision 2, completed, failed, terminated...
    assert skipped == summary(first)[0]


def test_a_corrected_name_voids_the_old_statements_and_sends_new_ones(cohort, lrs, library_dir):
    base = new_base()
    iri = f"{base}/programmes/pilot"
    assert push(cohort, lrs, library_dir, "--base-url", base).returncode == 0
    old = {s["id"]: s for s in by_registration(lrs, iri, "p-1")}
    with open_store(cohort) as store:
        from mentorquest.store import Profile

        ada = store.profile("p-1")
        store.save_profile(Profile(ada.id, "Ada King", ada.role, ada.email))
    result = push(cohort, lrs, library_dir, "--base-url", base)
    assert result.returncode == 0, result.stderr
    sent, skipped, voided, failed = summary(result)
    assert (sent, voided, failed) == (len(old), len(old), 0)
    now = by_registration(lrs, iri, "p-1")
    fresh = [s for s in now if s["id"] not in old]
    assert len(fresh) == len(old) and {s["actor"]["name"] for s in fresh} == {"Ada King"}
    # Each old statement is voided by a voiding statement the LRS holds.
    rows = {r[1]: r for r in ledger(cohort, client(lrs).endpoint)}
    for old_id in old:
        _key, _sid, is_voided, voiding_id = rows[old_id]
        assert is_voided
        voiding = statement(lrs, voiding_id)
        assert voiding["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
        assert voiding["object"] == {"objectType": "StatementRef", "id": old_id}


def test_pseudonymising_after_a_named_push_voids_the_named_statements(cohort, lrs, library_dir):
    from mentorquest.records.pseudonyms import installation_pseudonyms

    base = new_base()
    iri = f"{base}/programmes/pilot"
    first = push(cohort, lrs, library_dir, "--base-url", base)
    named = by_registration(lrs, iri, "p-1")
    result = push(cohort, lrs, library_dir, "--base-url", base, "--pseudonymise")
    assert result.returncode == 0, result.stderr
    assert summary(result) == (summary(first)[0], 0, summary(first)[0], 0)
    hidden = installation_pseudonyms().participant_id("p-1")
    pseudonymous = by_registration(lrs, iri, hidden)
    assert len(pseudonymous) == len(named)
    assert "Ada" not in json.dumps(pseudonymous) and "p-1" not in json.dumps(pseudonymous)
    voided = {r[1] for r in ledger(cohort, client(lrs).endpoint) if r[2]}
    assert {s["id"] for s in named} <= voided


def test_pseudonymising_after_a_named_push_voids_what_imported_records_sent(
    cohort, lrs, library_dir, tmp_path
):
    # A coordinator's store knows most attempts only from the records it imported: their
    # statements are kept in the ledger by the attempts' real ids, so that pseudonymised
    # statements replace (void) the named ones rather than join them.
    exported = tmp_path / "records.jsonl"
    made = run_cli(
        "records", "export", "--db", cohort, "--format", "jsonl", "--out", str(exported)
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    store = f"sqlite:///{tmp_path / 'coordinator.db'}"
    taken = run_cli("records", "import", "--db", store, str(exported))
    assert taken.returncode == 0, taken.stderr
    base = new_base()
    first = push(store, lrs, library_dir, "--base-url", base)
    assert first.returncode == 0, first.stderr
    sent = summary(first)[0]
    assert sent > 0
    result = push(store, lrs, library_dir, "--base-url", base, "--pseudonymise")
    assert result.returncode == 0, result.stderr
    assert summary(result) == (sent, 0, sent, 0)
    rows = ledger(store, client(lrs).endpoint)
    assert sum(1 for r in rows if r[2]) == sent  # every named statement voided


def test_another_programme_iri_voids_and_resends_under_the_new_one(cohort, lrs, library_dir):
    base, other = new_base(), new_base()
    first = push(cohort, lrs, library_dir, "--base-url", base)
    result = push(cohort, lrs, library_dir, "--base-url", other)
    assert summary(result) == (summary(first)[0], 0, summary(first)[0], 0)
    moved = by_registration(lrs, f"{other}/programmes/pilot", "p-1")
    assert {s["actor"]["account"]["homePage"] for s in moved} == {f"{other}/programmes/pilot"}


def test_free_text_sent_once_is_voided_when_left_out(cohort, lrs, library_dir):
    base = new_base()
    assert push(cohort, lrs, library_dir, "--base-url", base, "--include-free-text").returncode == 0
    texts = [r for r in ledger(cohort, client(lrs).endpoint) if r[0].endswith("/after/most-useful")]
    assert len(texts) == 2  # Ada's and Mo's answers
    result = push(cohort, lrs, library_dir, "--base-url", base)
    sent, _skipped, voided, failed = summary(result)
    assert (sent, voided, failed) == (0, 2, 0)


def test_a_conflict_does_not_stop_the_push(cohort, lrs, library_dir, tmp_path):
    base = new_base()
    out = tmp_path / "statements.json"
    exported = run_cli(
        "records", "export", "--db", cohort, "--format", "xapi", "--base-url", base,
        "--library", str(library_dir), "--out", str(out),
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    statements = json.loads(out.read_text())
    taken = statements[3]
    # Someone else's statement already has that id in the LRS: pushing ours is a conflict.
    squatter = {**taken, "result": {"response": "something else"}}
    client(lrs).post([squatter])
    result = push(cohort, lrs, library_dir, "--base-url", base, "--batch-size", "10")
    assert result.returncode == 1
    assert summary(result) == (len(statements) - 1, 0, 0, 1)
    assert f"statement {taken['id']}" in result.stderr and "409" in result.stderr
    assert "Traceback" not in result.stderr
    # Everything else arrived.
    iri = f"{base}/programmes/pilot"
    here = {s["id"] for p in ("p-1", "m-2", "q-3") for s in by_registration(lrs, iri, p)}
    assert {s["id"] for s in statements} - here == set()
    # The next push tries only the one that failed.
    again = push(cohort, lrs, library_dir, "--base-url", base)
    assert summary(again) == (0, len(statements) - 1, 0, 1)


def test_push_without_the_programmes_iri_is_refused(cohort, lrs):
    result = run_cli(
        "records", "push", "--db", cohort, "--lrs", lrs, "--user", "coordinator",
        "--password", "secret",
    )  # fmt: skip
    assert result.returncode == 2
    assert "set `iri:` in its programme.yaml" in result.stderr


def test_wrong_credentials_are_one_clear_line(cohort, lrs, library_dir):
    result = push(cohort, lrs, library_dir, password="wrong")
    assert result.returncode == 1
    assert "refused the credentials" in result.stderr and "Traceback" not in result.stderr


def test_an_unreachable_lrs_is_retried_then_reported():
    lrs = Lrs(f"http://127.0.0.1:{free_port()}/xAPI", "u", "p", retries=2, backoff=0.01)
    with pytest.raises(LrsError, match="cannot reach the LRS"):
        lrs.post([{"id": "x"}])


# --- answers that are not an LRS's: redirects, unacknowledged posts, silence ----------------


class _Recorder:
    """A real HTTP server on 127.0.0.1 (http.server, in a thread) that notes every request
    and answers as `answer(method, path)` says: (status, headers, body)."""

    def __init__(self, answer) -> None:
        import http.server
        import threading

        self.requests: list[tuple[str, str, str | None]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                outer.requests.append((self.command, self.path, self.headers.get("Authorization")))
                status, headers, body = answer(self.command, self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _any

            def log_message(self, *args) -> None:  # quiet
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_redirect_is_not_followed_and_the_push_names_where_it_leads(cohort, lrs, library_dir):
    base = new_base()
    target = f"{lrs}/statements"

    def moved(_method, _path):
        return 301, {"Location": target}, b""

    with _Recorder(moved) as redirect:
        result = push(cohort, f"{redirect.url}/xAPI", library_dir, "--base-url", base)
        seen = list(redirect.requests)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"mentorquest: error: the LRS at {redirect.url}/xAPI/statements answered 301, "
        f"redirecting to {target}: mentorquest sends statements to the address given and "
        f"never on to another; if that is your LRS, give --lrs {lrs}"
    ]
    assert [m for m, _p, _a in seen] == ["POST"]  # one request, not turned into a GET
    # Nothing reached the real LRS, and nothing is in the ledger: the next push sends all.
    assert by_registration(lrs, f"{base}/programmes/pilot", "p-1") == []
    assert ledger(cohort, f"{redirect.url}/xAPI/statements") == []


def test_credentials_never_go_to_another_host(cohort, library_dir):
    base = new_base()

    def stored(_method, _path):
        return 200, {"Content-Type": "application/json"}, b"[]"

    with _Recorder(stored) as elsewhere:

        def found(_method, path):
            return 302, {"Location": f"{elsewhere.url}{path}"}, b""

        with _Recorder(found) as redirect:
            result = push(cohort, f"{redirect.url}/xAPI", library_dir, "--base-url", base)
        assert result.returncode == 1
        assert f"redirecting to {elsewhere.url}/xAPI/statements" in result.stderr
        assert [a for _m, _p, a in redirect.requests][0].startswith("Basic ")
        assert elsewhere.requests == []  # no request, so no credentials


@pytest.mark.parametrize(
    ("status", "body"),
    [(200, b"not json"), (200, b'["a"]'), (200, b'{"ok": true}'), (200, b"[]"), (204, b"")],
)
def test_an_answer_that_does_not_acknowledge_the_statements_counts_them_failed(
    cohort, library_dir, status, body
):
    base = new_base()

    def answer(method, _path):
        if method == "GET":  # asked whether it holds a statement: it does not say it does
            return 200, {"Content-Type": "application/json"}, b"[]"
        return status, {"Content-Type": "application/json"}, body

    with _Recorder(answer) as endpoint:
        result = push(cohort, f"{endpoint.url}/xAPI", library_dir, "--base-url", base)
        again = push(cohort, f"{endpoint.url}/xAPI", library_dir, "--base-url", base)
    assert result.returncode == 1, result.stderr
    sent, skipped, voided, failed = summary(result)
    assert (sent, skipped, voided) == (0, 0, 0) and failed > 0
    assert "not acknowledged" in result.stderr or "did not acknowledge" in result.stderr
    assert "Traceback" not in result.stderr
    assert ledger(cohort, f"{endpoint.url}/xAPI/statements") == []
    assert summary(again) == (0, 0, 0, failed)  # tried again, never skipped as unchanged


def test_statements_the_lrs_already_holds_are_confirmed_not_assumed(cohort, lrs, library_dir):
    # ralph answers a batch it holds whole with 204 and lists only what it newly stored:
    # what it left out counts as sent once the LRS confirms it holds it.
    base = new_base()
    assert push(cohort, lrs, library_dir, "--base-url", base).returncode == 0
    other = f"sqlite:///{cohort.removeprefix('sqlite:///')}.copy"
    import shutil

    shutil.copy(cohort.removeprefix("sqlite:///"), other.removeprefix("sqlite:///"))
    with open_store(other) as store, store.database.write() as tx:
        tx.execute("DELETE FROM lrs_ledger")
    again = push(other, lrs, library_dir, "--base-url", base)
    assert again.returncode == 0, again.stderr
    sent, skipped, voided, failed = summary(again)
    assert (skipped, voided, failed) == (0, 0, 0) and sent > 0


def test_credentials_in_the_lrs_address_are_used_and_never_shown(cohort, lrs, library_dir):
    base = new_base()
    parts = urllib.parse.urlsplit(lrs)
    with_user = f"{parts.scheme}://coordinator:secret@{parts.netloc}{parts.path}"
    result = run_cli(
        "records", "push", "--db", cohort, "--lrs", with_user, "--library", str(library_dir),
        "--base-url", base,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "secret" not in result.stderr and "coordinator:" not in result.stderr
    assert f"Pushed to {lrs}/statements" in result.stderr
    unreachable = run_cli(
        "records", "push", "--db", cohort, "--lrs",
        f"http://u:TOPSECRET@127.0.0.1:{free_port()}/xAPI", "--base-url", base,
        "--library", str(library_dir),
    )  # fmt: skip
    assert unreachable.returncode == 1
    assert "TOPSECRET" not in unreachable.stderr + unreachable.stdout
    assert "cannot reach the LRS at http://127.0.0.1:" in unreachable.stderr
    both = run_cli(
        "records", "push", "--db", cohort, "--lrs", with_user, "--user", "x",
        "--base-url", base, "--library", str(library_dir),
    )  # fmt: skip
    assert both.returncode == 2 and "secret" not in both.stderr
    assert "give the LRS credentials once" in both.stderr


def test_an_lrs_that_never_answers_is_given_up_on_at_the_read_timeout():
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    accepted: list[socket.socket] = []

    def accept() -> None:  # takes the connection and the request, and says nothing
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            accepted.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    port = listener.getsockname()[1]
    lrs = Lrs(f"http://127.0.0.1:{port}/xAPI", "u", "p", backoff=0.01, read_timeout=0.5)
    started = time.monotonic()
    try:
        with pytest.raises(LrsError, match=r"did not answer within 0\.5 s"):
            lrs.post([{"id": "x"}])
    finally:
        listener.close()
        for conn in accepted:
            conn.close()
    assert time.monotonic() - started < 5  # no retry of a post that may have arrived
    assert len(accepted) == 1


def test_push_help_states_the_timeouts():
    result = run_cli("records", "push", "--help")
    assert "10 s to connect" in result.stdout and "30 s" in result.stdout


@pytest.mark.parametrize(
    "lrs_address", ["http://[::1", "http://host:port/xapi", "http://[::1]:99999"]
)
def test_an_address_that_cannot_be_parsed_is_one_line(cohort, library_dir, lrs_address):
    result = push(cohort, lrs_address, library_dir, "--base-url", new_base())
    assert result.returncode in (1, 2), result.stderr
    assert "is not an LRS address" in result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr


def test_a_redirect_to_no_address_is_one_line(cohort, library_dir):
    def moved(_method, _path):
        return 302, {"Location": "http://[oops/x"}, b""

    with _Recorder(moved) as redirect:
        result = push(cohort, f"{redirect.url}/xAPI", library_dir, "--base-url", new_base())
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "redirecting to 'http://[oops/x', which is not an address" in line


@pytest.mark.parametrize("command", [("records", "export", "--format", "csv"), ("report",)])
def test_a_date_beyond_the_calendar_is_one_line(cohort, command):
    result = run_cli(*command, "--db", cohort, "--until", "9999-12-31")
    assert result.returncode == 2
    assert "--until '9999-12-31' is beyond the dates mentorquest can compare" in result.stderr
