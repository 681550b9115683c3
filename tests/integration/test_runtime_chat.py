"""The whole runtime, real SDK and CLIs against `sim`, real PostgreSQL: a chat that runs a team of agents.

The user asks the orchestrator (a real CLI with the `mgmt` tools) to create two agents, command both at
once, check one, interrupt one, delete one and report the cost; the store must then tell that story in a
valid order, and the files the agents wrote must exist.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import pytest

from app.commands.loading import load_agent
from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from domain.agent import Agent
from domain.events.session import OrchestratorToolResultRecorded
from domain.session import OrchestratorSession
from domain.status import AgentStatus, can_transition
from projections.catalog import PROJECTORS
from projections.runner import ProjectionRunner
from tests.integration.runtime_support import RuntimeHarness, codec, runtime_harness

pytestmark = pytest.mark.timeout(180)


def tool_results(events: list[Any], tool: str) -> list[OrchestratorToolResultRecorded]:
    uses = {
        event.tool_use_id
        for event in events
        if isinstance(event, OrchestratorSession.OrchestratorToolUseBlockRecorded)
        and event.tool_name == f"mcp__mgmt__{tool}"
    }
    return [
        event
        for event in events
        if isinstance(event, OrchestratorToolResultRecorded) and event.tool_use_id in uses
    ]


def assert_valid_history(events: list[Any]) -> None:
    """An agent's stream: created first, every status change allowed and continuing the last one."""
    assert isinstance(events[0], Agent.AgentCreated)
    status = AgentStatus.IDLE
    for event in events[1:]:
        if isinstance(event, Agent.AgentStatusChanged):
            assert event.from_status == status
            assert can_transition(event.from_status, event.to_status), (event.from_status, event.to_status)
            status = event.to_status
    commanded = [e.command_id for e in events if isinstance(e, Agent.AgentCommanded)]
    started = [e.command_id for e in events if isinstance(e, Agent.AgentCommandStarted)]
    assert started == commanded[: len(started)]


async def test_a_chat_creates_commands_checks_interrupts_deletes_and_reports(
    server_url: str, tmp_path: Path
) -> None:
    async with runtime_harness(server_url, tmp_path) as harness:
        async with harness.running():
            await run_the_chat(harness)
        await assert_read_tables_agree(harness)


async def assert_read_tables_agree(harness: RuntimeHarness) -> None:
    """The projections, run over what the runtime recorded, say what the aggregates say."""
    runner = ProjectionRunner(harness.pool, codec, PROJECTORS)
    async with AppendListener(harness.url) as listener:
        task = asyncio.create_task(runner.run(lambda position: follow(harness.store, listener, position)))
        try:
            await asyncio.wait_for(runner.wait_for(await harness.store.head()), 30)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    assert runner.stopped == {}
    session = await harness.session()
    rows = await harness.pool.fetch(
        "SELECT id, name, status, total_cost, input_tokens, output_tokens, archived FROM agents"
    )
    assert len(rows) == 2
    for row in rows:
        agent = await harness.commands.run(load_agent, row["id"], harness.user)
        deleted = agent.status == AgentStatus.DELETED
        assert (row["name"], row["status"], row["archived"]) == (agent.name, agent.status, deleted)
        assert row["total_cost"] == pytest.approx(agent.usage.cost_usd)
        assert row["input_tokens"] == agent.usage.input_tokens
        assert row["output_tokens"] == agent.usage.output_tokens
    orchestrator = await harness.pool.fetchrow(
        "SELECT total_cost, agents_cost FROM orchestrator_agents WHERE id = $1", session.id
    )
    assert orchestrator is not None
    assert orchestrator["total_cost"] == pytest.approx(session.orchestrator_usage.cost_usd)
    assert orchestrator["agents_cost"] == pytest.approx(session.agents_usage.cost_usd)
    chat_rows = await harness.pool.fetchval(
        "SELECT count(*) FROM orchestrator_chat WHERE orchestrator_agent_id = $1", session.id
    )
    assert chat_rows >= 7 * 2


async def run_the_chat(harness: RuntimeHarness) -> None:
    session_id = await harness.start_session()
    assert not (await harness.chat("create two agents alpha and beta")).is_error
    assert set((await harness.session()).agents) == {"alpha", "beta"}

    await harness.chat("have alpha write a.txt containing hello and beta write b.txt containing world")
    alpha = await harness.agent_settles("alpha")
    beta = await harness.agent_settles("beta")
    assert (alpha.status, beta.status) == (AgentStatus.IDLE, AgentStatus.IDLE)
    assert (harness.workdir / "a.txt").read_text() == "hello"
    assert (harness.workdir / "b.txt").read_text() == "world"
    # Both ran at once: each started before either finished.
    everything = await harness.store.read_all(0, 100_000)
    kinds = [(recorded.type, recorded.stream_id) for recorded in everything]
    started = [i for i, (kind, _) in enumerate(kinds) if kind == "AgentCommandStarted.v1"]
    finished = [i for i, (kind, _) in enumerate(kinds) if kind == "AgentTurnFinished.v1"]
    assert len(started) == 2
    assert max(started) < min(finished)

    await harness.chat("check alpha")
    session_events = await harness.events(session_id)
    [status] = tool_results(session_events, "check_agent_status")
    assert "alpha: idle" in status.content
    assert "[hook PostToolUse] Write" in status.content

    await harness.chat("ask beta to sleep 30")
    await harness.until_hook(beta.id, "PreToolUse", "Bash")
    await harness.chat("interrupt beta")
    beta = await harness.agent_settles("beta")
    assert beta.status == AgentStatus.INTERRUPTED

    await harness.chat("delete alpha")
    assert set((await harness.session()).agents) == {"beta"}

    await harness.chat("report cost")
    session_events = await harness.events(session_id)
    [cost] = tool_results(session_events, "report_cost")
    session = await harness.session()
    # The total was taken mid-turn; the agents' part was settled by then.
    assert f"agents: ${session.agents_usage.cost_usd:.4f}" in cost.content
    assert "session total: $" in cost.content
    assert session.agents_usage.cost_usd > 0
    assert session.orchestrator_usage.cost_usd > 0

    for agent_id in (alpha.id, beta.id):
        history = await harness.events(agent_id)
        assert_valid_history(history)
    assert isinstance((await harness.events(alpha.id))[-1], Agent.AgentStatusChanged)
    assert any(isinstance(e, Agent.AgentDeleted) for e in await harness.events(alpha.id))
    assert any(isinstance(e, Agent.AgentInterrupted) for e in await harness.events(beta.id))

    kinds_seen = {type(e).__name__ for e in session_events}
    assert {"OrchestratorThinkingBlockRecorded", "OrchestratorTextBlockRecorded"} <= kinds_seen
    frames = [frame.type for frame in harness.hub.frames]
    assert frames.count("chat_typing") == 2 * 7
    assert_streamed_text_is_the_recorded_text(harness, session_events)


def assert_streamed_text_is_the_recorded_text(harness: RuntimeHarness, events: list[Any]) -> None:
    """Chunks carry the id of the block they become, and add up to its recorded text."""
    streamed: dict[str, str] = {}
    for frame in harness.hub.frames:
        if frame.type == "chat_stream":
            data = json.loads(frame.sse.split(b"data: ", 1)[1])
            streamed[data["block_id"]] = streamed.get(data["block_id"], "") + data["chunk"]
    recorded = {
        str(event.block_id): event.text
        for event in events
        if isinstance(event, OrchestratorSession.OrchestratorTextBlockRecorded)
    }
    assert streamed
    assert streamed == {block: text for block, text in recorded.items() if block in streamed}
