"""The pure folds, given/when/then: domain decisions in, rows of every read table out (in memory)."""

from __future__ import annotations

import random
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest

from domain import agent_activity, session_activity
from domain.agent import Agent
from domain.agent_lifecycle import command_agent, create_agent, delete_agent, finish_agent_turn
from domain.records import RecordedEvent
from domain.session import OrchestratorSession
from domain.values import ChangedFile, Usage
from projections.catalog import PROJECTORS
from projections.folding import Decoded, ProjectionStopped
from projections.state import ProjectionState, fold_all
from tests.session_workload import CODEC, SessionWorkload
from tests.unit.domain_builders import as_recorded


class History:
    """Events in the order the decisions made them, as the store would number them."""

    def __init__(self) -> None:
        self.recorded: list[RecordedEvent] = []

    def take(self, *aggregates: Agent | OrchestratorSession) -> None:
        for aggregate in aggregates:
            for event in aggregate.collect_events():
                self.recorded.append(as_recorded(CODEC.encode(event), len(self.recorded) + 1))

    def tables(self) -> dict[str, dict[Any, Any]]:
        return fold_all(self.recorded, CODEC, PROJECTORS).tables


@pytest.fixture
def history() -> History:
    return History()


@pytest.fixture
def session(history: History) -> OrchestratorSession:
    session = OrchestratorSession.start("/work", "sonnet", "orchestrate")
    history.take(session)
    return session


def busy(history: History, session: OrchestratorSession, name: str = "builder") -> tuple[Agent, UUID]:
    agent = create_agent(session, name, "haiku", "/work", "be brief")
    command_id = uuid4()
    command_agent(session, agent, command_id, "build it", "orchestrator", task_slug="build-it")
    history.take(session, agent)
    return agent, command_id


def test_an_agent_row_follows_its_status_usage_and_log_count(
    history: History, session: OrchestratorSession
) -> None:
    agent, _ = busy(history, session)
    agent_activity.record_text_block(agent, uuid4(), "working")
    usage = Usage(input_tokens=100, output_tokens=10, cost_usd=0.25)
    finish_agent_turn(session, agent, usage, 900, 2, "sdk-7", False, "done")
    history.take(session, agent)

    row = history.tables()["agents"][agent.id]
    assert (row.name, row.model, row.status, row.orchestrator_agent_id) == (
        "builder",
        "haiku",
        "idle",
        session.id,
    )
    assert (row.input_tokens, row.output_tokens, row.total_cost, row.session_id) == (100, 10, 0.25, "sdk-7")
    assert row.log_count == 2  # the text block and the turn's result
    assert row.position == max(
        recorded.position for recorded in history.recorded if recorded.stream_id == agent.id
    )


def test_a_deleted_agent_is_archived_not_removed(history: History, session: OrchestratorSession) -> None:
    agent = create_agent(session, "temp", "sonnet", "/work")
    history.take(session, agent)
    delete_agent(session, agent)
    history.take(agent, session)
    row = history.tables()["agents"][agent.id]
    assert (row.archived, row.status) == (True, "deleted")


def test_log_entries_name_their_agent_task_and_place_in_the_stream(
    history: History, session: OrchestratorSession
) -> None:
    agent, _ = busy(history, session)
    block_id, hook_id = uuid4(), uuid4()
    agent_activity.record_tool_use_block(agent, block_id, "tu1", "Edit", {"path": "a.py"})
    agent_activity.record_hook_event(
        agent, hook_id, "PostToolUse", tool_name="Edit", tool_response={"ok": True}
    )
    agent_activity.track_files(agent, "tu1", ("a.py",), (ChangedFile(path="a.py", diff="+1"),))
    agent_activity.record_summary(agent, block_id, "block", "edited a.py", "haiku", Usage(cost_usd=0.001))
    history.take(agent)

    logs = history.tables()["agent_logs"]
    tool_use, hook = logs[block_id], logs[hook_id]
    assert (tool_use.agent_name, tool_use.task_slug, tool_use.event_type) == (
        "builder",
        "build-it",
        "tool_use",
    )
    assert tool_use.summary == "edited a.py"
    assert tool_use.payload == {"tool_name": "Edit", "tool_use_id": "tu1", "tool_input": {"path": "a.py"}}
    assert (hook.event_category, hook.event_type, hook.payload["tool_output"]) == (
        "hook",
        "PostToolUse",
        {"ok": True},
    )
    assert hook.entry_index == tool_use.entry_index + 1
    [files] = [row for row in logs.values() if row.event_type == "files"]
    assert files.payload["files"] == {"read": ["a.py"], "changed": [{"path": "a.py", "diff": "+1"}]}
    assert files.id == history.recorded[-2].event_id


