"""Private lookups of the agent_logs projector: what its entries repeat about their agent and command."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

import msgspec

from domain.events import agent as events
from projections.projector import RowRef, Rows, Stamp
from projections.table import Table


class LoggedAgent(msgspec.Struct, frozen=True, kw_only=True):
    """An agent's name and session, and its SDK session as last reported."""

    id: UUID
    name: str
    orchestrator_agent_id: UUID
    session_id: str | None
    position: int


class LoggedCommand(msgspec.Struct, frozen=True, kw_only=True):
    """The task slug of a command, for the entries its work produces."""

    id: UUID
    task_slug: str
    position: int


LOGGED_AGENTS = Table("agent_log_agents", LoggedAgent, key=["id"])
LOGGED_COMMANDS = Table("agent_log_commands", LoggedCommand, key=["id"])


def agent_created(event: events.AgentCreated, at: Stamp, rows: Rows) -> Iterator[LoggedAgent]:
    yield LoggedAgent(
        id=event.originator_id,
        name=event.name,
        orchestrator_agent_id=event.session_id,
        session_id=None,
        position=at.position,
    )


def agent_commanded(event: events.AgentCommanded, at: Stamp, rows: Rows) -> Iterator[LoggedCommand]:
    yield LoggedCommand(id=event.command_id, task_slug=event.task_slug, position=at.position)


def context_refs(event: Any) -> list[RowRef]:
    """The lookups an entry of this agent event reads."""
    refs: list[RowRef] = [(LOGGED_AGENTS, event.originator_id)]
    if event.command_id is not None:
        refs.append((LOGGED_COMMANDS, event.command_id))
    return refs


def context(event: Any, rows: Rows) -> tuple[LoggedAgent, str | None]:
    """The event's agent, and its command's task slug when it belongs to one."""
    agent: LoggedAgent = rows.require(LOGGED_AGENTS, event.originator_id)
    command: LoggedCommand | None = (
        None if event.command_id is None else rows.get(LOGGED_COMMANDS, event.command_id)
    )
    return agent, None if command is None else command.task_slug
