"""`mentorquest records ...`: list, export, import, verify, push, key — for coordinators.

Rich is imported inside the commands (tables, progress bars); the records and store
packages it drives never import it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from rich.console import Console

    from mentorquest.engine.record import CompletionRecord
    from mentorquest.language.library import Library
    from mentorquest.records.outgoing import Scope
    from mentorquest.records.standing import Programmes
    from mentorquest.store import Store

from mentorquest.errors import UsageError
from mentorquest.records.exports import FORMATS
from mentorquest.settings import Settings
from mentorquest.textsafe import clip

DB_HELP = "Store URL (default: MENTORQUEST_DB, or the SQLite file in your data folder)."


F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    return click.option("--db", "db_url", metavar="URL", help=DB_HELP)(function)


def programme_option(function: F) -> F:
    return click.option("--programme", metavar="ID", help="Only this programme.")(function)


def since_option(function: F) -> F:
    function = click.option(
        "--until",
        metavar="DATE",
        help="Only what happened up to DATE, that day included (UTC; with a time, "
        "before that time).",
    )(function)
    return click.option(
        "--since",
        metavar="DATE",
        help="Only what happened from DATE on, that day included (UTC): attempts finished, "
        "answers given, records completed.",
    )(function)


def library_option(function: F) -> F:
    return click.option(
        "--library",
        metavar="DIR",
        help="The programme's scenario library: its requirements, titles, questions and "
        "IRI (default: MENTORQUEST_LIBRARY, or the bundled programme).",
    )(function)


def pseudonymise_option(function: F) -> F:
    return click.option(
        "--pseudonymise",
        "--pseudonymize",
        "pseudonymise",
        is_flag=True,
        help="Replace participant ids, names and emails with a keyed hash of the id "
        "(the same in every export of this installation).",
    )(function)


def base_url_option(function: F) -> F:
    return click.option(
        "--base-url",
        metavar="URL",
        default=None,
        help="Base of the programme's IRI for xAPI ids (URL/programmes/ID), instead of "
        "`iri:` in programme.yaml (or MENTORQUEST_XAPI_BASE).",
    )(function)


def _open_store(db_url: str | None) -> Store:
    from mentorquest.store import open_store

    return open_store(db_url)


def existing_store(db_url: str | None) -> Store:
    """The store, for a command that only reads it (or reads it first): a SQLite file that
    is not there is "no store at PATH", never created empty to report nothing from."""
    import os

    from mentorquest.store import StoreError
    from mentorquest.store.database import resolve_url

    where = resolve_url(db_url)
    if where.dialect == "sqlite" and where.target != ":memory:":
        if not os.path.exists(where.target):
            raise StoreError(f"no store at {safe(where.target)}")
    return _open_store(db_url)


def parse_since(value: str | None, option: str = "--since") -> str | None:
    """DATE or DATE-TIME (ISO 8601) -> the UTC timestamp text records are compared with.

    For --until a date alone means the end of that day (up to the next day's start)."""
    if value is None:
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"{option} takes a date such as 2026-01-31 (or 2026-01-31T09:00); got '{value}'"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        if option == "--until" and len(text) == 10:  # a date: all of that day
            moment += timedelta(days=1)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    except OverflowError:
        raise UsageError(
            f"{option} '{value}' is beyond the dates mentorquest can compare (leave the "
            "option out for no limit)"
        ) from None


def scope_of(programme: str | None, since: str | None, until: str | None) -> Scope:
    from mentorquest.records.outgoing import Scope

    found = Scope(programme, parse_since(since), parse_since(until, "--until"))
    if found.since and found.until and found.until <= found.since:
        raise UsageError(f"--until ({until}) must come after --since ({since})")
    return found


def programmes_of(library: str | None) -> Programmes:
    """The library given (or the default one, when it can be read) as known programmes."""
    from mentorquest.records.standing import Programmes

    lib = _quiet_library(library)
    return Programmes([lib] if lib is not None else [])


def check_programme(store: Store, programme: str | None, programmes: Programmes) -> None:
    """--programme names a programme the store or the library knows; else one line naming
    the known ones (a typo would otherwise give an empty export, as if nobody had played)."""
    if programme is None:
        return
    with store.reading() as reader:
        known = set(reader.programme_ids()) | set(programmes.libraries)
    if programme not in known:
        listed = ", ".join(clip(p) for p in sorted(known)) if known else "none yet"
        raise UsageError(f"unknown programme '{clip(programme)}'; known programmes: {listed}")


def iris_for(
    store: Store, scope: Scope, programmes: Programmes, base_url: str | None
) -> dict[str, str]:
    """Each programme's IRI, before anything is written; refused, naming the setting, for a
    programme that has none."""
    from mentorquest.records.xapi import programme_iri

    with store.reading() as reader:
        ids = [p for p in reader.programme_ids() if scope.programme in (None, p)]
    env = Settings.from_env().xapi_base
    return {
        pid: programme_iri(pid, programmes.libraries.get(pid), base_url=base_url, env_base=env)
        for pid in ids
    }


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
def output_file(
    out: str | None, *, newline: str | None = None, example: str = "out.txt"
) -> Iterator[tuple[IO[str], bool]]:
    """Write to --out whole or not at all (`mentorquest.outfiles`), or to standard output."""
    from mentorquest.outfiles import writing

    if out is None or out == "-":
        yield sys.stdout, False
        sys.stdout.flush()
        return
    with writing(out, newline=newline, example=example) as handle:
        yield handle, True


@click.group()
def records() -> None:
    """Completion records: list, export, import, verify and push them."""


@records.command("list")
@db_option
@programme_option
@library_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table (the terminal), csv (spreadsheets) or json (one array).",
)
@click.option("--out", metavar="FILE", help="Write to FILE (default: standard output).")
@pseudonymise_option
def list_records(
    db_url: str | None,
    programme: str | None,
    library: str | None,
    fmt: str,
    out: str | None,
    pseudonymise: bool,
) -> None:
    """Every participant: role, progress, completed or not, what is missing."""
    from mentorquest.records.exports import list_rows, write_list_csv, write_list_json
    from mentorquest.records.outgoing import Needs, Privacy, Scope, participants

    programmes = programmes_of(library)
    idle = next(iter(programmes.libraries), None)
    with existing_store(db_url) as store:
        check_programme(store, programme, programmes)
        bundles = participants(
            store,
            scope=Scope(programme),
            privacy=Privacy(pseudonymise=pseudonymise),
            needs=Needs(attempts=True, answers=True, idle=True),
            kinds=programmes.kind,
            idle_programme=idle,
            on_problem=warn,
        )
        rows = list_rows(bundles, programmes)
        if fmt == "table":
            _list_table(list(rows))
            return
        with output_file(
            out, newline="" if fmt == "csv" else None, example=f"participants.{fmt}"
        ) as (handle, to_file):
            if fmt == "csv":
                write_list_csv(rows, handle, to_file=to_file)
            else:
                write_list_json(rows, handle)