def test_prompts_go_from_queued_to_running_to_done_or_discarded(
    history: History, session: OrchestratorSession
) -> None:
    agent, first = busy(history, session)
    queued = uuid4()
    command_agent(session, agent, queued, "then this", "user", task_slug="then", queue=True)
    history.take(agent)
    prompts = history.tables()["prompts"]
    assert (prompts[first].state, prompts[queued].state) == ("running", "queued")

    agent.request_interrupt("stop")
    agent.mark_interrupted()
    history.take(agent)
    prompts = history.tables()["prompts"]
    assert (prompts[first].state, prompts[queued].state) == ("interrupted", "discarded")
    assert prompts[queued].finished_at is not None
    assert (prompts[first].author, prompts[queued].author) == ("orchestrator", "user")


def test_a_finished_turn_bills_its_prompt(history: History, session: OrchestratorSession) -> None:
    agent, command_id = busy(history, session)
    finish_agent_turn(
        session, agent, Usage(input_tokens=5, output_tokens=1, cost_usd=0.5), 10, 1, None, False, "ok"
    )
    history.take(agent, session)
    prompt = history.tables()["prompts"][command_id]
    assert (prompt.state, prompt.input_tokens, prompt.cost) == ("done", 5, 0.5)


def test_chat_holds_user_messages_and_every_orchestrator_block(
    history: History, session: OrchestratorSession
) -> None:
    message_id, text_id, tool_id = uuid4(), uuid4(), uuid4()
    session.send_user_message(message_id, "hello")
    session_activity.record_tool_use_block(session, tool_id, message_id, "t1", "create_agent", {"name": "a"})
    session_activity.record_text_block(session, text_id, message_id, "hi there")
    session_activity.record_summary(session, message_id, "chat", "greeting", "haiku", Usage())
    history.take(session)

    chat = history.tables()["orchestrator_chat"]
    assert [
        (row.sender_type, row.metadata["type"]) for row in sorted(chat.values(), key=lambda r: r.position)
    ] == [
        ("user", "text"),
        ("orchestrator", "tool_use"),
        ("orchestrator", "text"),
    ]
    assert chat[message_id].summary == "greeting"
    assert chat[text_id].metadata == {"type": "text", "reply_to": str(message_id)}
    assert chat[tool_id].metadata["tool_input"] == {"name": "a"}


def test_the_orchestrator_row_sums_its_turns_and_its_agents_costs(
    history: History, session: OrchestratorSession
) -> None:
    session.send_user_message(uuid4(), "go")
    history.take(session)
    assert history.tables()["orchestrator_agents"][session.id].status == "executing"
    session.finish_turn(
        None, Usage(input_tokens=7, output_tokens=3, cost_usd=0.1), 500, 2, "sdk-o", False, "ok"
    )
    agent, _ = busy(history, session)
    finish_agent_turn(session, agent, Usage(cost_usd=0.2), 10, 1, None, False, "ok")
    history.take(session, agent)

    row = history.tables()["orchestrator_agents"][session.id]
    assert (row.status, row.session_id, row.input_tokens, row.total_cost) == ("idle", "sdk-o", 7, 0.1)
    assert row.agents_cost == 0.2
    assert row.metadata == {"turns": 2, "duration_ms": 500}


