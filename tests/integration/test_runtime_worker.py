"""AgentWorker with the real SDK and CLI against `sim`, recording into real PostgreSQL.

One command per test; the CLI is started per command (~0.5 s) and stopped after it, as in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast
from uuid import UUID, uuid4

import asyncpg
import pytest
from claude_agent_sdk import ClaudeAgentOptions

from app.commands.agent_handlers import command_agent, create_agent, interrupt_agent
from app.commands.loading import load_agent
from app.commands.runner import Commands
from app.commands.session_handlers import start_session
from app.commands.unit_of_work import UnitOfWork
from app.eventstore.store import EventStore
from app.runtime.agent_recorder import AgentRecorder
from app.runtime.file_tracking import FileTracker
from app.runtime.hooks import Hooks
from app.runtime.reports import Reports
from app.runtime.sdk_env import CliLimits, base_options, cli_env
from app.runtime.simulator import Simulator, run_simulator
from app.runtime.worker import AgentWorker, CommandRun
from domain.agent import Agent
from domain.codec import EventCodec
from domain.commands import CommandAgent, CreateAgent, InterruptAgent, StartSession
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from domain.status import AgentStatus

pytestmark = pytest.mark.timeout(90)
codec = EventCodec(EVENT_TYPES)


@pytest.fixture(scope="module")
async def sim() -> AsyncIterator[Simulator]:
    async with run_simulator() as simulator:
        yield simulator


@pytest.fixture
def store(pool: asyncpg.Pool) -> EventStore:
    return EventStore(pool)


class Harness:
    def __init__(self, store: EventStore, sim: Simulator, cwd: Path, data_dir: Path) -> None:
        self.store = store
        self.commands = Commands(store, codec=codec)
        self.reports = Reports(self.commands)
        self.cwd = cwd
        self.env = cli_env(data_dir, sim.base_url, CliLimits(max_retries=0, api_timeout_ms=5000))
        self.slots = asyncio.Semaphore(4)
        self.user = Metadata.first(uuid4(), Actor.USER)

    def options(self, resume: str | None, max_cost: float | None, hooks: Hooks) -> ClaudeAgentOptions:
        return base_options(
            self.env, cwd=self.cwd, model="sonnet", resume=resume, max_budget_usd=max_cost, hooks=hooks
        )

    async def new_agent(self) -> tuple[UUID, AgentWorker]:
        start = StartSession(working_dir=str(self.cwd), model="sonnet")
        self.session_id = (await self.commands.run(start_session, start, self.user)).session_id
        create = CreateAgent(session_id=self.session_id, name="builder")
        agent_id = (await self.commands.run(create_agent, create, self.user)).agent_id
        recorder = AgentRecorder(agent_id, self.session_id, self.reports)
        return agent_id, AgentWorker(recorder, FileTracker(self.cwd), self.options, self.slots)

    async def agent(self, agent_id: UUID) -> Agent:
        async def load(unit: UnitOfWork, agent_id: UUID) -> Agent:
            return await load_agent(unit, agent_id)

        return await self.commands.run(load, agent_id, self.user)

    async def command(self, agent_id: UUID, worker: AgentWorker, prompt: str) -> UUID:
        command = CommandAgent(session_id=self.session_id, name="builder", prompt=prompt)
        await self.commands.run(command_agent, command, self.user)
        agent = await self.agent(agent_id)
        resume = agent.sdk_session_id
        cost_before = agent.usage.cost_usd if resume else 0.0
        worker.start(CommandRun(command.command_id, prompt, self.user, resume, cost_before))
        return command.command_id

    async def interrupt(self, worker: AgentWorker, command_id: UUID) -> None:
        interrupt = InterruptAgent(session_id=self.session_id, name="builder")
        await self.commands.run(interrupt_agent, interrupt, self.user)
        await worker.interrupt(command_id)

    async def settled(self, agent_id: UUID) -> Agent:
        """Waits until the agent no longer executes (the command has ended, one way or another)."""
        for _ in range(600):
            agent = await self.agent(agent_id)
            if agent.status not in (AgentStatus.EXECUTING, AgentStatus.WAITING):
                return agent
            await asyncio.sleep(0.05)
        raise AssertionError("the agent still executes")

    async def hook_seen(self, agent_id: UUID, hook_type: str) -> None:
        for _ in range(200):
            events = await self.events(agent_id)
            if any(isinstance(e, Agent.HookEventRecorded) and e.hook_type == hook_type for e in events):
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"no {hook_type} hook was recorded")

    async def events(self, agent_id: UUID) -> list[object]:
        return [codec.decode(recorded) for recorded in await self.store.read_stream(agent_id)]


@pytest.fixture
def harness(store: EventStore, sim: Simulator, tmp_path: Path) -> Harness:
    (tmp_path / "work").mkdir()
    return Harness(store, sim, tmp_path / "work", tmp_path / "data")


def cli_process(worker: AgentWorker) -> asyncio.subprocess.Process:
    """The running command's CLI process (SDK internals: tests only)."""
    transport = getattr(worker._client, "_transport", None)
    process = getattr(transport, "_process", None)
    assert process is not None, "no CLI is running"
    return cast(asyncio.subprocess.Process, process)


