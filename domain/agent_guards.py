"""Guard clauses the Agent's decisions share: each raises a DomainError naming the rule, or passes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.errors import AgentAlreadyDeleted, AgentBusy, BudgetExhausted, InvalidTransition, QueueFull
from domain.status import BUSY, AgentStatus
from domain.values import PendingCommand

if TYPE_CHECKING:
    from domain.agent import Agent

MAX_QUEUED_COMMANDS = 20


def ensure_live(agent: Agent) -> None:
    if agent.status is AgentStatus.DELETED:
        raise AgentAlreadyDeleted(f"agent {agent.name!r} was deleted; it takes no command", field="name")


def ensure_accepts_command(agent: Agent, *, queue: bool) -> None:
    """Deleted and out-of-budget agents take nothing; busy ones take a command only into their queue."""
    ensure_live(agent)
    if agent.budget_exhausted:
        limit = agent.budget.limit_usd if agent.budget else 0.0
        raise BudgetExhausted(
            f"agent {agent.name!r} has used up its cost budget (${agent.usage.cost_usd:.4f} of "
            f"${limit:.4f}); raise its budget to command it",
            field="limit_usd",
        )
    if agent.status not in BUSY:
        return
    if not queue:
        running = agent.current.task_slug if agent.current else "?"
        raise AgentBusy(
            f"agent {agent.name!r} is {agent.status} (running {running!r}); "
            "send queue=true to run this command after the current one",
            field="queue",
        )
    if len(agent.queue) >= MAX_QUEUED_COMMANDS:
        raise QueueFull(
            f"agent {agent.name!r} already has {len(agent.queue)} queued commands "
            f"(limit {MAX_QUEUED_COMMANDS})",
            field="queue",
        )


def ensure_running(agent: Agent, action: str, allowed: frozenset[AgentStatus] = BUSY) -> PendingCommand:
    """The command the agent is running, if its status is one of `allowed`."""
    ensure_live(agent)
    if agent.status not in allowed or agent.current is None:
        raise InvalidTransition(
            f"agent {agent.name!r} is {agent.status}: it has no running command to {action}", field="status"
        )
    return agent.current
