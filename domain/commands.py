"""Commands a user or the orchestrator sends (imperative, frozen); the runtime's are in runtime_commands.py.

They name agents by name within a session. Ids the caller may choose (message, command, log) default to
fresh UUIDs.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import msgspec

from domain.budget import DEFAULT_WARN_FRACTION


class Command(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Base of every command: immutable, keyword-only, and strict about unknown fields when decoded."""


def new_id() -> UUID:
    return uuid4()


# ---- session ------------------------------------------------------------------------------------------


class StartSession(Command, frozen=True):
    working_dir: str
    model: str
    system_prompt: str = ""


class ResumeSession(Command, frozen=True):
    session_id: UUID
    working_dir: str | None = None
    model: str | None = None


class SendChat(Command, frozen=True):
    session_id: UUID
    text: str
    message_id: UUID = msgspec.field(default_factory=new_id)


class SetSessionBudget(Command, frozen=True):
    session_id: UUID
    limit_usd: float | None
    warn_fraction: float = DEFAULT_WARN_FRACTION


class RecordSystemLog(Command, frozen=True):
    session_id: UUID
    level: str
    message: str
    details: dict[str, Any] = msgspec.field(default_factory=dict)
    log_id: UUID = msgspec.field(default_factory=new_id)


# ---- agents, by name --------------------------------------------------------------------------------


class CreateAgent(Command, frozen=True):
    """`model` None: the configured worker model; `working_dir` None: the session's."""

    session_id: UUID
    name: str
    model: str | None = None
    system_prompt: str = ""
    template: str | None = None
    working_dir: str | None = None
    allowed_tools: tuple[str, ...] = ()


class CommandAgent(Command, frozen=True):
    """`task_slug` None: made from the prompt's first words and the command id."""

    session_id: UUID
    name: str
    prompt: str
    task_slug: str | None = None
    queue: bool = False
    command_id: UUID = msgspec.field(default_factory=new_id)


class InterruptAgent(Command, frozen=True):
    session_id: UUID
    name: str
    reason: str = ""


class DeleteAgent(Command, frozen=True):
    session_id: UUID
    name: str
    reason: str = ""


class SetAgentBudget(Command, frozen=True):
    session_id: UUID
    name: str
    limit_usd: float | None
    warn_fraction: float = DEFAULT_WARN_FRACTION
