"""One AggregateWriter per stream the runtime changes: all its changes to a stream share one ordered queue."""

from __future__ import annotations

import asyncio
from uuid import UUID

from app.eventstore.store import EventStore
from app.runtime.aggregate_writer import AggregateWriter
from domain.agent import Agent
from domain.codec import EventCodec
from domain.session import OrchestratorSession


class Writers:
    def __init__(self, store: EventStore, codec: EventCodec) -> None:
        self.store = store
        self.codec = codec
        self._agents: dict[UUID, AggregateWriter[Agent]] = {}
        self._sessions: dict[UUID, AggregateWriter[OrchestratorSession]] = {}

    def agent(self, agent_id: UUID) -> AggregateWriter[Agent]:
        writer = self._agents.get(agent_id)
        if writer is None:
            writer = self._agents[agent_id] = AggregateWriter(self.store, self.codec, agent_id)
        return writer

    def session(self, session_id: UUID) -> AggregateWriter[OrchestratorSession]:
        writer = self._sessions.get(session_id)
        if writer is None:
            writer = self._sessions[session_id] = AggregateWriter(self.store, self.codec, session_id)
        return writer

    async def drain(self) -> None:
        """Waits for every submitted decision of every stream to be stored."""
        drains = [writer.drain() for writer in self._agents.values()]
        drains += [writer.drain() for writer in self._sessions.values()]
        await asyncio.gather(*drains)
