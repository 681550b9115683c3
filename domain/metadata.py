"""Who caused an event and why: correlation and causation ids, actor, session; stored beside each event."""

from __future__ import annotations

import enum
from uuid import UUID

import msgspec


class Actor(enum.StrEnum):
    USER = "user"
    ORCHESTRATOR = "orchestrator"
    AGENT = "agent"
    SYSTEM = "system"


class Metadata(msgspec.Struct, frozen=True, kw_only=True):
    """Correlation id: the first command of a chain; causation id: what directly caused this event.

    `session_id` is filled in per event by the unit of work (the session the event's stream belongs to);
    `actor_id` names the acting agent or user when there is one.
    """

    correlation_id: UUID
    causation_id: UUID
    actor: Actor
    session_id: UUID | None = None
    actor_id: str | None = None

    @classmethod
    def first(cls, command_id: UUID, actor: Actor, actor_id: str | None = None) -> Metadata:
        """Metadata of a command that starts a new chain (a user's click, a CLI call)."""
        return cls(correlation_id=command_id, causation_id=command_id, actor=actor, actor_id=actor_id)

    def caused_by(self, cause_id: UUID, actor: Actor, actor_id: str | None = None) -> Metadata:
        """Metadata of a reaction to `cause_id` in the same chain (e.g. the runtime acting on an event)."""
        return Metadata(
            correlation_id=self.correlation_id, causation_id=cause_id, actor=actor, actor_id=actor_id
        )

    def in_session(self, session_id: UUID) -> Metadata:
        return msgspec.structs.replace(self, session_id=session_id)