def names(events: list[object]) -> list[str]:
    return [type(event).__name__ for event in events]


async def test_a_command_records_blocks_hooks_files_and_its_cost(harness: Harness) -> None:
    agent_id, worker = await harness.new_agent()
    await harness.command(agent_id, worker, "write hello.txt containing hi")
    agent = await harness.settled(agent_id)
    assert (harness.cwd / "hello.txt").read_text() == "hi"
    assert agent.status == AgentStatus.IDLE
    assert agent.usage.cost_usd > 0
    assert agent.usage.input_tokens > 0
    assert agent.sdk_session_id
    events = await harness.events(agent_id)
    kinds = names(events)
    assert kinds.index("AgentToolUseBlockRecorded") < kinds.index("AgentTurnFinished")
    hooks = [e.hook_type for e in events if isinstance(e, Agent.HookEventRecorded)]
    order = ["UserPromptSubmit", "PreToolUse", "PostToolUse", "Stop"]
    assert [hook for hook in hooks if hook in order] == order
    files = [e for e in events if isinstance(e, Agent.FilesTracked)]
    assert [f.path for e in files for f in e.changed_files] == ["hello.txt"]
    assert "+hi" in files[0].changed_files[0].diff
    await worker.close()


async def test_the_next_command_resumes_the_sdk_session_and_counts_only_its_own_cost(
    harness: Harness, sim: Simulator
) -> None:
    agent_id, worker = await harness.new_agent()
    await harness.command(agent_id, worker, "hello")
    first = await harness.settled(agent_id)
    await harness.command(agent_id, worker, "hello")
    second = await harness.settled(agent_id)
    assert second.sdk_session_id == first.sdk_session_id
    turns = [e for e in await harness.events(agent_id) if isinstance(e, Agent.AgentTurnFinished)]
    assert len(turns) == 2
    # The CLI reports a running total; each turn records only its growth.
    assert turns[1].usage.cost_usd < second.usage.cost_usd
    assert len(sim.requests_of(str(first.sdk_session_id))) >= 2
    await worker.close()


async def test_a_failing_tool_is_a_hook_event_and_the_agent_goes_on(harness: Harness) -> None:
    agent_id, worker = await harness.new_agent()
    await harness.command(agent_id, worker, "fail the tool")
    agent = await harness.settled(agent_id)
    assert agent.status == AgentStatus.IDLE
    failures = [
        e
        for e in await harness.events(agent_id)
        if isinstance(e, Agent.HookEventRecorded) and e.hook_type == "PostToolUseFailure"
    ]
    assert failures
    assert failures[0].tool_name == "Read"
    assert "does not exist" in (failures[0].error or "")
    await worker.close()


async def test_a_model_server_error_fails_the_agent_with_the_status_code(
    harness: Harness, sim: Simulator
) -> None:
    agent_id, worker = await harness.new_agent()
    sim.inject_fault("server_error", role="worker")
    await harness.command(agent_id, worker, "write a.txt containing x")
    agent = await harness.settled(agent_id)
    assert agent.status == AgentStatus.FAILED
    failed = [e for e in await harness.events(agent_id) if isinstance(e, Agent.AgentFailed)]
    assert "HTTP 500" in failed[0].reason
    # The runtime keeps serving: the same agent takes the next command.
    await harness.command(agent_id, worker, "write b.txt containing y")
    assert (await harness.settled(agent_id)).status == AgentStatus.IDLE
    await worker.close()


async def test_an_interrupt_stops_a_long_command_within_a_second(harness: Harness) -> None:
    agent_id, worker = await harness.new_agent()
    command_id = await harness.command(agent_id, worker, "sleep 30")
    await harness.hook_seen(agent_id, "PreToolUse")
    await harness.interrupt(worker, command_id)
    agent = await harness.settled(agent_id)
    assert agent.status == AgentStatus.INTERRUPTED
    assert "AgentInterrupted" in names(await harness.events(agent_id))
    await worker.close()


async def test_an_interrupt_before_the_cli_talks_stops_the_command_before_it_starts(harness: Harness) -> None:
    agent_id, worker = await harness.new_agent()
    command_id = await harness.command(agent_id, worker, "write early.txt containing never")
    await harness.interrupt(worker, command_id)
    agent = await harness.settled(agent_id)
    assert agent.status == AgentStatus.INTERRUPTED
    assert not (harness.cwd / "early.txt").exists()
    await worker.close()


async def test_a_killed_cli_fails_the_agent_with_the_exit_code(harness: Harness) -> None:
    agent_id, worker = await harness.new_agent()
    await harness.command(agent_id, worker, "sleep 30")
    await harness.hook_seen(agent_id, "PreToolUse")
    cli_process(worker).kill()
    agent = await harness.settled(agent_id)
    assert agent.status == AgentStatus.FAILED
    failed = [e for e in await harness.events(agent_id) if isinstance(e, Agent.AgentFailed)]
    assert "exit code" in failed[0].reason
    await worker.close()
