"""The simulator's scripted turns: each answer is derived from the conversation in the request alone."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.runtime.simulator.conversation import read_conversation
from app.runtime.simulator.message import Reply, Text, Thinking, ToolUse, block_json
from app.runtime.simulator.planner import answer, triggered_fault
from app.runtime.simulator.rules import Role, RuleBook, load_rule_books
from app.runtime.simulator.scenario_files import FaultKind
from tests.unit.sim_requests import MGMT_TOOLS, WORKER_TOOLS, assistant, request_body, results

BOOKS = load_rule_books()


def converse(prompt: str, tools: list[str], books: dict[Role, RuleBook] = BOOKS) -> list[Reply]:
    """Play a whole exchange: every tool "succeeds" with a text naming its call, as the CLI would report."""
    history: list[dict[str, Any]] = []
    replies: list[Reply] = []
    for _ in range(20):
        reply = answer(books, read_conversation(request_body(prompt, tools, history)))
        replies.append(reply)
        calls = [block for block in reply.blocks if isinstance(block, ToolUse)]
        if not calls:
            return replies
        history.append(assistant([block_json(block) for block in reply.blocks]))
        history.append(results(*((call.id, f"ok {call.name} {json.dumps(call.input)}") for call in calls)))
    raise AssertionError("the script never ended")


def tool_calls(replies: list[Reply]) -> list[tuple[str, dict[str, Any]]]:
    return [(b.name, b.input) for reply in replies for b in reply.blocks if isinstance(b, ToolUse)]


def final_text(replies: list[Reply]) -> str:
    last = replies[-1].blocks
    assert len(last) == 1
    assert isinstance(last[0], Text)
    return last[0].text


def test_orchestrator_turns_a_compound_request_into_mgmt_calls_in_order() -> None:
    replies = converse(
        "create agents alpha and beta, have alpha write a.txt and beta write b.txt, then report cost",
        MGMT_TOOLS,
    )

    assert tool_calls(replies) == [
        ("mcp__mgmt__create_agent", {"name": "alpha"}),
        ("mcp__mgmt__create_agent", {"name": "beta"}),
        ("mcp__mgmt__command_agent", {"agent_name": "alpha", "command": "write a.txt"}),
        ("mcp__mgmt__command_agent", {"agent_name": "beta", "command": "write b.txt"}),
        ("mcp__mgmt__report_cost", {}),
    ]
    text = final_text(replies)
    assert 'ok mcp__mgmt__create_agent {"name": "beta"}' in text
    assert "ok mcp__mgmt__report_cost {}" in text


def test_orchestrator_thinks_before_each_tool_turn() -> None:
    replies = converse("create an agent named alpha, then list agents", MGMT_TOOLS)

    tool_turns = replies[:-1]
    assert len(tool_turns) == 2
    for reply in tool_turns:
        assert isinstance(reply.blocks[0], Thinking)
        assert reply.stop_reason == "tool_use"
    assert replies[-1].stop_reason == "end_turn"


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "create a reviewer agent named carol",
            [("create_agent", {"name": "carol", "subagent_template": "reviewer"})],
        ),
        ("create agent alpha with model haiku", [("create_agent", {"name": "alpha", "model": "haiku"})]),
        (
            "tell alpha to read notes.txt",
            [("command_agent", {"agent_name": "alpha", "command": "read notes.txt"})],
        ),
        ("check alpha with 5 log lines", [("check_agent_status", {"agent_name": "alpha", "tail_count": 5})]),
        (
            "status of alpha verbosely",
            [("check_agent_status", {"agent_name": "alpha", "verbose_logs": True})],
        ),
        ("list agents", [("list_agents", {})]),
        ("interrupt alpha", [("interrupt_agent", {"agent_name": "alpha"})]),
        (
            "delete alpha and beta",
            [("delete_agent", {"agent_name": "alpha"}), ("delete_agent", {"agent_name": "beta"})],
        ),
        (
            "read the error logs containing boom",
            [("read_system_logs", {"level": "error", "message_contains": "boom"})],
        ),
        ("what is the total cost?", [("report_cost", {})]),
        (
            "create agent alpha and ask it to sleep 5",
            [
                ("create_agent", {"name": "alpha"}),
                ("command_agent", {"agent_name": "alpha", "command": "sleep 5"}),
            ],
        ),
        (
            "ask alpha to write notes.txt containing eggs and milk",
            [
                (
                    "command_agent",
                    {"agent_name": "alpha", "command": "write notes.txt containing eggs and milk"},
                )
            ],
        ),
        (
            'tell alpha "write a.txt containing x, then read a.txt"',
            [
                (
                    "command_agent",
                    {"agent_name": "alpha", "command": "write a.txt containing x, then read a.txt"},
                )
            ],
        ),
    ],
)
def test_orchestrator_grammar(prompt: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    calls = tool_calls(converse(prompt, MGMT_TOOLS))

    assert calls == [(f"mcp__mgmt__{name}", tool_input) for name, tool_input in expected]


def test_unknown_orchestrator_request_gets_help_listing_examples() -> None:
    replies = converse("juggle three oranges", MGMT_TOOLS)

    assert len(replies) == 1
    text = final_text(replies)
    assert "create two agents alpha and beta" in text
    assert "report cost" in text


def test_worker_writes_to_an_absolute_path_in_its_working_directory() -> None:
    replies = converse("write hello.txt containing hi there", WORKER_TOOLS)

    assert tool_calls(replies) == [("Write", {"file_path": "/work/here/hello.txt", "content": "hi there"})]
    assert "Wrote hello.txt." in final_text(replies)


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "edit notes.txt replace foo with bar",
            [
                ("Read", {"file_path": "/work/here/notes.txt"}),
                (
                    "Edit",
                    {"file_path": "/work/here/notes.txt", "old_string": "foo", "new_string": "bar"},
                ),
            ],
        ),
        ("read /etc/hostname", [("Read", {"file_path": "/etc/hostname"})]),
        ("run ls -la", [("Bash", {"command": "ls -la", "description": "Run ls -la"})]),
        ("sleep 3", [("Bash", {"command": "echo sleeping 3s && sleep 3", "description": "Wait 3 seconds"})]),
        ("fail the tool", [("Read", {"file_path": "/work/here/this-file-does-not-exist.txt"})]),
        ("write empty.txt", [("Write", {"file_path": "/work/here/empty.txt", "content": ""})]),
        (
            "write a.txt containing 'x, y' then read a.txt",
            [
                ("Write", {"file_path": "/work/here/a.txt", "content": "x, y"}),
                ("Read", {"file_path": "/work/here/a.txt"}),
            ],
        ),
    ],
)
def test_worker_grammar(prompt: str, expected: list[tuple[str, dict[str, Any]]]) -> None:
    assert tool_calls(converse(prompt, WORKER_TOOLS)) == expected


def test_worker_reports_a_failed_tool_in_its_final_text() -> None:
    body = request_body("fail the tool", WORKER_TOOLS)
    first = answer(BOOKS, read_conversation(body))
    call = first.blocks[0]
    assert isinstance(call, ToolUse)
    body["messages"] += [
        assistant([block_json(call)]),
        results((call.id, "File does not exist."), is_error=True),
    ]

    reply = answer(BOOKS, read_conversation(body))

    assert reply.blocks == (Text("Done.\nThe tool failed as asked: File does not exist."),)


def test_a_tool_the_request_does_not_offer_is_not_called() -> None:
    offered = [name for name in MGMT_TOOLS if not name.endswith("create_agent")]

    replies = converse("create an agent named alpha", offered)

    assert tool_calls(replies) == []
    assert "mcp__mgmt__create_agent is not available" in final_text(replies)


def test_summary_requests_get_one_line_per_numbered_item() -> None:
    one = final_text(converse("Summarize in one line:\n\nThe agent wrote a.txt and stopped.", []))
    batch = final_text(converse("Summarize each item:\n1. wrote a file\n2. read it back", []))

    assert one == "The agent wrote a.txt and stopped."
    assert batch.splitlines() == ["1. wrote a file", "2. read it back"]


def test_structured_output_calls_the_cli_tool_with_schema_shaped_values() -> None:
    body = request_body("1. wrote a file\n2. read it", [])
    schema = {"type": "object", "properties": {"summaries": {"type": "array", "items": {"type": "string"}}}}
    body["tools"] = [{"name": "StructuredOutput", "description": "", "input_schema": schema}]

    reply = answer(BOOKS, read_conversation(body))

    call = reply.blocks[0]
    assert isinstance(call, ToolUse)
    assert (call.name, call.input) == ("StructuredOutput", {"summaries": ["wrote a file", "read it"]})


def test_fault_phrases_fire_only_at_the_start_of_a_request() -> None:
    direct = read_conversation(request_body("simulate a server error", WORKER_TOOLS))
    relayed = read_conversation(request_body("ask alpha to simulate a server error", MGMT_TOOLS))

    assert triggered_fault(BOOKS, direct) is FaultKind.SERVER_ERROR
    assert triggered_fault(BOOKS, relayed) is None


def test_same_request_gets_the_same_answer() -> None:
    body = request_body("create agents alpha and beta", MGMT_TOOLS)

    assert answer(BOOKS, read_conversation(body)) == answer(BOOKS, read_conversation(body))
