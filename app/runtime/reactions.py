"""What the runtime does on each event it follows; every other event passes by without being decoded.

Reactions start work and return at once (agents and the orchestrator run in their own tasks), so the
follower is never held up by a CLI; slow shutdowns (a deleted agent's CLI) go to the background.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from app.commands.agent_handlers import interrupt_agent
from app.commands.loading import load_agent, load_session
from app.commands.runner import Commands
from app.runtime.agent_pool import AgentPool
from app.runtime.orchestrators import Orchestrators
from domain.agent import Agent
from domain.budget import BudgetLevel
from domain.codec import EventCodec, decode_metadata
from domain.commands import InterruptAgent
from domain.errors import DomainError
from domain.metadata import Actor, Metadata
from domain.records import RecordedEvent
from domain.session import OrchestratorSession
from domain.status import BUSY

log = logging.getLogger(__name__)

Reaction = Callable[[UUID, Any, Metadata], Awaitable[None]]
SESSION_BUDGET_REASON = "the session's cost budget is used up"


def cause_of(recorded: RecordedEvent) -> Metadata:
    """Metadata for what the runtime does about an event: the event's chain, caused by the event."""
    try:
        metadata = decode_metadata(recorded.metadata, Metadata)
    except Exception:
        metadata = Metadata.first(recorded.event_id, Actor.SYSTEM)
    caused = metadata.caused_by(recorded.event_id, Actor.SYSTEM, "runtime")
    return caused if metadata.session_id is None else caused.in_session(metadata.session_id)


class Reactions:
    def __init__(
        self, codec: EventCodec, commands: Commands, agents: AgentPool, orchestrators: Orchestrators
    ) -> None:
        self._codec = codec
        self._commands = commands
        self._agents = agents
        self._orchestrators = orchestrators
        self._background: set[asyncio.Task[None]] = set()
        table: dict[type[Any], Reaction] = {
            OrchestratorSession.UserMessageSent: self._user_message,
            OrchestratorSession.SessionResumed: self._session_resumed,
            OrchestratorSession.SessionBudgetExceeded: self._session_budget,
            Agent.AgentCommandStarted: self._command_started,
            Agent.AgentInterruptRequested: self._interrupt,
            Agent.AgentDeleted: self._deleted,
        }
        self._table = {codec.type_name(cls): reaction for cls, reaction in table.items()}

    def wants(self, type_name: str) -> bool:
        return type_name in self._table

    async def react(self, recorded: RecordedEvent) -> None:
        """Never raises: a failed reaction is logged, and the runtime goes on with the next event."""
        reaction = self._table.get(recorded.type)
        if reaction is None:
            return
        try:
            await reaction(recorded.stream_id, self._codec.decode(recorded), cause_of(recorded))
        except Exception:
            log.exception("reacting to %s at position %d failed", recorded.type, recorded.position)

    async def settle(self) -> None:
        """Waits for background reactions (closing deleted agents, resetting orchestrators)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    async def _user_message(self, session_id: UUID, event: Any, cause: Metadata) -> None:
        await self._orchestrators.answer(session_id, event.message_id, event.text, cause)

    async def _session_resumed(self, session_id: UUID, event: Any, cause: Metadata) -> None:
        self._later(self._orchestrators.reset(session_id))

    async def _command_started(self, agent_id: UUID, event: Any, cause: Metadata) -> None:
        await self._agents.start(agent_id, event.command_id, cause)

    async def _interrupt(self, agent_id: UUID, event: Any, cause: Metadata) -> None:
        await self._agents.interrupt(agent_id, event.command_id)

    async def _deleted(self, agent_id: UUID, event: Any, cause: Metadata) -> None:
        self._later(self._agents.close(agent_id))

    async def _session_budget(self, session_id: UUID, event: Any, cause: Metadata) -> None:
        """At the session's limit every busy agent is stopped (as interrupt requests, like a user's)."""
        if event.level != BudgetLevel.LIMIT:
            return
        session = await self._commands.run(load_session, session_id, cause)
        for name, agent_id in session.agents.items():
            agent = await self._commands.run(load_agent, agent_id, cause)
            if agent.status not in BUSY:
                continue
            command = InterruptAgent(session_id=session_id, name=name, reason=SESSION_BUDGET_REASON)
            try:
                await self._commands.run(interrupt_agent, command, cause)
            except DomainError as error:
                log.info("agent %s needs no stop: %s", name, error)

    def _later(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            await work

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)
