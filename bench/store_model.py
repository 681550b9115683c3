"""The aggregate the store benchmark writes: one ~300-byte event per command, as in the measurements note."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from domain.codec import AggregateEvent, EventCodec
from domain.records import NewEvent

TEXT = "The orchestrator asked the builder agent to refactor the event store module; it did. " * 2
AUTHOR = UUID("6f9619ff-8b86-d011-b42d-00c04fc964ff")


class Note(Aggregate):
    @event("Created")
    def __init__(self, title: str) -> None:
        self.title = title
        self.lines = 0

    @event("Written")
    def write(self, text: str, author: UUID, at: datetime) -> None:
        self.lines += 1


NoteWritten: type[AggregateEvent] = vars(Note)["Written"]
CODEC = EventCodec({"NoteCreated.v1": Note.Created, "NoteWritten.v1": NoteWritten})


def run_command(note: Note, events: int) -> None:
    for _ in range(events):
        note.write(TEXT, AUTHOR, datetime.now(UTC))


def encoded_batches(batches: int, per_batch: int) -> list[list[NewEvent]]:
    """Ready-made appends (one new stream per batch) for timing the recorder alone."""
    note = Note(title="recorder")
    run_command(note, 1)
    data = CODEC.encode(note.collect_events()[-1]).data
    return [
        [
            NewEvent(uuid4(), stream, version, "NoteWritten.v1", data, b"{}")
            for version in range(1, per_batch + 1)
        ]
        for stream in (uuid4() for _ in range(batches))
    ]
