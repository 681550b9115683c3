"""Command handlers on PostgreSQL: a whole agent turn as the runtime reports it, metadata on every
event, and several Commands (workers) sharing the store without stale decisions."""

from __future__ import annotations

from uuid import UUID, uuid4

import asyncpg
import pytest

from app.commands import agent_handlers, agent_report_handlers, orchestrator_handlers, session_handlers
from app.commands.runner import Commands
from app.eventstore.store import EventStore
from domain.codec import decode_metadata
from domain.commands import CommandAgent, CreateAgent, SendChat, SetSessionBudget
from domain.errors import AgentBusy, BudgetExhausted, SessionNotFound
from domain.metadata import Actor, Metadata
from domain.runtime_commands import (
    FinishAgentTurn,
    FinishOrchestratorTurn,
    RecordAgentText,
    RecordHookEvent,
    TrackFiles,
)
from domain.values import ChangedFile, Usage
from tests.integration.command_support import as_system, decoded, events_after, new_session, types_of


@pytest.fixture
def commands(pool: asyncpg.Pool) -> Commands:
    return Commands(EventStore(pool))


async def start_work(commands: Commands, session_id: UUID, user: Metadata) -> tuple[UUID, UUID]:
    created = await commands.run(
        agent_handlers.create_agent, CreateAgent(session_id=session_id, name="builder"), user
    )
    commanded = await commands.run(
        agent_handlers.command_agent,
        CommandAgent(session_id=session_id, name="builder", prompt="Add a health check"),
        user,
    )
    return created.agent_id, commanded.command_id


async def test_a_turn_reported_by_the_runtime_lands_on_both_streams(commands: Commands) -> None:
    session_id = await new_session(commands)
    user = Metadata.first(uuid4(), Actor.USER)
    agent_id, command_id = await start_work(commands, session_id, user)
    head = await commands.store.head()
    runtime = user.caused_by(command_id, Actor.AGENT, actor_id=str(agent_id))
    await commands.run(
        agent_report_handlers.record_agent_text, RecordAgentText(agent_id=agent_id, text="On it"), runtime
    )
    await commands.run(
        agent_report_handlers.record_hook_event,
        RecordHookEvent(
            agent_id=agent_id, hook_type="PostToolUse", tool_name="Edit", tool_input={"f": "a.py"}
        ),
        runtime,
    )
    await commands.run(
        agent_report_handlers.track_files,
        TrackFiles(agent_id=agent_id, tool_use_id="toolu_1", changed_files=(ChangedFile("a.py", "+ok"),)),
        runtime,
    )
    usage = Usage(input_tokens=1200, output_tokens=300, cache_read_input_tokens=50, cost_usd=0.0123)
    await commands.run(
        agent_report_handlers.finish_agent_turn,
        FinishAgentTurn(
            agent_id=agent_id, usage=usage, duration_ms=5300, num_turns=4, sdk_session_id="sdk-9"
        ),
        runtime,
    )
    recorded = await events_after(commands.store, head)
    assert types_of(recorded) == [
        "AgentTextBlockRecorded.v1",
        "HookEventRecorded.v1",
        "FilesTracked.v1",
        "AgentTurnFinished.v1",
        "AgentStatusChanged.v1",
        "AgentCostAccrued.v1",
    ]
    events = [decoded(event) for event in recorded]
    assert {event.command_id for event in events if hasattr(event, "command_id")} == {command_id}
    assert events[5].originator_id == session_id
    assert events[3].usage == events[5].usage == usage
    assert (events[3].sdk_session_id, events[3].duration_ms) == ("sdk-9", 5300)
    assert events[4].to_status == "idle"
    for event in recorded:
        metadata = decode_metadata(event.metadata, Metadata)
        assert (metadata.correlation_id, metadata.causation_id) == (user.correlation_id, command_id)
        assert (metadata.actor, metadata.actor_id, metadata.session_id) == (
            Actor.AGENT,
            str(agent_id),
            session_id,
        )


async def test_another_worker_decides_on_fresh_state(pool: asyncpg.Pool) -> None:
    first, second = Commands(EventStore(pool)), Commands(EventStore(pool))
    session_id = await new_session(first)
    await start_work(first, session_id, as_system())
    # `second` never saw the agent; `first` has it cached as busy. Both must see it busy.
    command = CommandAgent(session_id=session_id, name="builder", prompt="More")
    for worker in (second, first):
        with pytest.raises(AgentBusy):
            await worker.run(agent_handlers.command_agent, command, as_system())
    queued = CommandAgent(session_id=session_id, name="builder", prompt="More", queue=True)
    receipt = await second.run(agent_handlers.command_agent, queued, as_system())
    assert receipt.queued


async def test_the_session_budget_stops_new_work(commands: Commands) -> None:
    session_id = await new_session(commands)
    await commands.run(
        session_handlers.set_session_budget,
        SetSessionBudget(session_id=session_id, limit_usd=0.01),
        as_system(),
    )
    await commands.run(
        orchestrator_handlers.finish_orchestrator_turn,
        FinishOrchestratorTurn(
            session_id=session_id,
            reply_to=None,
            usage=Usage(cost_usd=0.02),
            duration_ms=1,
            num_turns=1,
            sdk_session_id=None,
        ),
        as_system(),
    )
    head = await commands.store.head()
    with pytest.raises(BudgetExhausted):
        await commands.run(
            session_handlers.send_chat, SendChat(session_id=session_id, text="more"), as_system()
        )
    assert await commands.store.head() == head
    exceeded = [
        event for event in await commands.store.read_stream(session_id) if "BudgetExceeded" in event.type
    ]
    assert [decoded(event).level for event in exceeded] == ["warning", "limit"]


async def test_an_unknown_session_is_reported(commands: Commands) -> None:
    with pytest.raises(SessionNotFound, match="no orchestrator session"):
        await commands.run(session_handlers.send_chat, SendChat(session_id=uuid4(), text="hi"), as_system())
