"""Small builders for domain unit tests: a session, an agent in a given situation, the events it emitted."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

from domain.agent import Agent
from domain.agent_lifecycle import create_agent
from domain.records import NewEvent, RecordedEvent
from domain.session import OrchestratorSession
from domain.status import AgentStatus
from domain.values import Usage


def new_session() -> OrchestratorSession:
    session = OrchestratorSession.start("/work", "sonnet")
    session.collect_events()
    return session


def new_agent(session: OrchestratorSession | None = None, name: str = "builder") -> Agent:
    session = session or new_session()
    agent = create_agent(session, name, "sonnet", "/work")
    agent.collect_events()
    session.collect_events()
    return agent


def busy_agent(queued: int = 0) -> Agent:
    agent = new_agent()
    agent.command(uuid4(), "first task", "first-task", "user")
    for number in range(queued):
        agent.command(uuid4(), f"task {number}", f"task-{number}", "user", queue=True)
    agent.collect_events()
    return agent


def finish(agent: Agent, cost: float = 0.1, *, is_error: bool = False, result: str = "done") -> None:
    agent.finish_turn(
        Usage(input_tokens=10, output_tokens=5, cost_usd=cost), 1200, 3, "sdk-1", is_error, result
    )


def command(agent: Agent, prompt: str = "do it", *, queue: bool = False) -> UUID:
    command_id = uuid4()
    agent.command(command_id, prompt, "do-it", "user", queue=queue)
    return command_id


def status_of(agent: Agent) -> AgentStatus:
    """The status now (a call, so the type checker does not carry an earlier assert's narrowing over)."""
    return agent.status


def emitted(aggregate: Agent | OrchestratorSession) -> list[Any]:
    return list(aggregate.collect_events())


def names(events: Sequence[Any]) -> list[str]:
    return [type(event).__name__ for event in events]


def snapshot(aggregate: Agent | OrchestratorSession) -> Any:
    """A deep copy to compare against after a rejected decision: it must have changed nothing."""
    return copy.deepcopy(aggregate)


def as_recorded(new: NewEvent, position: int = 1) -> RecordedEvent:
    """The event as the store gives it back once appended at `position`."""
    return RecordedEvent(
        position=position,
        event_id=new.event_id,
        stream_id=new.stream_id,
        version=new.version,
        type=new.type,
        data=new.data,
        metadata=new.metadata,
        recorded_at=datetime.now(UTC),
    )
