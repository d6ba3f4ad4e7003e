"""`mentorquest records ...`: list, export, import, verify, push, key — for coordinators.

Rich is imported inside the commands (tables, progress bars); the records and store
packages it drives never import it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from mentorquest.engine.record import CompletionRecord
    from mentorquest.language.library import Library
    from mentorquest.store import FinishedAttempt, Store

from mentorquest.errors import UsageError
from mentorquest.records.exports import FORMATS
from mentorquest.settings import Settings

DB_HELP = "Store URL (default: MENTORQUEST_DB, or the SQLite file in your data folder)."


F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    return click.option("--db", "db_url", metavar="URL", help=DB_HELP)(function)


def programme_option(function: F) -> F:
    return click.option("--programme", metavar="ID", help="Only this programme.")(function)


def since_option(function: F) -> F:
    return click.option(
        "--since", metavar="DATE", help="Only records completed on or after DATE (UTC)."
    )(function)


def pseudonymise_option(function: F) -> F:
    return click.option(
        "--pseudonymise",
        "--pseudonymize",
        "pseudonymise",
        is_flag=True,
        help="Replace names and emails with a stable hash of the participant id.",
    )(function)


def base_url_option(function: F) -> F:
    return click.option(
        "--base-url",
        metavar="URL",
        default=None,
        help="Base of xAPI activity ids and account home pages (or MENTORQUEST_XAPI_BASE).",
    )(function)


def _open_store(db_url: str | None) -> Store:
    from mentorquest.store import open_store

    return open_store(db_url)


def parse_since(value: str | None) -> str | None:
    """DATE or DATE-TIME (ISO 8601) -> the UTC timestamp text records are compared with."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--since takes a date such as 2026-01-31 (or 2026-01-31T09:00); got '{value}'"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def progress_bar(label: str, total: int | None) -> Iterator[Callable[..., None]]:
    """A Rich progress bar on stderr (hidden when stderr is not a terminal); yields advance()."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = _stderr_console()
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n=1: progress.advance(task, n)


@contextmanager
def output_file(out: str | None, *, newline: str | None = None) -> Iterator[tuple[IO[str], bool]]:
    """Write to --out atomically (a finished file or none), or to standard output."""
    if out is None or out == "-":
        yield sys.stdout, False
        sys.stdout.flush()
        return
    target = Path(out)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"cannot write {target}: folder {folder} does not exist")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle, True
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


@click.group()
def records() -> None:
    """Completion records: list, export, import, verify and push them."""


@records.command("list")
@db_option
@programme_option
@click.option(
    "--library",
    metavar="DIR",
    help="Scenario library, for progress (default: the bundled programme).",
)
def list_records(db_url: str | None, programme: str | None, library: str | None) -> None:
    """A table of participants: role, progress, completed or not."""
    from rich.table import Table
    from rich.text import Text

    from mentorquest.cli.report import stdout_console
    from mentorquest.records.requirements import best_attempts

    lib = _quiet_library(library)
    with _open_store(db_url) as store:
        profiles = store.profiles()
        attempts = store.finished_attempts(programme_id=programme)
        latest = {(r.participant.id, r.programme.id): r for r in store.records(programme)}
        aside: dict[str, int] = {}
        for kept in store.set_aside_attempts(programme_id=programme):
            aside[kept.participant_id] = aside.get(kept.participant_id, 0) + 1
    by_participant: dict[str, list[FinishedAttempt]] = {}
    for attempt in attempts:
        by_participant.setdefault(attempt.participant_id, []).append(attempt)
    table = Table(title="Participants", title_justify="left")
    for heading in ("Participant", "Name", "Role", "Progress", "Completed", "Set aside"):
        table.add_column(heading, justify="right" if heading == "Progress" else "left")
    people = {p.id: p for p in profiles}
    for record in latest.values():
        if record.participant.id not in people:
            from mentorquest.store import Profile

            r = record.participant
            people[r.id] = Profile(r.id, r.name, r.role, r.email)
    for person in sorted(people.values(), key=lambda p: (p.name.lower(), p.id)):
        done = [r for (pid, _), r in latest.items() if pid == person.id]
        if programme is not None and not done and person.id not in by_participant:
            continue
        best = best_attempts(by_participant.get(person.id, []))
        passed = {sid for sid, a in best.items() if a.result.passed}
        if done:
            progress = f"{len(done[0].scenarios)} of {len(done[0].scenarios)}"
        elif (
            lib is not None
            and person.role in lib.programme.roles
            and (programme in (None, lib.programme.id))
        ):
            required = lib.required_for(person.role)
            progress = f"{len(passed & set(required))} of {len(required)}"
        else:
            progress = f"{len(passed)} passed"
        completed = done[0].completed_at[:10] if done else "no"
        # Set aside: saved attempts whose path did not replay, kept for a coordinator to see.
        kept_aside = f"{aside[person.id]} attempt(s)" if aside.get(person.id) else "-"
        cells = (person.id, person.name, person.role or "-", progress, completed, kept_aside)
        table.add_row(*(Text(safe(cell)) for cell in cells))
    console = stdout_console()
    if not people:
        console.print("No participants in this store yet.")
        return
    console.print(table)


def _quiet_library(library: str | None) -> Library | None:
    """The library for progress figures, or None when it cannot be loaded (not an error here)."""
    from mentorquest.cli.main import library_root
    from mentorquest.errors import MentorquestError
    from mentorquest.language.compiled import open_library

    try:
        return open_library(library_root(library))
    except MentorquestError:
        if library:
            raise
        return None


@records.command("export")
@db_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    required=True,
    help="csv, jsonl (signed records) or xapi (xAPI 1.0.3 statements).",
)
@click.option("--out", metavar="FILE", help="Write to FILE (default: standard output).")
@programme_option
@since_option
@click.option(
    "--include-free-text", is_flag=True, help="Keep free-text survey answers (left out by default)."
)
@pseudonymise_option
@base_url_option
def export(
    db_url: str | None,
    fmt: str,
    out: str | None,
    programme: str | None,
    since: str | None,
    include_free_text: bool,
    pseudonymise: bool,
    base_url: str | None,
) -> None:
    """Export the latest record of each participant as CSV, JSONL or xAPI."""
    from mentorquest.records.exports import export as write_export
    from mentorquest.records.outgoing import Privacy
    from mentorquest.records.xapi import DEFAULT_BASE

    since_text = parse_since(since)
    privacy = Privacy(include_free_text=include_free_text, pseudonymise=pseudonymise)
    chosen = FORMATS[fmt]
    with _open_store(db_url) as store:
        total = store.count_records(programme)
        with (
            progress_bar(f"Exporting {fmt}", total) as advance,
            output_file(out, newline=chosen.newline) as (handle, to_file),
        ):
            count = write_export(
                store,
                fmt,
                handle,
                programme=programme,
                since=since_text,
                privacy=privacy,
                base=base_url or Settings.from_env().xapi_base or DEFAULT_BASE,
                to_file=to_file,
                on_record=advance,
                on_problem=warn,
            )
    if out and out != "-":
        click.echo(f"Wrote {count} {chosen.unit} to {out}.", err=True)


def _trusted(trust: tuple[str, ...], trust_any: bool) -> dict[str, str] | None:
    """Public key -> name of the signers accepted in this run (None: any signer)."""
    from mentorquest.records.signing import read_trusted_key
    from mentorquest.records.trust import trusted_names

    if trust_any:
        return None
    return trusted_names({read_trusted_key(Path(p)): f"{Path(p).name} (--trust)" for p in trust})


def trust_options(function: F) -> F:
    function = click.option(
        "--trust-any",
        is_flag=True,
        help="Accept records from any signer (the summary says so).",
    )(function)
    return click.option(
        "--trust",
        multiple=True,
        metavar="KEYFILE",
        help="Also trust this signer for this run (a .pub or PEM public key); repeatable.",
    )(function)


@records.command("verify")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@trust_options
@click.option(
    "--library",
    metavar="DIR",
    help="Replay every record's paths against this scenario library.",
)
def verify(
    files: tuple[str, ...], trust: tuple[str, ...], trust_any: bool, library: str | None
) -> None:
    """Check every record: its signature and signer, its consistency, and with --library
    a replay of its paths; flag attempts worth a look. Exit 1 naming each record that fails."""
    from mentorquest.records.files import read_many
    from mentorquest.records.verification import examine, replayable

    trusted = _trusted(trust, trust_any)
    lib = _open_library(library) if library else None
    good = bad = unreplayed = 0
    for label, data, problem in read_many([Path(name) for name in files]):
        shown = safe(label)
        if data is None:
            bad += 1
            click.echo(f"{shown}: FAILED: {safe(problem)}", err=True)
            continue
        found = examine(data, trusted=trusted, library=lib)
        who = f" record {safe(found.record_id)}" if found.record_id else ""
        signer = f", signed by {safe(found.signer)}" if found.signer else ""
        if found.ok:
            good += 1
            note = ""
            if found.record is not None and not replayable(found.record):
                unreplayed += 1
                note = " (format 1: no path to replay)"
            click.echo(f"{shown}:{who}: intact{signer}{note}")
        else:
            bad += 1
            by = f" (signed by {safe(found.signer)})" if found.signer else ""
            for failure in found.failures:
                click.echo(f"{shown}:{who}: FAILED: {safe(failure)}{by}", err=True)
        for flag in found.flags:
            click.echo(f"{shown}:{who}: FLAG: {safe(flag)}")
    summary = f"{good} record(s) intact, {bad} failed verification"
    if lib is not None:
        summary += f"; paths replayed against {safe(library or '')}"
        if unreplayed:
            summary += f" ({unreplayed} of format 1 have no path to replay)"
    else:
        summary += "; checked signatures and consistency only (give --library DIR to replay paths)"
    if trusted is None:
        summary += "; any signer accepted (--trust-any)"
    click.echo(summary + ".", err=bad > 0)
    sys.exit(1 if bad else 0)


def _open_library(library: str) -> Library:
    from mentorquest.language.compiled import open_library

    return open_library(Path(library))


def warn(message: str) -> None:
    click.echo(f"mentorquest: warning: {safe(message)}", err=True)


def safe(text: str) -> str:
    """Text from a record, a file or the store, as it may be shown on one line."""
    from mentorquest.textsafe import label

    return label(text)


@records.command("import")
@db_option
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@trust_options
def import_records(
    db_url: str | None, files: tuple[str, ...], trust: tuple[str, ...], trust_any: bool
) -> None:
    """Store records sent in by participants, after verifying each (idempotent).

    Only records from trusted signers are imported (`records trust`); each must be intact
    and consistent."""
    from mentorquest.records.files import read_many
    from mentorquest.records.verification import examine

    trusted = _trusted(trust, trust_any)
    failures = added = accepted = 0
    chunk: list[CompletionRecord] = []
    with _open_store(db_url) as store, progress_bar("Importing", None) as advance:
        # One chunk at a time: a large batch is never held whole in memory.
        for label, data, problem in read_many([Path(name) for name in files]):
            advance()
            if data is None:
                failures += 1
                click.echo(f"{safe(label)}: not imported: {safe(problem)}", err=True)
                continue
            found = examine(data, trusted=trusted)
            if not found.ok or found.record is None:
                failures += 1
                who = f" record {safe(found.record_id)}" if found.record_id else ""
                click.echo(
                    f"{safe(label)}:{who}: not imported: {safe(found.failures[0])}", err=True
                )
                continue
            chunk.append(found.record)
            accepted += 1
            if len(chunk) >= 500:
                added += store.add_records(chunk, source="imported")
                chunk = []
        added += store.add_records(chunk, source="imported")
    already = accepted - added
    tail = "; any signer accepted (--trust-any)" if trusted is None else ""
    click.echo(
        f"Imported {added} record(s); {already} already in the store; {failures} rejected{tail}.",
        err=True,
    )
    sys.exit(1 if failures else 0)


@records.group("trust")
def trust_group() -> None:
    """The signers whose records you accept (this installation is always trusted)."""


@trust_group.command("add")
@click.argument("keyfile", metavar="KEYFILE")
@click.option("--name", required=True, metavar="NAME", help="What you call this signer.")
def trust_add(keyfile: str, name: str) -> None:
    """Trust the signer whose public key is in KEYFILE (a .pub from `records key`, or PEM)."""
    from mentorquest.engine.state import utc_now
    from mentorquest.records.signing import read_trusted_key
    from mentorquest.records.trust import add, fingerprint

    signer = add(read_trusted_key(Path(keyfile)), name, utc_now())
    click.echo(f"Trusted {safe(signer.name)} (key {fingerprint(signer.public_key)}).")


@trust_group.command("list")
def trust_list() -> None:
    """The trusted signers, with their keys' fingerprints."""
    from mentorquest.records.signing import own_public_key
    from mentorquest.records.trust import OWN_NAME, fingerprint, load

    click.echo(f"{OWN_NAME}: key {fingerprint(own_public_key())}")
    for signer in load().signers:
        click.echo(
            f"{safe(signer.name)}: key {fingerprint(signer.public_key)} (since {signer.added_at})"
        )