def test_costs_are_bucketed_by_day_agent_and_the_model_at_the_time(
    history: History, session: OrchestratorSession
) -> None:
    session.finish_turn(None, Usage(input_tokens=1, cost_usd=1.0), 1, 1, None, False, "")
    session.resume(model="opus")
    session.finish_turn(None, Usage(input_tokens=2, cost_usd=2.0), 1, 1, None, False, "")
    session.finish_turn(None, Usage(input_tokens=4, cost_usd=4.0), 1, 1, None, False, "")
    session_activity.record_summary(session, uuid4(), "chat", "s", "haiku", Usage(cost_usd=0.5))
    history.take(session)

    rows = {(row.agent_name, row.model): row for row in history.tables()["cost_rollup"].values()}
    assert {key: (row.cost_usd, row.calls) for key, row in rows.items()} == {
        ("orchestrator", "sonnet"): (1.0, 1),
        ("orchestrator", "opus"): (6.0, 2),
        ("orchestrator", "haiku"): (0.5, 1),
    }
    days = {_decoded(recorded).event.timestamp.date() for recorded in history.recorded}  # type: ignore[attr-defined]
    assert {row.day for row in rows.values()} <= days


def test_budget_lines_name_the_agent_that_reached_its_budget(
    history: History, session: OrchestratorSession
) -> None:
    agent, _ = busy(history, session)
    agent.set_budget(0.1, 0.5)
    finish_agent_turn(session, agent, Usage(cost_usd=0.2), 10, 1, None, False, "ok")
    session_activity.record_system_log(session, uuid4(), "INFO", "started", {"pid": 1})
    history.take(agent, session)

    lines = sorted(history.tables()["system_logs"].values(), key=lambda row: row.position)
    assert [(line.level, line.metadata.get("budget_level")) for line in lines] == [
        ("WARNING", "warning"),
        ("ERROR", "limit"),
        ("INFO", None),
    ]
    assert "agent 'builder'" in lines[0].message
    assert lines[0].orchestrator_agent_id == session.id


def test_an_event_a_fold_cannot_apply_stops_its_projection_and_changes_nothing(
    history: History, session: OrchestratorSession
) -> None:
    orphan = Agent.create(session.id, "orphan", "sonnet", "/work")
    orphan.collect_events()  # its AgentCreated is lost
    orphan.command(uuid4(), "go", "go", "user")
    history.take(orphan)
    state = ProjectionState(PROJECTORS)
    decoded = [_decoded(recorded) for recorded in history.recorded]
    for item in decoded[:-1]:
        state.apply(item)
    before = {name: dict(rows) for name, rows in state.tables.items()}
    with pytest.raises(ProjectionStopped, match="agents has no row") as stopped:
        state.apply(decoded[-1])
    assert stopped.value.name == "agents"
    assert stopped.value.position == decoded[-1].stamp.position
    assert state.tables["agents"] == before["agents"]


def test_json_columns_hold_plain_json_and_log_counts_match_the_logs() -> None:
    """What the database gives back (jsonb) must equal what the folds produced, in memory too."""
    workload, rng = SessionWorkload(), random.Random(2)
    events = workload.first()
    for _ in range(600):
        events += workload.decide(rng.randrange(1000), rng.randrange(1000))
    stored = [as_recorded(event, n) for n, event in enumerate(events, start=1)]
    tables = fold_all(stored, CODEC, PROJECTORS).tables
    for projector in PROJECTORS:
        for table in projector.tables:
            json_columns = [c for c, t in zip(table.columns, table.types, strict=True) if t == "jsonb"]
            for row in tables[table.name].values():
                for column in json_columns:
                    value = getattr(row, column)
                    assert msgspec.json.decode(msgspec.json.encode(value)) == value, (table.name, column)
    counts: dict[UUID, int] = {}
    for log in tables["agent_logs"].values():
        counts[log.agent_id] = counts.get(log.agent_id, 0) + 1
    assert {agent.id: agent.log_count for agent in tables["agents"].values()} == {
        agent.id: counts.get(agent.id, 0) for agent in tables["agents"].values()
    }


def _decoded(recorded: RecordedEvent) -> Decoded:
    from projections.decoding import decode

    return decode(CODEC, recorded)
