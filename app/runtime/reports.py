"""One ReportQueue per stream the runtime reports on, so all its reports about a stream keep their order."""

from __future__ import annotations

import asyncio
from uuid import UUID

from app.commands.runner import Commands
from app.runtime.report_queue import ReportQueue


class Reports:
    def __init__(self, commands: Commands) -> None:
        self.commands = commands
        self._queues: dict[UUID, ReportQueue] = {}

    def agent(self, agent_id: UUID) -> ReportQueue:
        return self._queue(agent_id, "agent")

    def session(self, session_id: UUID) -> ReportQueue:
        return self._queue(session_id, "session")

    def _queue(self, stream_id: UUID, kind: str) -> ReportQueue:
        queue = self._queues.get(stream_id)
        if queue is None:
            queue = self._queues[stream_id] = ReportQueue(self.commands, f"{kind}-{stream_id}")
        return queue

    async def drain(self) -> None:
        await asyncio.gather(*(queue.drain() for queue in list(self._queues.values())))

    async def close(self) -> None:
        await asyncio.gather(*(queue.close() for queue in list(self._queues.values())))
