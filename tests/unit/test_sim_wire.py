"""The simulator's reading of requests and its SSE / JSON answers, as the bundled CLI needs them."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.runtime.simulator.conversation import read_conversation
from app.runtime.simulator.message import Reply, Text, Thinking, ToolUse, message_json
from app.runtime.simulator.sse import frame, message_events, text_chunks
from tests.unit.sim_requests import MGMT_TOOLS, WORKER_TOOLS, assistant, request_body, results

REPLY = Reply(
    (
        Thinking("I will write the file now."),
        Text("Writing hello.txt for you, it will only take a moment."),
        ToolUse("toolu_sim_0_0_abc", "Write", {"file_path": "/w/hello.txt", "content": "hi\n"}),
    )
)


def events() -> list[dict[str, Any]]:
    return list(
        message_events(REPLY, message_id="msg_1", model="claude-sonnet-5-5", input_count=40, chunk_chars=8)
    )


def test_roles_are_told_apart_by_the_tools_offered() -> None:
    summary = request_body("Summarize: x", [])
    title = request_body("x", []) | {"output_config": {"format": {"type": "json_schema", "schema": {}}}}

    assert read_conversation(request_body("x", MGMT_TOOLS + WORKER_TOOLS)).role == "orchestrator"
    assert read_conversation(request_body("x", WORKER_TOOLS)).role == "worker"
    assert read_conversation(summary).role == "summary"
    assert read_conversation(title).role == "title"


def test_the_prompt_skips_reminders_and_the_cwd_comes_from_the_environment_text() -> None:
    conversation = read_conversation(request_body("write a.txt", WORKER_TOOLS))

    assert conversation.prompt == "write a.txt"
    assert conversation.cwd == "/work/here"
    assert conversation.next_turn == 0


def test_progress_comes_from_our_tool_ids_after_the_last_prompt() -> None:
    history = [
        assistant([{"type": "tool_use", "id": "toolu_sim_0_0_x", "name": "Write", "input": {}}]),
        results(("toolu_sim_0_0_x", "written")),
        assistant([{"type": "tool_use", "id": "toolu_sim_1_0_x", "name": "Read", "input": {}}]),
        results(("toolu_sim_1_0_x", "boom"), is_error=True),
    ]

    conversation = read_conversation(request_body("write a.txt then read a.txt", WORKER_TOOLS, history))

    assert conversation.next_turn == 2
    assert conversation.outcomes[(0, 0)].text == "written"
    assert conversation.outcomes[(1, 0)].is_error


def test_a_new_prompt_after_tool_turns_starts_again_at_turn_zero() -> None:
    history = [
        assistant([{"type": "tool_use", "id": "toolu_sim_0_0_x", "name": "Write", "input": {}}]),
        results(("toolu_sim_0_0_x", "written")),
        assistant([{"type": "text", "text": "Done."}]),
        {"role": "user", "content": [{"type": "text", "text": "read a.txt"}]},
    ]

    conversation = read_conversation(request_body("write a.txt", WORKER_TOOLS, history))

    assert (conversation.prompt, conversation.next_turn) == ("read a.txt", 0)


def test_every_frame_has_an_event_line_and_a_matching_type() -> None:
    for event in events():
        lines = frame(event).decode().split("\n")
        assert lines[0] == f"event: {event['type']}"
        assert json.loads(lines[1].removeprefix("data: "))["type"] == event["type"]


def test_blocks_start_empty_and_their_content_arrives_only_through_deltas() -> None:
    by_index: dict[int, list[dict[str, Any]]] = {}
    for event in events():
        if "index" in event:
            by_index.setdefault(event["index"], []).append(event)

    thinking, text, tool = (by_index[i] for i in range(3))
    assert thinking[0]["content_block"] == {"type": "thinking", "thinking": "", "signature": ""}
    assert "".join(e["delta"].get("thinking", "") for e in thinking[1:-1]) == "I will write the file now."
    assert thinking[-2]["delta"]["type"] == "signature_delta"
    assert len(text) > 4  # several text_delta chunks
    assert (
        "".join(e["delta"]["text"] for e in text[1:-1])
        == "Writing hello.txt for you, it will only take a moment."
    )
    assert tool[0]["content_block"]["input"] == {}
    partial = "".join(e["delta"]["partial_json"] for e in tool[1:-1])
    assert json.loads(partial) == {"file_path": "/w/hello.txt", "content": "hi\n"}
    assert all(block[-1]["type"] == "content_block_stop" for block in (thinking, text, tool))


def test_message_start_names_the_model_and_usage_comes_at_both_ends() -> None:
    all_events = events()
    start, delta = all_events[0], all_events[-2]

    assert start["message"]["model"] == "claude-sonnet-5-5"
    assert start["message"]["usage"]["input_tokens"] == 40
    assert delta["delta"]["stop_reason"] == "tool_use"
    assert delta["usage"]["output_tokens"] == REPLY.output_tokens > 1
    assert all_events[-1] == {"type": "message_stop"}


def test_non_streaming_answer_is_one_complete_message() -> None:
    message = message_json(REPLY, message_id="msg_1", model="claude-haiku-5-5", input_count=12)

    assert message["type"] == "message"
    assert message["model"] == "claude-haiku-5-5"
    assert [block["type"] for block in message["content"]] == ["thinking", "text", "tool_use"]
    assert message["content"][2]["input"]["content"] == "hi\n"
    assert message["usage"]["input_tokens"] == 12


@given(st.text(), st.integers(min_value=1, max_value=40))
def test_text_chunks_join_back_to_the_text(text: str, size: int) -> None:
    assert "".join(text_chunks(text, size)) == text
