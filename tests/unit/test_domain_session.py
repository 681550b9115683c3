"""OrchestratorSession decisions: chat, unique live agent names, orchestrator turns, the session budget."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import session_activity
from domain.budget import BudgetLevel
from domain.errors import (
    AgentNotFound,
    BudgetExhausted,
    InvalidModel,
    InvalidName,
    InvalidValue,
    NameTaken,
    TextTooLong,
    TooManyAgents,
)
from domain.session import MAX_LIVE_AGENTS, OrchestratorSession
from domain.values import Usage
from tests.unit.domain_builders import emitted, names, new_session, snapshot


def test_start_records_working_dir_model_and_prompt() -> None:
    session = OrchestratorSession.start("/repo", "sonnet", "You orchestrate.")
    [started] = emitted(session)
    assert isinstance(started, OrchestratorSession.SessionStarted)
    assert (started.working_dir, started.model, started.system_prompt) == (
        "/repo",
        "sonnet",
        "You orchestrate.",
    )


def test_resume_may_change_working_dir_and_model() -> None:
    session = new_session()
    session.resume(working_dir="/other")
    session.resume(model="opus")
    assert (session.working_dir, session.model) == ("/other", "opus")
    with pytest.raises(InvalidModel):
        session.resume(model="gpt-4")


def test_user_message_is_recorded_with_its_id() -> None:
    session = new_session()
    message_id = uuid4()
    session.send_user_message(message_id, "Build me a web app")
    [sent] = emitted(session)
    assert (sent.message_id, sent.text) == (message_id, "Build me a web app")


@pytest.mark.parametrize(("text", "error"), [("", InvalidValue), ("x" * 100_001, TextTooLong)])
def test_empty_or_oversized_messages_are_rejected(text: str, error: type[Exception]) -> None:
    session = new_session()
    with pytest.raises(error, match="text"):
        session.send_user_message(uuid4(), text)
    assert emitted(session) == []


def test_names_are_unique_among_live_agents() -> None:
    session = new_session()
    first = uuid4()
    session.register_agent("builder", first)
    before = snapshot(session)
    with pytest.raises(NameTaken, match="'builder' already exists"):
        session.register_agent("builder", uuid4())
    assert session == before
    assert session.agent_id_for("builder") == first


def test_a_released_name_can_be_taken_again() -> None:
    session = new_session()
    first, second = uuid4(), uuid4()
    session.register_agent("builder", first)
    session.release_agent("builder", first)
    session.register_agent("builder", second)
    assert names(emitted(session)) == ["AgentNameRegistered", "AgentNameReleased", "AgentNameRegistered"]
    assert session.agent_id_for("builder") == second


def test_only_the_holder_releases_a_name() -> None:
    session = new_session()
    session.register_agent("builder", uuid4())
    with pytest.raises(AgentNotFound):
        session.release_agent("builder", uuid4())


def test_unknown_names_are_not_found() -> None:
    with pytest.raises(AgentNotFound, match="no live agent named 'ghost'"):
        new_session().agent_id_for("ghost")


def test_registering_validates_the_name() -> None:
    with pytest.raises(InvalidName):
        new_session().register_agent("UPPER", uuid4())


def test_live_agents_are_bounded() -> None:
    session = new_session()
    for number in range(MAX_LIVE_AGENTS):
        session.register_agent(f"agent-{number}", uuid4())
    with pytest.raises(TooManyAgents, match=f"limit {MAX_LIVE_AGENTS}"):
        session.register_agent("one-more", uuid4())


def test_orchestrator_turns_and_agent_costs_add_up() -> None:
    session = new_session()
    session.finish_turn(None, Usage(input_tokens=100, cost_usd=0.3), 2000, 2, "sdk-abc", False, "ok")
    session.accrue_agent_cost(uuid4(), Usage(output_tokens=50, cost_usd=0.2))
    assert session.orchestrator_usage == Usage(input_tokens=100, cost_usd=0.3)
    assert session.agents_usage == Usage(output_tokens=50, cost_usd=0.2)
    assert session.total_cost_usd == pytest.approx(0.5)
    assert session.sdk_session_id == "sdk-abc"


def test_session_budget_counts_orchestrator_and_agents_and_stops_new_work() -> None:
    session = new_session()
    session.set_budget(1.0, 0.5)
    session.finish_turn(None, Usage(cost_usd=0.6), 1, 1, None, False, "")
    session.accrue_agent_cost(uuid4(), Usage(cost_usd=0.5))
    events = emitted(session)
    exceeded = [event for event in events if isinstance(event, OrchestratorSession.SessionBudgetExceeded)]
    assert [(event.level, event.total_cost_usd) for event in exceeded] == [
        (BudgetLevel.WARNING, 0.6),
        (BudgetLevel.LIMIT, 1.1),
    ]
    with pytest.raises(BudgetExhausted, match="session has used up"):
        session.send_user_message(uuid4(), "more please")
    session.set_budget(5.0, 0.8)
    session.send_user_message(uuid4(), "more please")


def test_negative_turn_usage_is_rejected() -> None:
    session = new_session()
    from domain.errors import NegativeUsage

    with pytest.raises(NegativeUsage):
        session.finish_turn(None, Usage(input_tokens=-5), 1, 1, None, False, "")
    with pytest.raises(NegativeUsage):
        session.accrue_agent_cost(uuid4(), Usage(cost_usd=-0.5))
    assert emitted(session) == []


def test_orchestrator_blocks_logs_and_summaries_are_recorded() -> None:
    session = new_session()
    reply_to, block_id, log_id = uuid4(), uuid4(), uuid4()
    session_activity.record_text_block(session, block_id, reply_to, "On it.")
    session_activity.record_thinking_block(session, uuid4(), reply_to, "Need two agents.")
    session_activity.record_tool_use_block(
        session, uuid4(), reply_to, "toolu_1", "mcp__mgmt__create_agent", {"name": "a"}
    )
    session_activity.record_tool_result(session, uuid4(), reply_to, "toolu_1", '{"ok": true}', False)
    session_activity.record_system_log(session, log_id, "INFO", "agent created", {"name": "a"})
    session_activity.record_summary(
        session, block_id, "chat", "Agreed to start", "haiku", Usage(cost_usd=0.001)
    )
    events = emitted(session)
    assert names(events) == [
        "OrchestratorTextBlockRecorded",
        "OrchestratorThinkingBlockRecorded",
        "OrchestratorToolUseBlockRecorded",
        "OrchestratorToolResultRecorded",
        "SystemLogRecorded",
        "SessionSummaryGenerated",
    ]
    assert (events[0].block_id, events[0].reply_to, events[0].text) == (block_id, reply_to, "On it.")
    assert (events[4].log_id, events[4].level, events[4].details) == (log_id, "INFO", {"name": "a"})
    assert events[5].subject_id == block_id


def test_log_level_is_checked() -> None:
    with pytest.raises(InvalidValue, match="level"):
        session_activity.record_system_log(new_session(), uuid4(), "NOISY", "x", {})
