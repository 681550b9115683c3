"""Decisions that span a session and one of its agents: both aggregates change, or neither.

The command handlers append both aggregates' new events in one atomic append, each at its expected
version, so a name is never registered without its agent, nor an agent deleted with its name still held.
"""

from __future__ import annotations

from uuid import UUID

from domain.agent import Agent
from domain.errors import AgentNotFound
from domain.session import OrchestratorSession
from domain.status import AgentStatus
from domain.validation import slug_from
from domain.values import Usage


def create_agent(
    session: OrchestratorSession,
    name: str,
    model: str,
    working_dir: str,
    system_prompt: str = "",
    template: str | None = None,
    allowed_tools: tuple[str, ...] = (),
) -> Agent:
    """A new agent, its name registered in the session (unique among the session's live agents)."""
    agent = Agent.create(session.id, name, model, working_dir, system_prompt, template, allowed_tools)
    session.register_agent(name, agent.id)
    return agent


def command_agent(
    session: OrchestratorSession,
    agent: Agent,
    command_id: UUID,
    prompt: str,
    author: str,
    *,
    task_slug: str | None = None,
    queue: bool = False,
) -> None:
    """No new work once the session's budget is used up; the slug defaults to the prompt's first words."""
    session.ensure_budget_left()
    slug = task_slug if task_slug is not None else slug_from(prompt, command_id.hex[:8])
    agent.command(command_id, prompt, slug, author, queue=queue)


def delete_agent(session: OrchestratorSession, agent: Agent, reason: str = "") -> None:
    """The agent is deleted and its name freed for a new agent."""
    if session.agents.get(agent.name) != agent.id:
        raise AgentNotFound(f"no live agent named {agent.name!r} in this session", field="name")
    agent.delete(reason)
    session.release_agent(agent.name, agent.id)


def finish_agent_turn(
    session: OrchestratorSession,
    agent: Agent,
    usage: Usage,
    duration_ms: int,
    num_turns: int,
    sdk_session_id: str | None,
    is_error: bool,
    result: str,
    rest_status: AgentStatus = AgentStatus.IDLE,
) -> None:
    """The agent records its turn; the session counts its cost against the session budget."""
    agent.finish_turn(usage, duration_ms, num_turns, sdk_session_id, is_error, result, rest_status)
    session.accrue_agent_cost(agent.id, usage)
