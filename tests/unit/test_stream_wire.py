"""frame_for: each stored event of a real history becomes the original system's wire frame, id = position,
carrying the same rows the read tables get from the same event."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import msgspec
import pytest

from domain import agent_activity as agent_does
from domain import session_activity as session_does
from domain.agent import Agent
from domain.agent_lifecycle import command_agent, create_agent, delete_agent, finish_agent_turn
from domain.codec import EventCodec
from domain.metadata import Actor, Metadata
from domain.records import RecordedEvent
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.values import ChangedFile, Usage
from projections.catalog import BY_NAME
from projections.decoding import decode
from projections.state import ProjectionState
from read_api.sse import STORED_TYPES, WIRE_TYPES, WireFrame
from read_api.wire import WireMapper, frame_for
from read_api.wire_context import WireContext
from read_api.wire_types import StreamFrames

CODEC = EventCodec(EVENT_TYPES)


class History:
    """Stores what aggregates emit, in order, as the store would record it."""

    def __init__(self, session: OrchestratorSession) -> None:
        self.metadata = Metadata.first(uuid4(), Actor.USER).in_session(session.id)
        self.records: list[RecordedEvent] = []

    def flush(self, *aggregates: Agent | OrchestratorSession) -> None:
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                new = CODEC.encode(event, self.metadata)
                position = len(self.records) + 1
                self.records.append(
                    RecordedEvent(
                        position, new.event_id, new.stream_id, new.version, new.type, new.data,
                        new.metadata, datetime.now(UTC),
                    )
                )  # fmt: skip


def a_day_of_work() -> tuple[History, OrchestratorSession, Agent]:
    session = OrchestratorSession.start("/work", "sonnet")
    history = History(session)
    history.flush(session)
    session.send_user_message(uuid4(), "build the thing")
    session_does.record_thinking_block(session, uuid4(), None, "who should do it?")
    session_does.record_tool_use_block(
        session, uuid4(), None, "tu1", "mcp__mgmt__create_agent", {"name": "b"}
    )
    agent = create_agent(session, "builder", "sonnet", "/work")
    history.flush(session, agent)
    session_does.record_tool_result(session, uuid4(), None, "tu1", "created builder", False)
    command_agent(session, agent, uuid4(), "build it", "orchestrator", task_slug="build-it")
    agent_does.record_thinking_block(agent, uuid4(), "plan")
    agent_does.record_tool_use_block(agent, uuid4(), "tu2", "Write", {"file_path": "a.py"})
    agent_does.record_hook_event(agent, uuid4(), "PostToolUse", tool_name="Write", tool_response={"ok": True})
    agent_does.track_files(agent, "tu2", ("b.py",), (ChangedFile("a.py", "+x"),))
    agent_does.record_text_block(agent, uuid4(), "done")
    history.flush(session, agent)
    finish_agent_turn(
        session, agent, Usage(input_tokens=10, output_tokens=5, cost_usd=0.25), 900, 2, "s1", False, "ok"
    )
    agent_does.record_summary(agent, uuid4(), "command", "built it", "haiku", Usage())
    agent.set_budget(0.2, 0.5)
    agent.set_budget(5.0, 0.5)
    command_agent(session, agent, uuid4(), "try again", "user")
    agent.request_interrupt("enough")
    agent.mark_interrupted()
    command_agent(session, agent, uuid4(), "once more", "orchestrator")
    agent.fail("the CLI crashed")
    history.flush(agent, session)
    session_does.record_text_block(session, uuid4(), None, "builder built it")
    session.finish_turn(None, Usage(input_tokens=3, cost_usd=0.01), 500, 1, "o1", False, "ok")
    session_does.record_system_log(session, uuid4(), "INFO", "turn finished", {"turns": 1})
    delete_agent(session, agent)
    history.flush(session, agent)
    return history, session, agent


def frames_of(history: History) -> list[tuple[str, WireFrame | None]]:
    mapper = WireMapper()
    return [(recorded.type, mapper(recorded, CODEC.decode(recorded))) for recorded in history.records]


def data_of(history: History, wire_type: str) -> list[dict[str, Any]]:
    return [
        json.loads(frame.sse.split(b"data: ", 1)[1])
        for _, frame in frames_of(history)
        if frame is not None and frame.type == wire_type
    ]


def test_every_stored_wire_type_comes_from_some_event() -> None:
    history, _, _ = a_day_of_work()
    assert {frame.type for _, frame in frames_of(history) if frame is not None} == STORED_TYPES


def test_each_frame_has_its_position_as_id_and_in_its_data() -> None:
    history, _, _ = a_day_of_work()
    for recorded, (_, frame) in zip(history.records, frames_of(history), strict=True):
        if frame is None:
            continue
        head = f"id: {recorded.position}\nevent: {frame.type}\ndata: ".encode()
        assert frame.sse.startswith(head)
        assert frame.sse.endswith(b"\n\n")
        assert frame.sse.count(b"\n") == 4
        assert json.loads(frame.sse[len(head) : -2])["position"] == recorded.position
        assert frame.position == recorded.position


def test_agent_frames_name_their_agent_and_every_frame_its_session() -> None:
    history, session, agent = a_day_of_work()
    for type_name, frame in frames_of(history):
        if frame is None:
            continue
        assert frame.session_id == str(session.id), type_name
        if type_name.startswith(("Agent", "Hook", "Files")) and not type_name.startswith("AgentName"):
            assert (frame.agent_id, frame.agent_name) == (str(agent.id), "builder"), type_name


def test_bookkeeping_events_have_no_frame() -> None:
    history, _, _ = a_day_of_work()
    assert {type_name for type_name, frame in frames_of(history) if frame is None} == {
        "AgentCommandStarted.v1",
        "AgentInterruptRequested.v1",
        "AgentNameRegistered.v1",
        "AgentNameReleased.v1",
        "AgentCostAccrued.v1",
        "AgentBudgetSet.v1",
    }


def test_costs_travel_as_deltas_of_one_turn() -> None:
    history, _, _ = a_day_of_work()
    (agent_turn,) = data_of(history, "agent_updated")
    assert agent_turn["delta"] == {
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_read_input_tokens": 0,
        "cache_creation_input_tokens": 0,
        "total_cost": 0.25,
    }
    assert agent_turn["name"] == "builder"
    started, finished = data_of(history, "orchestrator_updated")
    assert (started["working_dir"], started["delta"]) == ("/work", None)
    assert finished["delta"]["total_cost"] == pytest.approx(0.01)


def test_agent_logs_carry_their_command_s_task_slug() -> None:
    history, _, _ = a_day_of_work()
    logs = [frame["log"] for frame in data_of(history, "agent_log")]
    assert [(log["event_type"], log["task_slug"]) for log in logs][:5] == [
        ("thinking", "build-it"),
        ("tool_use", "build-it"),
        ("PostToolUse", "build-it"),
        ("files", "build-it"),
        ("text", "build-it"),
    ]
    assert logs[-1]["event_type"] == "interrupted"


def test_frames_carry_the_rows_the_read_tables_get_from_the_same_event() -> None:
    history, _, _ = a_day_of_work()
    table_of = {
        "agent_created": "agents",
        "agent_log": "agent_logs",
        "agent_updated": "agent_logs",  # its `result` row
        "error": "agent_logs",  # an agent's failure: its `failed` row
        "orchestrator_chat": "orchestrator_chat",
    }
    table_of["system_log"] = "system_logs"
    key_of = {
        "agent_created": "agent",
        "agent_log": "log",
        "agent_updated": "log",
        "error": "log",
        "orchestrator_chat": "message",
        "system_log": "log",
    }
    state = ProjectionState([BY_NAME[name] for name in dict.fromkeys(table_of.values())])
    compared = 0
    for recorded, (_, frame) in zip(history.records, frames_of(history), strict=True):
        changes = state.apply(decode(CODEC, recorded))
        if frame is None or frame.type not in table_of:
            continue
        sent = json.loads(frame.sse.split(b"data: ", 1)[1])[key_of[frame.type]]
        rows = [change.row for change in changes if change.table == table_of[frame.type]]
        if frame.type == "orchestrator_chat" and sent["receiver_type"] == "agent":
            assert rows == []  # commands to agents: on the wire as in the original; the chat table lacks them
            continue
        (row,) = rows
        expected = msgspec.json.decode(msgspec.json.encode(row))
        if table_of[frame.type] == "agent_logs":
            expected["session_id"] = None  # the SDK session: the table tracks it, one event cannot
        assert sent == expected, frame.type
        compared += 1
    assert compared >= 14
    assert {"agent_updated", "error"} <= {frame.type for _, frame in frames_of(history) if frame}


def test_frame_for_is_pure() -> None:
    history, _, _ = a_day_of_work()
    context = WireContext()
    for recorded in history.records:
        context.learn(recorded.stream_id, CODEC.decode(recorded))
    for recorded in history.records:
        assert frame_for(recorded, CODEC.decode(recorded), context) == frame_for(
            recorded, CODEC.decode(recorded), context
        )


def test_the_schema_of_frames_names_every_wire_type_and_every_frame_fits_it() -> None:
    declared = msgspec.structs.fields(StreamFrames)
    assert {field.name for field in declared} == WIRE_TYPES
    schema_of = {field.name: field.type for field in declared}
    history, _, _ = a_day_of_work()
    sent = [frame for _, frame in frames_of(history) if frame is not None]
    for frame in sent:
        data = frame.sse.split(b"data: ", 1)[1]
        decoded = msgspec.json.decode(data, type=schema_of[frame.type], strict=True)
        assert msgspec.json.encode(decoded) == data.strip(), frame.type
    assert {frame.type for frame in sent} == STORED_TYPES


async def test_ephemeral_frames_the_runtime_sends_fit_the_schema() -> None:
    from app.runtime.ephemeral import Ephemeral
    from read_api import wire_types

    class Collected:
        def __init__(self) -> None:
            self.frames: list[WireFrame] = []

        async def publish_ephemeral(self, frame: WireFrame) -> None:
            self.frames.append(frame)

    hub, session, block = Collected(), uuid4(), uuid4()
    ephemeral = Ephemeral(hub, session)
    await ephemeral.typing(True)
    await ephemeral.chunk(block, "Hel")
    assert [frame.type for frame in hub.frames] == ["chat_typing", "chat_stream"]
    assert all(b"\nid:" not in frame.sse and not frame.sse.startswith(b"id:") for frame in hub.frames)
    typing, chunk = (
        msgspec.json.decode(frame.sse.split(b"data: ", 1)[1], type=kind, strict=True)
        for frame, kind in zip(hub.frames, (wire_types.ChatTyping, wire_types.ChatStream), strict=True)
    )
    assert typing == wire_types.ChatTyping(is_typing=True, session_id=str(session))
    assert chunk == wire_types.ChatStream(block_id=str(block), chunk="Hel", session_id=str(session))
