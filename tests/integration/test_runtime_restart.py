"""Restarts: the runtime resumes from its checkpoint (no command run twice, none missed), marks what the
previous process left unfinished as failed, stands by while another process runs the agents, and resumes
a session (`o3s serve --session ID`) from its events with its SDK conversation."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from app.commands.agent_handlers import command_agent
from app.runtime.checkpoint import RuntimeCheckpoint
from app.runtime.recovery import AGENT_REASON
from app.runtime.session_start import open_session
from domain.agent import Agent
from domain.commands import CommandAgent
from domain.status import AgentStatus
from tests.integration.runtime_support import RuntimeHarness, now, poll, runtime_harness

pytestmark = pytest.mark.timeout(180)


async def command(harness: RuntimeHarness, name: str, prompt: str) -> None:
    assert harness.session_id is not None
    order = CommandAgent(session_id=harness.session_id, name=name, prompt=prompt)
    await harness.commands.run(command_agent, order, harness.user)


async def test_a_restart_runs_what_came_meanwhile_once_and_fails_what_was_cut_off(
    server_url: str, tmp_path: Path
) -> None:
    async with runtime_harness(server_url, tmp_path) as harness:
        async with harness.running():
            await harness.start_session()
            await harness.chat("create two agents alpha and beta")
            await harness.chat("ask alpha to write one.txt containing 1")
            await harness.agent_settles("alpha")
        # The previous process took beta's command and died: its checkpoint is past it, nothing ran.
        await command(harness, "beta", "write lost.txt containing never")
        await RuntimeCheckpoint(harness.pool).save(await harness.store.head())
        # Sent while no runtime ran: after the checkpoint, so the next runtime runs it.
        await command(harness, "alpha", "write late.txt containing 2")

        async with harness.running():
            alpha = await harness.agent_settles("alpha")
            beta = await harness.agent_settles("beta")
        assert alpha.status == AgentStatus.IDLE
        assert (harness.workdir / "late.txt").read_text() == "2"
        turns = [e for e in await harness.events(alpha.id) if isinstance(e, Agent.AgentTurnFinished)]
        assert len(turns) == 2
        assert beta.status == AgentStatus.FAILED
        failures = [e.reason for e in await harness.events(beta.id) if isinstance(e, Agent.AgentFailed)]
        assert failures == [AGENT_REASON]
        assert not (harness.workdir / "lost.txt").exists()


async def test_a_second_runtime_stands_by_until_the_first_stops(server_url: str, tmp_path: Path) -> None:
    async with runtime_harness(server_url, tmp_path) as harness:
        first_process = contextlib.AsyncExitStack()
        first = await first_process.enter_async_context(harness.running())
        async with harness.running(wait_active=False) as second:
            await harness.start_session()
            await harness.chat("create an agent named alpha")
            assert first.active
            assert not second.health().active
            await first_process.aclose()
            await poll(now(lambda: second.active or None), "the standby never took over")
            answer = await harness.chat("list agents")
            assert "alpha" in answer.result


async def test_a_session_resumes_from_its_events_with_its_sdk_conversation(
    server_url: str, tmp_path: Path
) -> None:
    async with runtime_harness(server_url, tmp_path) as harness:
        async with harness.running():
            session_id = await open_session(harness.commands, harness.settings)
            harness.session_id = session_id
            await harness.chat("create an agent named alpha")
            before = await harness.session()
        assert before.sdk_session_id is not None
        moved = tmp_path / "moved"
        moved.mkdir()

        async with harness.running() as runtime:
            assert await open_session(harness.commands, harness.settings, session_id, moved) == session_id
            answer = await harness.chat("list agents")
            assert runtime.simulator is not None
            requests = runtime.simulator.requests_of(before.sdk_session_id)
        after = await harness.session()
        assert not answer.is_error
        assert "alpha" in answer.result
        assert after.working_dir == str(moved)
        assert after.sdk_session_id == before.sdk_session_id
        assert after.orchestrator_usage.cost_usd > before.orchestrator_usage.cost_usd
        # The resumed CLI sent the earlier conversation along with the new message.
        first_request = requests[0].body
        assert isinstance(first_request, dict)
        assert len(first_request["messages"]) > 2
