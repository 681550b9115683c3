"""AI summaries end to end (the summary model is `sim` too): batched into few model calls, recorded as
summary events of their subjects, and stopped (with a log line) once a session's summary budget is spent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import UUID

import pytest

from app.runtime.runtime import Runtime
from domain.agent import Agent
from domain.events.agent import AgentSummaryGenerated
from domain.events.session import SessionSummaryGenerated, SystemLogRecorded
from tests.integration.runtime_support import RuntimeHarness, now, poll, runtime_harness

pytestmark = pytest.mark.timeout(120)


async def test_summaries_are_batched_and_recorded_on_their_subjects(server_url: str, tmp_path: Path) -> None:
    async with runtime_harness(server_url, tmp_path) as harness, harness.running(summaries=True) as runtime:
        session_id = await harness.start_session()
        await harness.chat("create an agent named alpha")
        await harness.chat("ask alpha to write a.txt containing hi")
        alpha = await harness.agent_settles("alpha")

        async def summarized() -> list[AgentSummaryGenerated] | None:
            events = await harness.events(alpha.id)
            found = [e for e in events if isinstance(e, AgentSummaryGenerated)]
            return found if {"prompt", "response", "hook"} <= {e.subject_kind for e in found} else None

        summaries = await poll(summarized, "alpha's work was never summarized", 60)
        hooks = {
            e.hook_event_id for e in await harness.events(alpha.id) if isinstance(e, Agent.HookEventRecorded)
        }
        assert {e.subject_id for e in summaries if e.subject_kind == "hook"} <= hooks
        assert all(e.summary and e.model == "haiku" for e in summaries)
        session_summaries = [
            e for e in await harness.events(session_id) if isinstance(e, SessionSummaryGenerated)
        ]
        assert session_summaries
        stats = runtime.health().summaries
        assert stats is not None
        assert stats.model_calls < len(summaries) + len(session_summaries)


async def test_a_spent_summary_budget_stops_summaries_with_a_log_line_even_after_a_restart(
    server_url: str, tmp_path: Path
) -> None:
    budget = 1e-9  # the first batch is allowed, and spends it
    async with runtime_harness(server_url, tmp_path) as harness:
        async with harness.running(summaries=True, summary_budget_usd=budget) as runtime:
            session_id = await harness.start_session()
            await harness.chat("create an agent named alpha")
            await poll(now(lambda: model_calls(runtime)), "no summary was asked for", 30)
            await harness.chat("ask alpha to write a.txt containing hi")
            await harness.agent_settles("alpha")

            async def stopped() -> list[SystemLogRecorded] | None:
                logs = [e for e in await harness.events(session_id) if isinstance(e, SystemLogRecorded)]
                return [log for log in logs if "summaries stopped" in log.message] or None

            [line] = await poll(stopped, "the spent budget was never logged", 30)
            assert line.level == "WARNING"
            assert model_calls(runtime) == 1

        async with harness.running(summaries=True, summary_budget_usd=budget) as runtime:
            await harness.chat("ask alpha to write b.txt containing again")
            await harness.agent_settles("alpha")
            await poll(stopped_twice(harness, session_id), "the restarted runtime never noticed", 30)
            assert model_calls(runtime) is None


def model_calls(runtime: Runtime) -> int | None:
    stats = runtime.health().summaries
    return stats.model_calls if stats and stats.model_calls else None


def stopped_twice(harness: RuntimeHarness, session_id: UUID) -> Callable[[], Awaitable[bool | None]]:
    async def check() -> bool | None:
        logs = [e for e in await harness.events(session_id) if isinstance(e, SystemLogRecorded)]
        return len([log for log in logs if "summaries stopped" in log.message]) == 2 or None

    return check
