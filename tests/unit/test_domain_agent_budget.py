"""Agent budgets: warn at the threshold, block at the limit, unblock when raised."""

from __future__ import annotations

import pytest

from domain.agent import Agent
from domain.budget import BudgetLevel
from domain.errors import BudgetExhausted, InvalidValue
from domain.status import AgentStatus
from tests.unit.domain_builders import (
    busy_agent,
    command,
    emitted,
    finish,
    names,
    new_agent,
    snapshot,
    status_of,
)


def test_crossing_the_warning_threshold_is_reported_once() -> None:
    agent = busy_agent()
    agent.set_budget(1.0, 0.5)
    emitted(agent)
    finish(agent, cost=0.6)
    events = emitted(agent)
    assert names(events) == ["AgentTurnFinished", "AgentBudgetExceeded", "AgentStatusChanged"]
    exceeded = events[1]
    assert (exceeded.level, exceeded.threshold_usd, exceeded.total_cost_usd) == (
        BudgetLevel.WARNING,
        0.5,
        0.6,
    )
    command(agent)
    finish(agent, cost=0.1)
    assert "AgentBudgetExceeded" not in names(emitted(agent))
    assert agent.status is AgentStatus.IDLE


def test_reaching_the_limit_blocks_the_agent_after_its_turn_and_drops_the_queue() -> None:
    agent = busy_agent(queued=1)
    agent.set_budget(1.0, 0.8)
    emitted(agent)
    finish(agent, cost=1.5)
    events = emitted(agent)
    assert names(events) == [
        "AgentTurnFinished",
        "AgentBudgetExceeded",
        "AgentBudgetExceeded",
        "AgentCommandsDiscarded",
        "AgentStatusChanged",
    ]
    assert [event.level for event in events[1:3]] == [BudgetLevel.WARNING, BudgetLevel.LIMIT]
    assert agent.status is AgentStatus.BLOCKED
    assert agent.queue == []


def test_a_blocked_agent_refuses_commands_even_queued_ones() -> None:
    agent = busy_agent()
    agent.set_budget(0.1, 0.8)
    finish(agent, cost=0.2)
    before = snapshot(agent)
    with pytest.raises(BudgetExhausted, match="used up its cost budget") as caught:
        command(agent, queue=True)
    assert caught.value.field == "limit_usd"
    assert agent == before


def test_raising_the_budget_unblocks_the_agent() -> None:
    agent = busy_agent()
    agent.set_budget(0.1, 0.8)
    finish(agent, cost=0.2)
    emitted(agent)
    agent.set_budget(10.0, 0.8)
    assert names(emitted(agent)) == ["AgentBudgetSet", "AgentStatusChanged"]
    assert agent.status is AgentStatus.IDLE
    command(agent)
    assert status_of(agent) is AgentStatus.EXECUTING


def test_removing_the_budget_unblocks_the_agent() -> None:
    agent = busy_agent()
    agent.set_budget(0.1, 0.8)
    finish(agent, cost=0.2)
    agent.set_budget(None, 0.8)
    assert agent.budget is None
    assert agent.status is AgentStatus.IDLE


def test_a_budget_below_the_usage_blocks_a_resting_agent_at_once() -> None:
    agent = busy_agent()
    finish(agent, cost=2.0)
    emitted(agent)
    agent.set_budget(1.0, 0.5)
    assert names(emitted(agent)) == [
        "AgentBudgetSet",
        "AgentBudgetExceeded",
        "AgentBudgetExceeded",
        "AgentStatusChanged",
    ]
    assert agent.status is AgentStatus.BLOCKED


def test_a_budget_used_up_mid_turn_lets_the_turn_end_then_blocks() -> None:
    agent = busy_agent(queued=1)
    finish(agent, cost=2.0)  # the queued command starts
    agent.set_budget(1.0, 0.5)
    assert agent.status is AgentStatus.EXECUTING
    agent.mark_interrupted()
    assert status_of(agent) is AgentStatus.BLOCKED


def test_bad_budget_values_record_nothing() -> None:
    agent = new_agent()
    with pytest.raises(InvalidValue, match="limit_usd"):
        agent.set_budget(-5.0, 0.8)
    with pytest.raises(InvalidValue, match="warn_fraction"):
        agent.set_budget(5.0, 2.0)
    assert emitted(agent) == []
    assert isinstance(agent, Agent)
