"""The `mgmt` tools on real PostgreSQL: bad input answers the orchestrator a clear error and is logged.

The tools are called as the SDK's MCP server calls them (their handlers, with the tool input dict); no CLI
is needed, since every answer comes from the command handlers and the store.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg
import pytest

from app.commands.runner import Commands
from app.commands.session_handlers import start_session
from app.eventstore.store import EventStore
from app.runtime.mgmt_queries import MgmtQueries
from app.runtime.mgmt_tools import MgmtTools
from domain.codec import EventCodec
from domain.commands import StartSession
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES

codec = EventCodec(EVENT_TYPES)


class Tools:
    def __init__(self, tools: MgmtTools, refusals: list[tuple[str, dict[str, Any], str]]) -> None:
        self._by_name = {tool.name: tool for tool in tools.tools()}
        self.refusals = refusals

    async def call(self, tool: str, /, **arguments: Any) -> tuple[str, bool]:
        result = await self._by_name[tool].handler(arguments)
        return result["content"][0]["text"], bool(result.get("is_error"))


@pytest.fixture
async def tools(pool: asyncpg.Pool, tmp_path: Path) -> Tools:
    store = EventStore(pool)
    commands = Commands(store, codec=codec)
    metadata = Metadata.first(uuid4(), Actor.ORCHESTRATOR, "orchestrator")
    start = StartSession(working_dir=str(tmp_path), model="sonnet")
    session_id = (await commands.run(start_session, start, metadata)).session_id
    templates = tmp_path / ".claude" / "agents"
    templates.mkdir(parents=True)
    (templates / "reviewer.md").write_text(
        "---\nname: reviewer\ndescription: Reviews code\nmodel: haiku\ntools: Read, Grep\n---\nReview.\n"
    )
    refusals: list[tuple[str, dict[str, Any], str]] = []
    queries = MgmtQueries(commands, store, codec, session_id)
    mgmt = MgmtTools(commands, queries, tmp_path, lambda: metadata, lambda *r: refusals.append(r))
    return Tools(mgmt, refusals)


async def test_all_eight_tools_answer_for_a_healthy_session(tools: Tools) -> None:
    assert (await tools.call("create_agent", name="alpha"))[1] is False
    text, error = await tools.call("create_agent", name="rev", subagent_template="reviewer")
    assert not error
    assert "model haiku" in text
    assert "alpha: idle" in (await tools.call("list_agents"))[0]
    text, error = await tools.call("command_agent", agent_name="alpha", command="write a.txt containing x")
    assert not error
    assert "works in the background" in text
    status, _ = await tools.call("check_agent_status", agent_name="alpha", tail_count=5)
    assert "alpha: executing" in status
    assert "[command] write a.txt containing x" in status
    assert (await tools.call("interrupt_agent", agent_name="alpha"))[1] is False
    assert (await tools.call("delete_agent", agent_name="rev"))[1] is False
    assert "No system log entries" in (await tools.call("read_system_logs"))[0]
    assert "session total: $0.0000" in (await tools.call("report_cost"))[0]
    assert tools.refusals == []


@pytest.mark.parametrize(
    ("tool", "arguments", "expected"),
    [
        ("command_agent", {"agent_name": "ghost", "command": "work"}, "no live agent named 'ghost'"),
        ("create_agent", {"name": "alpha"}, "an agent named 'alpha' already exists"),
        ("create_agent", {"name": "gamma", "model": "gpt-4"}, "model 'gpt-4' is not a model"),
        (
            "create_agent",
            {"name": "delta", "subagent_template": "nosuch"},
            "unknown subagent_template 'nosuch'",
        ),
        ("create_agent", {"name": "Bad Name"}, "must match [a-z0-9][a-z0-9_-]*"),
        ("command_agent", {"agent_name": "alpha", "command": "   "}, "prompt must not be empty"),
        ("check_agent_status", {"agent_name": "alpha", "tail_count": "many"}, "expected a whole number"),
        ("interrupt_agent", {"agent_name": "alpha"}, "has no running command to interrupt"),
    ],
)
async def test_bad_input_is_a_clear_error_and_a_logged_refusal(
    tools: Tools, tool: str, arguments: dict[str, Any], expected: str
) -> None:
    await tools.call("create_agent", name="alpha")
    text, error = await tools.call(tool, **arguments)
    assert error
    assert text.startswith("Error: ")
    assert expected in text
    assert tools.refusals == [(tool, arguments, text.removeprefix("Error: "))]


async def test_a_busy_agent_is_told_apart_with_advice_the_orchestrator_can_follow(tools: Tools) -> None:
    await tools.call("create_agent", name="alpha")
    await tools.call("command_agent", agent_name="alpha", command="sleep 30")
    text, error = await tools.call("command_agent", agent_name="alpha", command="write b.txt containing y")
    assert error
    assert "agent 'alpha' is executing" in text
    assert "interrupt it first" in text
    assert "queue=true" not in text
