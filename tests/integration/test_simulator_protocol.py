"""The real SDK and bundled Claude Code CLI against `sim`: pins the protocol facts the simulator relies on.

When the SDK (and so the bundled CLI) is upgraded and one of these fails, re-measure the facts in
shared/notes/claude-cli-protocol.md before changing the simulator.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from claude_agent_sdk import (
    AssistantMessage,
    ClaudeSDKClient,
    HookContext,
    HookInput,
    HookJSONOutput,
    HookMatcher,
    ResultMessage,
    StreamEvent,
    TextBlock,
    ThinkingBlock,
    ToolUseBlock,
    create_sdk_mcp_server,
    query,
    tool,
)
from claude_agent_sdk import ResultError as CliErrorResult

from app.runtime.sdk_env import MGMT_TOOLS, CliLimits, base_options, cli_env, mgmt_tool_names
from app.runtime.simulator import Simulator, run_simulator

pytestmark = pytest.mark.timeout(60)


@pytest.fixture(scope="module")
async def sim() -> AsyncIterator[Simulator]:
    async with run_simulator() as simulator:
        yield simulator


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cli-data")


@pytest.fixture
def env(sim: Simulator, data_dir: Path) -> dict[str, str]:
    # No retries: an injected fault must end the run, not be retried for minutes.
    return cli_env(data_dir, sim.base_url, CliLimits(max_retries=0, api_timeout_ms=5000))


async def run(prompt: str, **options: Any) -> list[Any]:
    return [message async for message in query(prompt=prompt, options=base_options(**options))]


async def run_until_error(prompt: str, **options: Any) -> tuple[list[Any], CliErrorResult]:
    """An error run yields its ResultMessage, then `query` raises; keep both."""
    messages: list[Any] = []
    try:
        async for message in query(prompt=prompt, options=base_options(**options)):
            messages.append(message)  # noqa: PERF401 - the messages before the raise are the point
    except CliErrorResult as error:
        return messages, error
    raise AssertionError("the run ended without an error")


def result_of(messages: list[Any]) -> ResultMessage:
    results = [message for message in messages if isinstance(message, ResultMessage)]
    assert len(results) == 1
    return results[0]


async def test_a_worker_writes_a_file_and_the_cli_prices_the_reported_usage(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    messages = await run("write hello.txt containing hi", env=env, cwd=tmp_path, model="sonnet")

    assert (tmp_path / "hello.txt").read_text() == "hi"
    result = result_of(messages)
    assert not result.is_error
    assert result.total_cost_usd is not None
    assert result.total_cost_usd > 0
    turns = sim.requests_of(result.session_id)
    assert [request.turn for request in turns] == [0, 1]
    assert result.usage is not None
    assert result.usage["input_tokens"] == sum(
        request.usage["input_tokens"] for request in turns if request.usage
    )
    assert result.usage["output_tokens"] == sum(
        request.usage["output_tokens"] for request in turns if request.usage
    )


async def test_the_cli_sends_what_the_simulator_reads(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    result = result_of(await run("read nothing-here.txt", env=env, cwd=tmp_path, model="sonnet"))

    first = sim.requests_of(result.session_id)[0]
    assert (first.method, first.path, first.query) == ("POST", "/v1/messages", "beta=true")
    assert first.headers["anthropic-version"] == "2023-06-01"
    assert {"model", "messages", "system", "tools", "max_tokens", "stream"} <= set(first.body)
    assert first.body["stream"] is True
    assert first.body["model"] == "claude-sonnet-5-5", "the CLI resolves the alias `sonnet` itself"
    assert {"Bash", "Edit", "Read", "Write"} <= set(first.tool_names)
    assert first.role == "worker"
    assert first.prompt == "read nothing-here.txt"
    assert f"Primary working directory: {tmp_path}" in str(first.body["messages"])


async def test_text_arrives_in_several_partial_chunks_before_its_block(
    env: dict[str, str], tmp_path: Path
) -> None:
    messages = await run("hello", env=env, cwd=tmp_path, include_partial_messages=True)

    events = [message.event for message in messages if isinstance(message, StreamEvent)]
    chunks = [event["delta"]["text"] for event in events if event["type"] == "content_block_delta"]
    blocks = [
        block for message in messages if isinstance(message, AssistantMessage) for block in message.content
    ]
    texts = [block.text for block in blocks if isinstance(block, TextBlock)]
    assert len(chunks) > 1
    assert texts == ["".join(chunks)]


async def test_the_orchestrator_calls_mgmt_tools_in_order_then_reports(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []
    server = create_sdk_mcp_server("mgmt", tools=[recording_tool(name, calls) for name in MGMT_TOOLS])
    options = base_options(
        env, cwd=tmp_path, model="sonnet", allowed_tools=mgmt_tool_names(), mcp_servers={"mgmt": server}
    )
    prompt = "create agents alpha and beta, have alpha write a.txt and beta write b.txt, then report cost"

    async with ClaudeSDKClient(options) as client:
        await client.query(prompt)
        messages = [message async for message in client.receive_response()]

    assert calls == [
        ("create_agent", {"name": "alpha"}),
        ("create_agent", {"name": "beta"}),
        ("command_agent", {"agent_name": "alpha", "command": "write a.txt"}),
        ("command_agent", {"agent_name": "beta", "command": "write b.txt"}),
        ("report_cost", {}),
    ]
    blocks = [message.content for message in messages if isinstance(message, AssistantMessage)]
    assert all(len(content) == 1 for content in blocks), "one AssistantMessage per block"
    kinds = [type(content[0]) for content in blocks]
    assert kinds[:3] == [ThinkingBlock, ToolUseBlock, ToolUseBlock]
    assert kinds[-1] is TextBlock
    final = blocks[-1][0]
    assert isinstance(final, TextBlock)
    assert "report_cost done" in final.text
    assert "command_agent done for beta" in final.text
    assert not result_of(messages).is_error


def recording_tool(name: str, calls: list[tuple[str, dict[str, Any]]]) -> Any:
    optional = {"type": "string"}
    schema = {"type": "object", "properties": dict.fromkeys(("name", "agent_name", "command"), optional)}

    @tool(name, f"Test stand-in for mgmt {name}", schema)
    async def record(arguments: dict[str, Any]) -> dict[str, Any]:
        calls.append((name, arguments))
        subject = arguments.get("agent_name") or arguments.get("name") or "the session"
        return {"content": [{"type": "text", "text": f"{name} done for {subject}"}]}

    return record


async def test_interrupting_a_sleeping_worker_ends_its_turn_and_the_next_turn_sees_it(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    started = asyncio.Event()

    async def tool_started(
        _input: HookInput, _tool_use_id: str | None, _context: HookContext
    ) -> HookJSONOutput:
        started.set()
        return {}

    hooks = {"PreToolUse": [HookMatcher(matcher="Bash", hooks=[tool_started])]}
    async with ClaudeSDKClient(base_options(env, cwd=tmp_path, hooks=hooks)) as client:
        await client.query("sleep 120")
        await started.wait()
        await asyncio.sleep(0.3)  # let the shell start the sleep
        await client.interrupt()
        async with asyncio.timeout(20):  # the sleep would take 120 s
            interrupted = result_of([message async for message in client.receive_response()])
        await client.query("write after.txt containing later")
        after = result_of([message async for message in client.receive_response()])

    assert interrupted.subtype == "error_during_execution"
    assert not after.is_error
    assert (tmp_path / "after.txt").read_text() == "later"
    resumed = sim.requests_of(after.session_id)[-2]
    assert "[Request interrupted by user" in str(resumed.body["messages"])


async def test_resuming_a_session_sends_its_history(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    first = result_of(await run("write one.txt containing 1", env=env, cwd=tmp_path))
    count = len(sim.requests)

    second = result_of(await run("read one.txt", env=env, cwd=tmp_path, resume=first.session_id))

    resumed = sim.requests[count]
    assert resumed.prompt == "read one.txt"
    assert "write one.txt containing 1" in str(resumed.body["messages"])
    assert second.result is not None
    assert second.result.endswith("1"), "the final text quotes what Read returned"


async def test_a_server_error_without_retries_ends_as_an_error_result(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    sim.inject_fault("server_error", role="worker")
    messages, _ = await run_until_error("write x.txt containing 1", env=env, cwd=tmp_path)

    result = result_of(messages)
    assert result.is_error
    assert result.api_error_status == 500
    assert sim.requests[-1].outcome == "server_error"
    assert not (tmp_path / "x.txt").exists()


async def test_a_server_that_never_answers_times_out_as_an_error_result(
    sim: Simulator, data_dir: Path, tmp_path: Path
) -> None:
    quick = cli_env(data_dir, sim.base_url, CliLimits(max_retries=0, api_timeout_ms=1000))
    sim.inject_fault("hang", role="worker")
    messages, error = await run_until_error("write y.txt containing 1", env=quick, cwd=tmp_path)

    assert "timed out" in str(error)
    assert result_of(messages).is_error


async def test_an_empty_stream_makes_the_cli_fall_back_to_a_json_request(
    sim: Simulator, env: dict[str, str], tmp_path: Path
) -> None:
    sim.inject_fault("empty_stream", role="worker")

    result = result_of(await run("write z.txt containing 2", env=env, cwd=tmp_path))

    assert not result.is_error
    assert (tmp_path / "z.txt").read_text() == "2"
    outcomes = [(request.outcome, request.body["stream"]) for request in sim.requests_of(result.session_id)]
    assert outcomes[:2] == [("empty_stream", True), ("json", False)]


async def test_a_request_without_tools_gets_a_one_line_summary(env: dict[str, str], tmp_path: Path) -> None:
    prompt = "Summarize in one line:\n\nAlpha wrote the file a.txt and then stopped."

    result = result_of(await run(prompt, env=env, cwd=tmp_path, model="haiku", tools=[]))

    assert result.result == "Alpha wrote the file a.txt and then stopped."