def _list_table(rows: list[dict[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    from mentorquest.cli.report import stdout_console

    console = stdout_console()
    if not rows:
        console.print("No participants in this store yet.")
        return
    table = Table(title="Participants", title_justify="left")
    for heading in ("Participant", "Name", "Role", "Progress", "Completed", "Set aside"):
        table.add_column(heading, justify="right" if heading == "Progress" else "left")
    for row in sorted(rows, key=lambda r: (r["name"].lower(), r["participant_id"])):
        required = row["required"]
        progress = (
            f"{row['passed']} of {required}" if required is not None else f"{row['passed']} passed"
        )
        completed = row["completed_at"][:10] or "no"
        # Set aside: saved attempts whose path did not replay, kept for a coordinator to see.
        aside = f"{row['set_aside']} attempt(s)" if row["set_aside"] else "-"
        cells = (row["participant_id"], row["name"], row["role"] or "-", progress, completed, aside)
        table.add_row(*(Text(safe(str(c))) for c in cells))
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
    help="csv (spreadsheets), jsonl (signed records) or xapi (xAPI 1.0.3 statements).",
)
@click.option("--out", metavar="FILE", help="Write to FILE (default: standard output).")
@programme_option
@since_option
@library_option
@click.option(
    "--include-incomplete",
    is_flag=True,
    help="csv: also participants in progress, with what they passed and what is missing.",
)
@click.option(
    "--include-free-text",
    is_flag=True,
    help="Keep free-text survey answers in jsonl and xapi (left out by default; the CSV "
    "has no survey answers).",
)
@pseudonymise_option
@base_url_option
def export(
    db_url: str | None,
    fmt: str,
    out: str | None,
    programme: str | None,
    since: str | None,
    until: str | None,
    library: str | None,
    include_incomplete: bool,
    include_free_text: bool,
    pseudonymise: bool,
    base_url: str | None,
) -> None:
    """Export each participant's latest record (CSV, signed JSONL), or every attempt and
    survey answer as xAPI statements."""
    from mentorquest.records.exports import export as write_export
    from mentorquest.records.outgoing import Privacy

    scope = scope_of(programme, since, until)
    if include_incomplete and fmt != "csv":
        raise UsageError(
            "--include-incomplete is for --format csv (jsonl holds signed completion records; "
            "xapi already has every attempt)"
        )
    if include_free_text and fmt == "csv":
        # Said, not ignored: whoever asked for the answers would otherwise think there were none.
        raise UsageError(
            "--include-free-text is for --format jsonl or xapi: the CSV has no survey answers"
        )
    privacy = Privacy(include_free_text=include_free_text, pseudonymise=pseudonymise)
    chosen = FORMATS[fmt]
    programmes = programmes_of(library)
    with existing_store(db_url) as store:
        check_programme(store, programme, programmes)
        iris = iris_for(store, scope, programmes, base_url) if chosen.needs_iri else {}
        total = store.count_records(programme) if not (chosen.whole or include_incomplete) else None
        with (
            progress_bar(f"Exporting {fmt}", total) as advance,
            output_file(out, newline=chosen.newline, example=f"cohort.{fmt}") as (handle, to_file),
        ):
            count = write_export(
                store,
                fmt,
                handle,
                scope=scope,
                privacy=privacy,
                programmes=programmes,
                iris=iris,
                include_incomplete=include_incomplete,
                to_file=to_file,
                on_record=advance,
                on_problem=warn,
            )
    if out and out != "-":
        unit = "participants" if include_incomplete else chosen.unit
        click.echo(f"Wrote {count} {unit} to {out}.", err=True)


def _trusted(trust: tuple[str, ...], trust_any: bool) -> dict[str, str] | None:
    """Public key -> name of the signers accepted in this run (None: any signer)."""

    if trust_any:
        return None
    return _known_signers(trust)


def _known_signers(trust: tuple[str, ...]) -> dict[str, str]:
    """Public key -> name of every signer this installation knows (and --trust KEYFILE)."""
    from mentorquest.records.signing import read_trusted_key
    from mentorquest.records.trust import trusted_names

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
    from mentorquest.records.verification import examine

    trusted = _trusted(trust, trust_any)
    names = trusted if trusted is not None else _known_signers(trust)
    lib = _open_library(library) if library else None
    good = bad = 0
    for label, data, problem in read_many([Path(name) for name in files]):
        shown = safe(label)
        if data is None:
            bad += 1
            click.echo(f"{shown}: FAILED: {safe(problem)}", err=True)
            continue
        found = examine(data, trusted=trusted, library=lib, names=names)
        who = f" record {clip(found.record_id)}:" if found.record_id else ""
        signer = f", signed by {clip(found.signer)}" if found.signer else ""
        if found.ok:
            good += 1
            click.echo(f"{shown}:{who} intact{signer}")
        else:
            bad += 1
            by = f" (signed by {clip(found.signer)})" if found.signer else ""
            for failure in found.failures:
                click.echo(f"{shown}:{who} FAILED: {safe(failure)}{by}", err=True)
        for flag in found.flags:
            click.echo(f"{shown}:{who} FLAG: {safe(flag)}")
    summary = f"{good} record(s) intact, {bad} failed verification"
    if lib is not None:
        summary += f"; paths replayed against {safe(library or '')}"
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
@click.option(
    "--library",
    metavar="DIR",
    help="Also replay every record's paths against this scenario library, as verify does; "
    "a record whose paths do not give its results is not imported.",
)
def import_records(
    db_url: str | None,
    files: tuple[str, ...],
    trust: tuple[str, ...],
    trust_any: bool,
    library: str | None,
) -> None:
    """Store records sent in by participants, after verifying each (idempotent).

    Only records from trusted signers are imported (`records trust`); each must be intact
    and consistent, and with --library its paths must replay."""
    from mentorquest.records.files import read_many
    from mentorquest.records.verification import examine

    trusted = _trusted(trust, trust_any)
    names = trusted if trusted is not None else _known_signers(trust)
    lib = _open_library(library) if library else None
    failures = added = already = 0
    chunk: list[tuple[str, CompletionRecord]] = []

    def keep(store: Store) -> None:
        nonlocal failures, added, already
        new, same, conflicts = _sort_out(store, chunk)
        for label, record, differs in conflicts:
            failures += 1
            click.echo(
                f"{safe(label)}: record {clip(record.record_id)}: not imported: a different "
                f"record with this id is already in the store (it differs in {differs}); "
                "the stored one is kept",
                err=True,
            )
        added += store.add_records(new, source="imported")
        already += same
        chunk.clear()

    with _open_store(db_url) as store, progress_bar("Importing", None) as advance:
        # One chunk at a time: a large batch is never held whole in memory.
        for label, data, problem in read_many([Path(name) for name in files]):
            advance()
            if data is None:
                failures += 1
                click.echo(f"{safe(label)}: not imported: {safe(problem)}", err=True)
                continue
            found = examine(data, trusted=trusted, library=lib, names=names)
            if not found.ok or found.record is None:
                failures += 1
                who = f" record {clip(found.record_id)}:" if found.record_id else ""
                click.echo(f"{safe(label)}:{who} not imported: {safe(found.failures[0])}", err=True)
                continue
            chunk.append((label, found.record))
            if len(chunk) >= 500:
                keep(store)
        keep(store)
    tail = f"; paths replayed against {safe(library)}" if library else ""
    tail += "; any signer accepted (--trust-any)" if trusted is None else ""
    click.echo(
        f"Imported {added} record(s); {already} already in the store; {failures} rejected{tail}.",
        err=True,
    )
    sys.exit(1 if failures else 0)


def _sort_out(
    store: Store, chunk: list[tuple[str, CompletionRecord]]
) -> tuple[list[CompletionRecord], int, list[tuple[str, CompletionRecord, str]]]:
    """Records to add, how many are copies of kept ones, and those whose id is taken by a
    different record (kept, or earlier in the same batch), with the fields that differ.

    Content is compared, not signatures: the same record signed again (by another trusted
    signer) is a copy; a record edited and signed again under the same id is a conflict."""
    kept = store.records_by_id(sorted({record.record_id for _, record in chunk}))
    new: list[CompletionRecord] = []
    same = 0
    conflicts: list[tuple[str, CompletionRecord, str]] = []
    for label, record in chunk:
        earlier = kept.get(record.record_id)
        if earlier is None:
            kept[record.record_id] = record
            new.append(record)
            continue
        ours, theirs = earlier.unsigned(), record.unsigned()
        if ours == theirs:
            same += 1
        else:
            fields = [k for k in sorted(set(ours) | set(theirs)) if ours.get(k) != theirs.get(k)]
            conflicts.append((label, record, ", ".join(fields)))
    return new, same, conflicts


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
    click.echo(f"Trusted {clip(signer.name)} (key {fingerprint(signer.public_key)}).")


@trust_group.command("list")
def trust_list() -> None:
    """The trusted signers, with their keys' fingerprints."""
    from mentorquest.records.signing import own_public_key
    from mentorquest.records.trust import OWN_NAME, fingerprint, load

    click.echo(f"{OWN_NAME}: key {fingerprint(own_public_key())}")
    for signer in load().signers:
        click.echo(
            f"{clip(signer.name)}: key {fingerprint(signer.public_key)} (since {signer.added_at})"
        )


@trust_group.command("remove")
@click.argument("name")
def trust_remove(name: str) -> None:
    """Stop trusting the signer called NAME."""
    from mentorquest.records.trust import remove

    signer = remove(name)
    click.echo(f"No longer trusted: {clip(signer.name)}.")


@records.command("push")
@db_option
@click.option(
    "--lrs",
    "lrs_url",
    required=True,
    metavar="URL",
    help="The LRS endpoint (statements go to URL/statements); credentials may be given in "
    "it (https://USER:PASSWORD@host/xapi). Redirects are not followed.",
)
@click.option("--user", metavar="U", help="Basic auth user (or MENTORQUEST_LRS_USER).")
@click.option(
    "--password",
    metavar="P",
    help="Basic auth password (or MENTORQUEST_LRS_PASSWORD).",
)
@programme_option
@since_option
@library_option
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(1, 10000),
    help="Statements per request.",
)
@click.option(
    "--include-free-text",
    is_flag=True,
    help="Send free-text survey answers too (left out by default; sent ones are voided).",
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
    until: str | None,
    library: str | None,
    batch_size: int,
    include_free_text: bool,
    pseudonymise: bool,
    base_url: str | None,
) -> None:
    """Send every attempt and survey answer as xAPI statements to a learning record store.

    What this store sent to the LRS before is kept in a ledger: unchanged statements are
    skipped; changed ones (a corrected name, --pseudonymise, another IRI) are sent with
    new ids and the old ones voided. A statement the LRS refuses is counted as failed and
    the push goes on; only what the LRS acknowledged is noted as sent. Exit 1 when any
    failed.

    \b
    Waiting is bounded: 10 s to connect, 30 s for each answer."""
    from mentorquest.records.lrs import Lrs, split_credentials
    from mentorquest.records.outgoing import Needs, Privacy, participants
    from mentorquest.records.push import push as push_statements
    from mentorquest.records.xapi import Piece, pieces

    settings = Settings.from_env()
    if split_credentials(lrs_url)[1] is None:  # none in the address: the options, or the settings
        user, password = user or settings.lrs_user, password or settings.lrs_password
    lrs = Lrs(lrs_url, user, password)
    scope = scope_of(programme, since, until)
    privacy = Privacy(include_free_text=include_free_text, pseudonymise=pseudonymise)
    programmes = programmes_of(library)
    # Two connections: one reads the cohort as one consistent view while the other notes
    # in the ledger what reached the LRS, batch by batch.
    with existing_store(db_url) as store, _open_store(db_url) as ledger:
        check_programme(store, programme, programmes)
        iris = iris_for(store, scope, programmes, base_url)

        def every_piece() -> Iterator[Piece]:
            for bundle in participants(
                store,
                scope=scope,
                privacy=privacy,
                needs=Needs(attempts=True, answers=True),
                kinds=programmes.kind,
                on_problem=warn,
            ):
                yield from pieces(
                    bundle,
                    programmes.info(bundle.programme_id),
                    iris[bundle.programme_id],
                    include_free_text=include_free_text,
                )

        with progress_bar("Pushing statements", None) as advance:
            summary = push_statements(
                ledger, lrs, every_piece(), batch_size=batch_size, on_batch=advance
            )
    for problem in summary.problems[:20]:
        warn(problem)
    if len(summary.problems) > 20:
        warn(f"... and {len(summary.problems) - 20} more statements failed")
    click.echo(summary.line(lrs.endpoint), err=True)
    sys.exit(1 if summary.failed else 0)


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