@trust_group.command("remove")
@click.argument("name")
def trust_remove(name: str) -> None:
    """Stop trusting the signer called NAME."""
    from mentorquest.records.trust import remove

    signer = remove(name)
    click.echo(f"No longer trusted: {safe(signer.name)}.")


@records.command("push")
@db_option
@click.option(
    "--lrs",
    "lrs_url",
    required=True,
    metavar="URL",
    help="The LRS endpoint (statements go to URL/statements).",
)
@click.option("--user", metavar="U", help="Basic auth user (or MENTORQUEST_LRS_USER).")
@click.option(
    "--password",
    metavar="P",
    help="Basic auth password (or MENTORQUEST_LRS_PASSWORD).",
)
@programme_option
@since_option
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10000),
    help="Statements per request.",
)
@pseudonymise_option
@base_url_option
def push(
    db_url: str | None,
    lrs_url: str,
    user: str | None,
    password: str | None,
    programme: str | None,
    since: str | None,
    batch_size: int,
    pseudonymise: bool,
    base_url: str | None,
) -> None:
    """Send the records as xAPI statements to a learning record store, in batches."""
    from mentorquest.records.lrs import Lrs
    from mentorquest.records.lrs import push as push_statements
    from mentorquest.records.outgoing import Privacy, outgoing
    from mentorquest.records.xapi import DEFAULT_BASE, statements

    settings = Settings.from_env()
    lrs = Lrs(lrs_url, user or settings.lrs_user, password or settings.lrs_password)
    since_text = parse_since(since)
    privacy = Privacy(pseudonymise=pseudonymise)
    with _open_store(db_url) as store:

        def all_statements() -> Iterator[dict[str, Any]]:
            for record in outgoing(
                store, programme=programme, since=since_text, privacy=privacy, on_problem=warn
            ):
                yield from statements(record, base=base_url or settings.xapi_base or DEFAULT_BASE)

        with progress_bar("Pushing statements", None) as advance:
            sent = push_statements(lrs, all_statements(), batch_size=batch_size, on_batch=advance)
    click.echo(f"Sent {sent} statement(s) to {lrs.endpoint}.", err=True)


@records.command("key")
def key() -> None:
    """Print this installation's public signing key (give it to whoever verifies with --trust)."""
    from mentorquest.records.signing import (
        PUBLIC_KEY_FILE,
        key_path,
        load_or_create_key,
        public_key_text,
    )

    private = load_or_create_key()
    click.echo(public_key_text(private.public_key()))
    click.echo(f"(saved as {key_path().with_name(PUBLIC_KEY_FILE)})", err=True)
