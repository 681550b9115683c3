"""WireContext: facts frames repeat that their own event does not carry (agent names, task slugs)."""

from __future__ import annotations

from typing import Any, NamedTuple
from uuid import UUID

from domain.agent import Agent


class KnownAgent(NamedTuple):
    name: str
    session_id: UUID


class WireContext:
    """Learnt from AgentCreated and AgentCommanded events. These facts never change once recorded, so a
    frame built with everything learnt so far is the same whenever it is built: live, or replayed later."""

    def __init__(self) -> None:
        self.agents: dict[UUID, KnownAgent] = {}
        self.task_slugs: dict[UUID, str] = {}

    def learn(self, stream_id: UUID, event: Any) -> None:
        if isinstance(event, Agent.AgentCreated):
            self.agents[stream_id] = KnownAgent(event.name, event.session_id)
        elif isinstance(event, Agent.AgentCommanded):
            self.task_slugs[event.command_id] = event.task_slug

    def name_of(self, agent_id: UUID) -> str | None:
        known = self.agents.get(agent_id)
        return None if known is None else known.name

    def task_slug(self, command_id: UUID | None) -> str | None:
        return None if command_id is None else self.task_slugs.get(command_id)


LEARNT_FROM = (Agent.AgentCreated, Agent.AgentCommanded)
"""The event classes a WireContext learns from: load these from the store before framing old positions."""
