"""One ReportQueue per stream the runtime reports on, so all its reports about a stream keep their order."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

from app.commands.loading import load_agent, load_session
from app.commands.runner import Commands
from app.runtime.report_queue import ReportQueue
from domain.agent import Agent
from domain.session import OrchestratorSession


class Reports:
    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self._agents: dict[UUID, ReportQueue[Agent]] = {}
        self._sessions: dict[UUID, ReportQueue[OrchestratorSession]] = {}

    def agent(self, agent_id: UUID) -> ReportQueue[Agent]:
        queue = self._agents.get(agent_id)
        if queue is None:
            queue = self._agents[agent_id] = ReportQueue(
                self.commands, agent_id, load_agent, f"agent-{agent_id}"
            )
        return queue

    def session(self, session_id: UUID) -> ReportQueue[OrchestratorSession]:
        queue = self._sessions.get(session_id)
        if queue is None:
            name = f"session-{session_id}"
            queue = self._sessions[session_id] = ReportQueue(self.commands, session_id, load_session, name)
        return queue

    def _all(self) -> list[ReportQueue[Any]]:
        return [*self._agents.values(), *self._sessions.values()]

    async def drain(self) -> None:
        await asyncio.gather(*(queue.drain() for queue in self._all()))

    async def close(self) -> None:
        await asyncio.gather(*(queue.close() for queue in self._all()))
