"""AggregateWriter on real PostgreSQL: order kept, batches grouped, conflicts retried, refusals isolated."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from uuid import uuid4

import asyncpg
import pytest

from app.eventstore.store import EventStore
from app.runtime.aggregate_writer import AggregateWriter
from domain import agent_activity, agent_lifecycle
from domain.agent import Agent
from domain.codec import EventCodec
from domain.errors import AgentAlreadyDeleted
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.values import Usage

codec = EventCodec(EVENT_TYPES)
META = Metadata.first(uuid4(), Actor.SYSTEM)


@pytest.fixture
def store(pool: asyncpg.Pool) -> EventStore:
    return EventStore(pool)


async def _new_agent(store: EventStore) -> tuple[OrchestratorSession, Agent]:
    session = OrchestratorSession.start("/tmp", "sonnet")
    agent = agent_lifecycle.create_agent(session, f"a{uuid4().hex[:8]}", "sonnet", "/tmp")
    agent_lifecycle.command_agent(session, agent, uuid4(), "write a file", "user")
    events = [*session.collect_events(), *agent.collect_events()]
    await store.append([codec.encode(event, META) for event in events])
    return session, agent


def _text_block(text: str) -> Callable[[Agent], None]:
    return lambda agent: agent_activity.record_text_block(agent, uuid4(), text)


async def test_submitted_decisions_are_stored_in_order_in_few_appends(store: EventStore) -> None:
    _, agent = await _new_agent(store)
    writer: AggregateWriter[Agent] = AggregateWriter(store, codec, agent.id)
    for n in range(50):
        writer.submit(_text_block(f"block {n}"), META)
    await writer.drain()
    recorded = [codec.decode(r) for r in await store.read_stream(agent.id)]
    texts = [event.text for event in recorded if isinstance(event, Agent.AgentTextBlockRecorded)]
    assert texts == [f"block {n}" for n in range(50)]
    assert len({r.recorded_at for r in await store.read_stream(agent.id, after_version=agent.version)}) < 50


async def test_another_writer_first_means_deciding_again_on_the_newer_state(store: EventStore) -> None:
    _, agent = await _new_agent(store)
    writer: AggregateWriter[Agent] = AggregateWriter(store, codec, agent.id)
    await writer.current()
    # The HTTP side deletes the agent behind the writer's cached copy.
    agent.delete("user asked")
    await store.append([codec.encode(event, META) for event in agent.collect_events()])
    with pytest.raises(AgentAlreadyDeleted):
        await writer.decide(lambda a: a.fail("CLI crashed"), META)
    assert (await writer.current()).status == "deleted"


async def test_a_refused_decision_does_not_stop_the_others_of_its_batch(store: EventStore) -> None:
    _, agent = await _new_agent(store)
    writer: AggregateWriter[Agent] = AggregateWriter(store, codec, agent.id)
    results = await asyncio.gather(
        writer.decide(lambda a: agent_activity.record_text_block(a, uuid4(), "first"), META),
        writer.decide(lambda a: a.set_budget(-1.0, 0.8), META),
        writer.decide(lambda a: agent_activity.record_text_block(a, uuid4(), "third"), META),
        return_exceptions=True,
    )
    assert isinstance(results[1], Exception)
    assert all(isinstance(result, list) and len(result) == 1 for result in (results[0], results[2]))


async def test_a_turn_finishes_on_the_agent_and_the_session_in_one_append(store: EventStore) -> None:
    session, agent = await _new_agent(store)
    agents: AggregateWriter[Agent] = AggregateWriter(store, codec, agent.id)
    sessions: AggregateWriter[OrchestratorSession] = AggregateWriter(store, codec, session.id)
    usage = Usage(input_tokens=10, output_tokens=5, cost_usd=0.25)
    positions = await agents.decide_together(
        sessions,
        lambda a, s: agent_lifecycle.finish_agent_turn(s, a, usage, 120, 2, "sdk-1", False, "done"),
        META,
    )
    assert positions == list(range(positions[0], positions[0] + len(positions)))
    assert (await agents.current()).usage.cost_usd == 0.25
    assert (await sessions.current()).agents_usage.cost_usd == 0.25
