"""What a handled command answers: the ids it made and the store position of its last event."""

from __future__ import annotations

from uuid import UUID

import msgspec


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """`position` is the global position of the command's last event (a client may follow the stream
    from it); a command that changed nothing answers the store head it saw, 0 if unknown."""

    position: int


class SessionReceipt(Receipt, frozen=True, kw_only=True):
    session_id: UUID


class MessageReceipt(Receipt, frozen=True, kw_only=True):
    message_id: UUID


class AgentReceipt(Receipt, frozen=True, kw_only=True):
    agent_id: UUID
    name: str


class CommandReceipt(Receipt, frozen=True, kw_only=True):
    command_id: UUID
    agent_id: UUID
    task_slug: str
    queued: bool
