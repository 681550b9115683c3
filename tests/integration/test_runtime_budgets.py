"""Cost budgets, end to end: an agent is stopped by its CLI at its limit and rests blocked; reaching the
session's limit stops every busy agent; each step is an event."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.commands.agent_handlers import set_agent_budget
from app.commands.session_handlers import set_session_budget
from domain.agent import Agent
from domain.budget import BudgetLevel
from domain.commands import SetAgentBudget, SetSessionBudget
from domain.events.session import SessionBudgetExceeded
from domain.status import AgentStatus
from tests.integration.runtime_support import runtime_harness

pytestmark = pytest.mark.timeout(120)
LONG_TASK = "write a.txt containing x, then edit a.txt replace x with y, then read a.txt"


async def test_an_agent_is_stopped_at_its_budget_and_rests_blocked(server_url: str, tmp_path: Path) -> None:
    async with runtime_harness(server_url, tmp_path) as harness, harness.running():
        session_id = await harness.start_session()
        await harness.chat("create an agent named alpha")
        budget = SetAgentBudget(session_id=session_id, name="alpha", limit_usd=0.05, warn_fraction=0.5)
        await harness.commands.run(set_agent_budget, budget, harness.user)

        await harness.chat(f"ask alpha to '{LONG_TASK}'")
        alpha = await harness.agent_settles("alpha")
        assert alpha.status == AgentStatus.BLOCKED
        events = await harness.events(alpha.id)
        levels = [e.level for e in events if isinstance(e, Agent.AgentBudgetExceeded)]
        assert levels == [BudgetLevel.WARNING, BudgetLevel.LIMIT]
        [failed] = [e for e in events if isinstance(e, Agent.AgentFailed)]
        assert "cost budget" in failed.reason
        # Stopped before the end of its task: the CLI enforced the limit mid-turn.
        assert (harness.workdir / "a.txt").read_text() == "x"

        refused = await harness.chat("ask alpha to write b.txt containing z")
        assert not refused.is_error
        assert not (harness.workdir / "b.txt").exists()


async def test_reaching_the_session_budget_stops_every_busy_agent(server_url: str, tmp_path: Path) -> None:
    async with runtime_harness(server_url, tmp_path) as harness, harness.running():
        session_id = await harness.start_session()
        await harness.chat("create two agents alpha and beta")
        await harness.chat("ask beta to sleep 30")
        beta = await harness.agent("beta")
        await harness.until_hook(beta.id, "PreToolUse", "Bash")
        spent = (await harness.session()).total_cost_usd
        budget = SetSessionBudget(session_id=session_id, limit_usd=spent + 0.01, warn_fraction=0.99)
        await harness.commands.run(set_session_budget, budget, harness.user)

        await harness.chat("ask alpha to write a.txt containing x")
        beta = await harness.agent_settles("beta")
        assert beta.status == AgentStatus.INTERRUPTED
        requests = [e for e in await harness.events(beta.id) if isinstance(e, Agent.AgentInterruptRequested)]
        assert [request.reason for request in requests] == ["the session's cost budget is used up"]
        exceeded = [e for e in await harness.events(session_id) if isinstance(e, SessionBudgetExceeded)]
        assert BudgetLevel.LIMIT in [e.level for e in exceeded]
