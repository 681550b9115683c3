"""Agent decisions, given/when/then: commands, the queue, turns, interrupts, failures, deletion."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain import agent_activity
from domain.agent import Agent
from domain.agent_guards import MAX_QUEUED_COMMANDS
from domain.errors import (
    AgentAlreadyDeleted,
    AgentBusy,
    InvalidName,
    InvalidTransition,
    InvalidValue,
    NegativeUsage,
    QueueFull,
    TextTooLong,
)
from domain.status import AgentStatus
from domain.values import Usage
from tests.unit.domain_builders import busy_agent, command, emitted, finish, names, new_agent, snapshot


def test_create_records_everything_the_read_side_needs() -> None:
    session_id = uuid4()
    agent = Agent.create(session_id, "reviewer", "haiku", "/repo", "be terse", "code-reviewer", ("Read",))
    [created] = emitted(agent)
    assert isinstance(created, Agent.AgentCreated)
    assert (created.session_id, created.name, created.model) == (session_id, "reviewer", "haiku")
    assert (created.system_prompt, created.template, created.working_dir) == (
        "be terse",
        "code-reviewer",
        "/repo",
    )
    assert created.allowed_tools == ("Read",)
    assert created.timestamp.tzinfo is not None
    assert agent.status is AgentStatus.IDLE


def test_create_rejects_a_bad_name() -> None:
    with pytest.raises(InvalidName):
        Agent.create(uuid4(), "Bad Name", "sonnet", "/repo")


def test_command_on_a_resting_agent_starts_it_at_once() -> None:
    agent = new_agent()
    command_id = command(agent, "fix the login page")
    events = emitted(agent)
    assert names(events) == ["AgentCommanded", "AgentCommandStarted", "AgentStatusChanged"]
    commanded, started, changed = events
    assert (commanded.command_id, commanded.prompt, commanded.author, commanded.queued) == (
        command_id,
        "fix the login page",
        "user",
        False,
    )
    assert started.command_id == command_id
    assert (changed.from_status, changed.to_status) == (AgentStatus.IDLE, AgentStatus.EXECUTING)
    assert agent.current is not None
    assert agent.current.command_id == command_id


def test_an_executing_agent_refuses_a_second_command_unless_queued() -> None:
    agent = busy_agent()
    before = snapshot(agent)
    with pytest.raises(AgentBusy, match="queue=true") as caught:
        command(agent)
    assert caught.value.field == "queue"
    assert agent == before


def test_a_queued_command_waits_behind_the_running_one() -> None:
    agent = busy_agent()
    command_id = command(agent, queue=True)
    [commanded] = emitted(agent)
    assert isinstance(commanded, Agent.AgentCommanded)
    assert commanded.queued is True
    assert agent.status is AgentStatus.EXECUTING
    assert [queued.command_id for queued in agent.queue] == [command_id]


def test_queue_true_on_a_resting_agent_simply_starts_it() -> None:
    agent = new_agent()
    command(agent, queue=True)
    assert names(emitted(agent)) == ["AgentCommanded", "AgentCommandStarted", "AgentStatusChanged"]


def test_the_queue_is_bounded() -> None:
    agent = busy_agent(queued=MAX_QUEUED_COMMANDS)
    with pytest.raises(QueueFull, match=f"limit {MAX_QUEUED_COMMANDS}"):
        command(agent, queue=True)


def test_finishing_a_turn_starts_the_next_queued_command() -> None:
    agent = busy_agent(queued=2)
    next_id = agent.queue[0].command_id
    finish(agent)
    assert names(emitted(agent)) == ["AgentTurnFinished", "AgentCommandStarted"]
    assert agent.status is AgentStatus.EXECUTING
    assert agent.current is not None
    assert agent.current.command_id == next_id
    assert len(agent.queue) == 1


def test_finishing_the_last_turn_rests_the_agent_and_adds_up_usage() -> None:
    agent = busy_agent()
    finish(agent, cost=0.25)
    command(agent)
    finish(agent, cost=0.5)
    assert agent.status is AgentStatus.IDLE
    assert agent.current is None
    assert agent.usage == Usage(input_tokens=20, output_tokens=10, cost_usd=0.75)
    assert agent.sdk_session_id == "sdk-1"


def test_a_turn_ending_in_error_fails_the_agent_and_drops_its_queue() -> None:
    agent = busy_agent(queued=2)
    finish(agent, is_error=True, result="API overloaded")
    events = emitted(agent)
    assert names(events) == [
        "AgentTurnFinished",
        "AgentFailed",
        "AgentCommandsDiscarded",
        "AgentStatusChanged",
    ]
    assert events[1].reason == "API overloaded"
    assert len(events[2].command_ids) == 2
    assert agent.status is AgentStatus.FAILED
    assert agent.queue == []


def test_a_failed_agent_takes_a_new_command() -> None:
    agent = busy_agent()
    agent.fail("the CLI exited")
    command(agent)
    assert agent.status is AgentStatus.EXECUTING


def test_no_turn_can_finish_on_a_resting_agent() -> None:
    agent = new_agent()
    with pytest.raises(InvalidTransition, match="no running command"):
        finish(agent)


def test_negative_usage_is_rejected_and_nothing_is_recorded() -> None:
    agent = busy_agent()
    before = snapshot(agent)
    with pytest.raises(NegativeUsage, match="cost_usd"):
        agent.finish_turn(Usage(cost_usd=-1.0), 10, 1, None, False, "")
    with pytest.raises(InvalidValue, match="duration_ms"):
        agent.finish_turn(Usage(), -10, 1, None, False, "")
    assert agent == before


def test_interrupt_is_requested_then_honoured() -> None:
    agent = busy_agent(queued=1)
    running = agent.current
    agent.request_interrupt("user clicked stop")
    [requested] = emitted(agent)
    assert isinstance(requested, Agent.AgentInterruptRequested)
    assert running is not None
    assert requested.command_id == running.command_id
    agent.mark_interrupted()
    assert names(emitted(agent)) == ["AgentInterrupted", "AgentCommandsDiscarded", "AgentStatusChanged"]
    assert agent.status is AgentStatus.INTERRUPTED


def test_a_resting_agent_has_nothing_to_interrupt() -> None:
    agent = new_agent()
    with pytest.raises(InvalidTransition, match="idle: it has no running command to interrupt"):
        agent.request_interrupt()


def test_the_runtime_reports_waiting_and_back_only() -> None:
    agent = busy_agent()
    agent.report_status(AgentStatus.WAITING, "permission asked for Bash")
    assert agent.status is AgentStatus.WAITING
    with pytest.raises(AgentBusy):
        command(agent)
    agent.report_status(AgentStatus.EXECUTING, "permission granted")
    with pytest.raises(InvalidTransition, match="reportable"):
        agent.report_status(AgentStatus.COMPLETE, "done")


def test_a_turn_may_rest_in_complete() -> None:
    agent = busy_agent()
    agent.finish_turn(Usage(), 1, 1, None, False, "", AgentStatus.COMPLETE)
    assert agent.status is AgentStatus.COMPLETE
    command(agent)
    with pytest.raises(InvalidTransition, match="rest_status must be idle or complete"):
        agent.finish_turn(Usage(), 1, 1, None, False, "", AgentStatus.FAILED)


def test_deleting_drops_the_queue_and_a_deleted_agent_takes_nothing() -> None:
    agent = busy_agent(queued=1)
    agent.delete("no longer needed")
    events = emitted(agent)
    assert names(events) == ["AgentDeleted", "AgentCommandsDiscarded", "AgentStatusChanged"]
    assert events[0].name == "builder"
    assert agent.status is AgentStatus.DELETED
    for decision in (
        lambda: command(agent),
        lambda: command(agent, queue=True),
        lambda: finish(agent),
        lambda: agent.request_interrupt(),
        lambda: agent.delete(),
        lambda: agent.set_budget(5.0, 0.8),
        lambda: agent_activity.record_text_block(agent, uuid4(), "late output"),
    ):
        with pytest.raises(AgentAlreadyDeleted, match="was deleted"):
            decision()
    assert emitted(agent) == []


def test_summaries_still_arrive_after_deletion() -> None:
    agent = new_agent()
    agent.delete()
    emitted(agent)
    agent_activity.record_summary(agent, uuid4(), "hook", "Read a file", "haiku", Usage(cost_usd=0.001))
    assert names(emitted(agent)) == ["AgentSummaryGenerated"]


def test_oversized_prompt_is_rejected() -> None:
    agent = new_agent()
    with pytest.raises(TextTooLong, match="prompt is 100001 characters"):
        command(agent, "x" * 100_001)
    assert emitted(agent) == []
