"""Loading the aggregates a handler needs, or the domain error that says which one is missing."""

from __future__ import annotations

from uuid import UUID

from app.commands.unit_of_work import UnitOfWork
from domain.agent import Agent
from domain.errors import AgentNotFound, SessionNotFound
from domain.session import OrchestratorSession


async def load_session(unit: UnitOfWork, session_id: UUID) -> OrchestratorSession:
    session = await unit.load(OrchestratorSession, session_id)
    if session is None:
        raise SessionNotFound(f"no orchestrator session has id {session_id}", field="session_id")
    return session


async def load_agent(unit: UnitOfWork, agent_id: UUID) -> Agent:
    agent = await unit.load(Agent, agent_id)
    if agent is None:
        raise AgentNotFound(f"no agent has id {agent_id}", field="agent_id")
    return agent


async def load_agent_by_name(
    unit: UnitOfWork, session_id: UUID, name: str
) -> tuple[OrchestratorSession, Agent]:
    """The session and its live agent of this name (the session's registry maps names to ids)."""
    session = await load_session(unit, session_id)
    agent = await load_agent(unit, session.agent_id_for(name))
    return session, agent


def last_position(positions: list[int]) -> int:
    return positions[-1] if positions else 0
