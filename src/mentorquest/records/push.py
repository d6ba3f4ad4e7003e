"""`records push`: statements to a learning record store, with a ledger that survives
corrections.

For each LRS endpoint the store keeps a ledger of every statement sent: its key (what it
is about, see `xapi.Piece`), its id and a digest of its content. Pushing again:

- a statement whose content is unchanged since it was sent is skipped;
- a changed one (a corrected name, a pseudonym after a named push, another programme
  IRI, a result that changed) is sent with a new id, and once it is stored the statement
  it replaces is voided with an xAPI voiding statement (verb `voided`, object a
  StatementRef), so the LRS keeps its history and reports only the correction;
- what may no longer be sent (free text, once a push leaves it out) is voided;
- a statement the LRS refuses (409 Conflict, 400), or does not acknowledge (its answer
  is not the list of the ids sent), is counted as failed and the push goes on; only
  refused credentials, a redirect or an LRS that cannot be reached stop it, and what was
  sent before then is in the ledger, so the next push carries on from there.

Only what the LRS acknowledged is written in the ledger: a statement not acknowledged is
sent again next time, never skipped as unchanged.

A new statement is stored before the one it replaces is voided: a push stopped half-way
leaves the LRS with both for a while, never with neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mentorquest.records.lrs import Lrs, LrsRejected, LrsUnacknowledged
from mentorquest.records.xapi import Piece, digest, statement_text, voiding_text
from mentorquest.store import LedgerEntry

if TYPE_CHECKING:
    from mentorquest.store import Store


@dataclass
class PushSummary:
    sent: int = 0
    skipped: int = 0
    voided: int = 0
    failed: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self, endpoint: str) -> str:
        return (
            f"Pushed to {endpoint}: {self.sent} sent, {self.skipped} skipped (unchanged), "
            f"{self.voided} voided, {self.failed} failed."
        )


def _stamp() -> str:
    # Microseconds: the ledger orders a key's statements by when they were sent.
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _chunks(items: Iterable[Piece], size: int) -> Iterator[list[Piece]]:
    chunk: list[Piece] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Send:
    """A statement to send: its key and content, its id and text."""

    __slots__ = ("digest", "iri", "key", "replaces", "statement_id", "text")

    def __init__(self, piece: Piece, generation: int, replaces: list[str]) -> None:
        assert piece.body is not None
        self.key = piece.key
        self.iri = piece.iri
        self.digest = digest(piece.body)
        self.text = statement_text(piece.key, piece.body, generation)
        self.statement_id = self.text[7:43]  # {"id":"<36 characters>"
        self.replaces = replaces


def push(
    ledger_store: Store,
    lrs: Lrs,
    pieces: Iterable[Piece],
    *,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
) -> PushSummary:
    """Send what changed since the last push to this LRS; void what it replaces."""
    endpoint = lrs.endpoint
    summary = PushSummary()
    for chunk in _chunks(pieces, batch_size):
        ledger = ledger_store.ledger(endpoint, [p.key for p in chunk])
        sends: list[_Send] = []
        voids: list[tuple[str, str]] = []  # (statement id, IRI of its programme)
        for piece in chunk:
            entries = ledger.get(piece.key, [])
            live = [e for e in entries if not e.voided]
            current = live[-1] if live else None
            # Statements a stopped push sent for this key before its latest: void them now.
            voids += [(e.statement_id, piece.iri) for e in live[:-1]]
            if piece.body is None:  # kept back now: what the LRS holds for it goes
                if current is not None:
                    voids.append((current.statement_id, piece.iri))
                continue
            if current is not None and current.digest == digest(piece.body):
                summary.skipped += 1
                continue
            replaces = [current.statement_id] if current is not None else []
            sends.append(_Send(piece, len(entries), replaces))
        arrived = _send(lrs, sends, summary)
        ledger_store.note_sent(
            endpoint,
            [LedgerEntry(s.key, s.statement_id, s.digest, _stamp()) for s in arrived],
        )
        summary.sent += len(arrived)
        voids += [(old, s.iri) for s in arrived for old in s.replaces]
        voided = _void(lrs, voids, summary)
        ledger_store.note_voided(endpoint, voided)
        summary.voided += len(voided)
        if on_batch is not None:
            on_batch(len(chunk))
    return summary


def _send(lrs: Lrs, sends: list[_Send], summary: PushSummary) -> list[_Send]:
    """POST the statements in one batch; if the LRS refuses the batch, one by one, counting
    each one it refuses as failed. Returns those the LRS acknowledged (stored, or already
    had): only those go into the ledger."""
    if not sends:
        return []
    try:
        acknowledged = set(lrs.post_texts([s.text for s in sends], [s.statement_id for s in sends]))
    except LrsUnacknowledged as error:
        summary.failed += len(sends)
        summary.problems.append(f"{len(sends)} statement(s): {error}")
        return []
    except LrsRejected as error:
        if len(sends) == 1:
            summary.failed += 1
            summary.problems.append(f"statement {sends[0].statement_id} ({sends[0].key}): {error}")
            return []
    else:
        for one in sends:
            if one.statement_id not in acknowledged:
                summary.failed += 1
                summary.problems.append(
                    f"statement {one.statement_id} ({one.key}): the LRS at {lrs.endpoint} did "
                    "not acknowledge it (not in its answer, and not found when asked for)"
                )
        return [s for s in sends if s.statement_id in acknowledged]
    arrived = []
    for one in sends:
        arrived += _send(lrs, [one], summary)
    return arrived


def _void(lrs: Lrs, voids: list[tuple[str, str]], summary: PushSummary) -> dict[str, str]:
    """Void these statements; returns statement id -> the id of its voiding statement, for
    those the LRS acknowledged."""
    made = {old: voiding_text(old, iri) for old, iri in voids}
    if not made:
        return {}
    try:
        acknowledged = set(
            lrs.post_texts(
                [text for _sid, text in made.values()], [sid for sid, _ in made.values()]
            )
        )
    except LrsUnacknowledged as error:
        summary.failed += len(made)
        summary.problems.append(f"{len(made)} voiding statement(s): {error}")
        return {}
    except LrsRejected:
        pass
    else:
        for old, (sid, _text) in made.items():
            if sid not in acknowledged:
                summary.failed += 1
                summary.problems.append(
                    f"voiding statement {old}: the LRS at {lrs.endpoint} did not acknowledge it"
                )
        return {old: sid for old, (sid, _text) in made.items() if sid in acknowledged}
    done: dict[str, str] = {}
    for old, (sid, text) in made.items():
        try:
            acknowledged = set(lrs.post_texts([text], [sid]))
        except LrsUnacknowledged as error:
            summary.failed += 1
            summary.problems.append(f"voiding statement {old}: {error}")
            continue
        except LrsRejected as error:
            if error.status == 409:
                # A voiding statement with this id is already there (voided before, when
                # the ledger could not note it): it is voided.
                done[old] = sid
                continue
            summary.failed += 1
            summary.problems.append(f"voiding statement {old}: {error}")
            continue
        if sid in acknowledged:
            done[old] = sid
        else:
            summary.failed += 1
            summary.problems.append(
                f"voiding statement {old}: the LRS at {lrs.endpoint} did not acknowledge it"
            )
    return done
