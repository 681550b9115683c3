"""Decisions across a session and an agent: create, command, delete, finish a turn."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.agent_lifecycle import command_agent, create_agent, delete_agent, finish_agent_turn
from domain.errors import AgentAlreadyDeleted, AgentNotFound, BudgetExhausted, NameTaken
from domain.status import AgentStatus
from domain.values import Usage
from tests.unit.domain_builders import emitted, names, new_agent, new_session, snapshot


def test_create_registers_the_name_with_the_new_agent_id() -> None:
    session = new_session()
    agent = create_agent(session, "builder", "sonnet", "/repo")
    assert names(emitted(agent)) == ["AgentCreated"]
    [registered] = emitted(session)
    assert (registered.name, registered.agent_id) == ("builder", agent.id)


def test_create_with_a_taken_name_changes_nothing() -> None:
    session = new_session()
    new_agent(session, "builder")
    before = snapshot(session)
    with pytest.raises(NameTaken):
        create_agent(session, "builder", "sonnet", "/repo")
    assert session == before


def test_command_derives_a_task_slug_from_the_prompt() -> None:
    session = new_session()
    agent = new_agent(session)
    command_id = uuid4()
    command_agent(session, agent, command_id, "Write the README for the CLI", "orchestrator")
    commanded = emitted(agent)[0]
    assert commanded.task_slug == f"write-the-readme-for-the-cli-{command_id.hex[:8]}"
    assert commanded.author == "orchestrator"


def test_no_command_once_the_session_budget_is_used_up() -> None:
    session = new_session()
    agent = new_agent(session)
    session.set_budget(0.5, 0.8)
    session.accrue_agent_cost(uuid4(), Usage(cost_usd=1.0))
    with pytest.raises(BudgetExhausted):
        command_agent(session, agent, uuid4(), "go", "user")
    assert agent.status is AgentStatus.IDLE


def test_delete_frees_the_name_and_a_second_delete_is_refused() -> None:
    session = new_session()
    agent = new_agent(session)
    delete_agent(session, agent, "done")
    assert names(emitted(session)) == ["AgentNameReleased"]
    assert "builder" not in session.agents
    with pytest.raises(AgentNotFound):
        delete_agent(session, agent)
    with pytest.raises(AgentAlreadyDeleted):
        agent.delete()
    replacement = create_agent(session, "builder", "haiku", "/repo")
    assert session.agent_id_for("builder") == replacement.id


def test_finishing_a_turn_counts_against_the_session() -> None:
    session = new_session()
    agent = new_agent(session)
    command_agent(session, agent, uuid4(), "go", "user")
    finish_agent_turn(session, agent, Usage(cost_usd=0.4, input_tokens=7), 10, 1, "sdk", False, "ok")
    [accrued] = emitted(session)
    assert (accrued.agent_id, accrued.usage) == (agent.id, Usage(cost_usd=0.4, input_tokens=7))
    assert session.agents_usage.cost_usd == pytest.approx(0.4)
