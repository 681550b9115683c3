"""What goes wrong ends as clear events, and the runtime keeps serving: bad tool input, model server errors
(500, timeout), killed CLIs (a worker's, the orchestrator's); secrets never reach the store or the stream."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from domain.agent import Agent
from domain.events.session import OrchestratorToolResultRecorded, SystemLogRecorded, UserMessageSent
from domain.status import AgentStatus
from tests.integration.runtime_support import RuntimeHarness, cli_processes, runtime_harness

pytestmark = pytest.mark.timeout(180)


async def test_bad_input_and_model_errors_end_as_clear_events_and_serving_goes_on(
    server_url: str, tmp_path: Path
) -> None:
    async with runtime_harness(server_url, tmp_path) as harness, harness.running() as runtime:
        session_id = await harness.start_session()
        sim = runtime.simulator
        assert sim is not None
        await harness.chat("create an agent named alpha")

        await harness.chat("create an agent named alpha")
        await harness.chat("ask ghost to write x.txt containing y")
        logs = [e for e in await harness.events(session_id) if isinstance(e, SystemLogRecorded)]
        assert [(log.level, log.details["tool"]) for log in logs] == [
            ("WARNING", "create_agent"),
            ("WARNING", "command_agent"),
        ]
        assert "an agent named 'alpha' already exists" in logs[0].message
        assert "no live agent named 'ghost'" in logs[1].message
        errors = [
            e for e in await harness.events(session_id) if isinstance(e, OrchestratorToolResultRecorded)
        ]
        assert [e.is_error for e in errors] == [False, True, True]

        sim.inject_fault("server_error", role="worker")
        await harness.chat("ask alpha to write a.txt containing 1")
        alpha = await harness.agent_settles("alpha")
        assert alpha.status == AgentStatus.FAILED
        assert "HTTP 500" in last_failure(await harness.events(alpha.id))

        sim.inject_fault("server_error", role="orchestrator")
        failed_turn = await harness.chat("list agents")
        assert failed_turn.is_error
        assert "HTTP 500" in failed_turn.result

        sim.inject_fault("hang", role="worker")
        await harness.chat("ask alpha to write c.txt containing 3")
        alpha = await harness.agent_settles("alpha")
        assert alpha.status == AgentStatus.FAILED
        assert "timed out" in last_failure(await harness.events(alpha.id))
        assert not (harness.workdir / "c.txt").exists()

        await harness.chat("ask alpha to write b.txt containing 2")
        assert (await harness.agent_settles("alpha")).status == AgentStatus.IDLE
        assert (harness.workdir / "b.txt").read_text() == "2"
        answer = await harness.chat("read the warning logs")
        assert not answer.is_error


async def test_killed_clis_end_as_clear_events_and_serving_goes_on(server_url: str, tmp_path: Path) -> None:
    async with runtime_harness(server_url, tmp_path) as harness, harness.running():
        await harness.start_session()
        await harness.chat("create an agent named alpha")
        await harness.chat("ask alpha to sleep 30")
        alpha = await harness.agent("alpha")
        await harness.until_hook(alpha.id, "PreToolUse", "Bash")
        [worker] = cli_processes("worker")
        os.kill(worker, signal.SIGKILL)
        alpha = await harness.agent_settles("alpha")
        assert alpha.status == AgentStatus.FAILED
        assert "exit code" in last_failure(await harness.events(alpha.id))

        [orchestrator] = cli_processes("orchestrator")
        os.kill(orchestrator, signal.SIGKILL)
        answer = await harness.chat("ask alpha to write after.txt containing ok")
        assert not answer.is_error
        assert (await harness.agent_settles("alpha")).status == AgentStatus.IDLE
        assert (harness.workdir / "after.txt").read_text() == "ok"
        assert cli_processes("orchestrator") != [orchestrator]


async def test_secrets_are_redacted_before_they_are_stored_or_streamed(
    server_url: str, tmp_path: Path
) -> None:
    secret = "sk-ant-api03-abcdefghijklmnopqrstuvwx"
    async with runtime_harness(server_url, tmp_path) as harness, harness.running():
        await harness.start_session()
        await harness.chat("create an agent named alpha")
        await harness.chat(f"ask alpha to run 'echo ANTHROPIC_API_KEY={secret} > env.txt'")
        await harness.agent_settles("alpha")
        await assert_nowhere(harness, secret)


async def assert_nowhere(harness: RuntimeHarness, secret: str) -> None:
    stored = await harness.store.read_all(0, 100_000)
    leaks = [r.type for r in stored if secret.encode() in r.data and r.type != "UserMessageSent.v1"]
    assert leaks == []
    # The user's own message is stored as typed; everything the runtime wrote after it is clean.
    assert any(isinstance(e, UserMessageSent) for e in await harness.all_events())
    assert all(secret.encode() not in frame.sse for frame in harness.hub.frames)
    assert "[REDACTED]" in (harness.workdir / "env.txt").read_text()


def last_failure(events: list[object]) -> str:
    return [e for e in events if isinstance(e, Agent.AgentFailed)][-1].reason
