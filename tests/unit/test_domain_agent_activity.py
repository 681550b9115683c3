"""What the runtime reports an agent did: blocks, hooks, files; tied to the running command."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import agent_activity
from domain.agent import Agent
from domain.errors import InvalidValue, TextTooLong
from domain.values import ChangedFile
from tests.unit.domain_builders import busy_agent, emitted, new_agent


def test_blocks_carry_the_running_command() -> None:
    agent = busy_agent()
    assert agent.current is not None
    running = agent.current.command_id
    agent_activity.record_text_block(agent, uuid4(), "Looking at the code")
    agent_activity.record_thinking_block(agent, uuid4(), "The bug is in auth.py")
    agent_activity.record_tool_use_block(agent, uuid4(), "toolu_1", "Read", {"file_path": "auth.py"})
    events = emitted(agent)
    assert [event.command_id for event in events] == [running] * 3
    text, thinking, tool_use = events
    assert isinstance(text, Agent.AgentTextBlockRecorded)
    assert text.text == "Looking at the code"
    assert thinking.thinking == "The bug is in auth.py"
    assert (tool_use.tool_use_id, tool_use.tool_name, tool_use.tool_input) == (
        "toolu_1",
        "Read",
        {"file_path": "auth.py"},
    )


def test_hook_event_keeps_its_payload_and_a_summary_placeholder() -> None:
    agent = busy_agent()
    hook_id = uuid4()
    agent_activity.record_hook_event(
        agent,
        hook_id,
        "PostToolUse",
        tool_name="Edit",
        tool_use_id="toolu_2",
        tool_input={"file_path": "a.py"},
        tool_response={"ok": True},
        payload={"cwd": "/repo"},
    )
    [hook] = emitted(agent)
    assert isinstance(hook, Agent.HookEventRecorded)
    assert (hook.hook_event_id, hook.hook_type, hook.tool_name, hook.tool_use_id) == (
        hook_id,
        "PostToolUse",
        "Edit",
        "toolu_2",
    )
    assert (hook.tool_response, hook.payload, hook.summary, hook.error) == (
        {"ok": True},
        {"cwd": "/repo"},
        None,
        None,
    )


def test_unknown_hook_types_are_rejected() -> None:
    agent = busy_agent()
    with pytest.raises(InvalidValue, match="hook_type 'PostSomething'"):
        agent_activity.record_hook_event(agent, uuid4(), "PostSomething")


def test_files_tracked_with_diffs() -> None:
    agent = busy_agent()
    agent_activity.track_files(agent, "toolu_3", ("README.md",), (ChangedFile("a.py", "@@ -1 +1 @@"),))
    [tracked] = emitted(agent)
    assert tracked.read_paths == ("README.md",)
    assert tracked.changed_files == (ChangedFile("a.py", "@@ -1 +1 @@"),)


def test_output_between_commands_has_no_command() -> None:
    agent = new_agent()
    agent_activity.record_text_block(agent, uuid4(), "")
    [text] = emitted(agent)
    assert text.command_id is None


def test_oversized_block_is_rejected() -> None:
    agent = busy_agent()
    with pytest.raises(TextTooLong, match="limit is 1000000"):
        agent_activity.record_text_block(agent, uuid4(), "x" * 1_000_001)
