"""The parts of an active runtime, built when it takes the lock and closed (with every CLI) when it stops."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.commands.runner import Commands
from app.eventstore.store import EventStore
from app.runtime.agent_options import summarizer_options
from app.runtime.agent_pool import AgentPool
from app.runtime.agent_recorder import SummaryRequester
from app.runtime.backend import ModelBackend, open_backend
from app.runtime.ephemeral import EphemeralPublisher
from app.runtime.orchestrators import Orchestrators
from app.runtime.reactions import Reactions
from app.runtime.redaction import redact_text
from app.runtime.reports import Reports
from app.runtime.summaries import (
    ClaudeSummarizer,
    Subject,
    budget_spent_log,
    summary_sink,
    summary_spend,
)
from app.runtime.summary_worker import SummaryBudget, SummaryRequest, SummaryWorker
from app.settings import Settings
from domain.codec import EventCodec

if TYPE_CHECKING:
    from app.runtime.runtime import RuntimeOptions


@dataclass
class RuntimeParts:
    backend: ModelBackend
    reports: Reports
    agents: AgentPool
    orchestrators: Orchestrators
    reactions: Reactions
    summaries: SummaryWorker | None


def _summaries(
    settings: Settings, backend: ModelBackend, reports: Reports, budget: SummaryBudget
) -> SummaryWorker:
    cwd = settings.data_dir.resolve()
    summarizer = ClaudeSummarizer(
        lambda: summarizer_options(backend.launch, cwd=cwd, model=settings.summary_model)
    )
    sink = summary_sink(reports, settings.summary_model)
    return SummaryWorker(summarizer, sink, budget, on_budget_spent=budget_spent_log(reports))


def _requester(worker: SummaryWorker | None) -> SummaryRequester | None:
    if worker is None:
        return None

    def request(subject: Subject, text: str) -> None:
        # The summary model sees no secret (a user's message may hold one), so no summary can repeat it.
        worker.submit(SummaryRequest(subject.session_id, subject.kind, redact_text(text), subject))

    return request


@contextlib.asynccontextmanager
async def open_parts(
    settings: Settings,
    commands: Commands,
    store: EventStore,
    codec: EventCodec,
    publisher: EphemeralPublisher | None,
    options: RuntimeOptions,
) -> AsyncIterator[RuntimeParts]:
    async with open_backend(settings, options.limits, niceness=options.cli_niceness) as backend:
        reports = Reports(commands)
        worker = None
        if options.summaries:
            budget = SummaryBudget(options.summary_budget_usd, await summary_spend(store, codec))
            worker = _summaries(settings, backend, reports, budget)
        summarize = _requester(worker)
        agents = AgentPool(
            commands,
            reports,
            backend.launch,
            settings.max_running_agents,
            summarize=summarize,
            connect=options.connect,
        )
        orchestrators = Orchestrators(
            commands,
            store,
            codec,
            reports,
            backend.launch,
            publisher,
            summarize=summarize,
            connect=options.connect,
        )
        reactions = Reactions(codec, commands, agents, orchestrators)
        summary_task = asyncio.create_task(worker.run(), name="o3s-summaries") if worker else None
        try:
            yield RuntimeParts(backend, reports, agents, orchestrators, reactions, worker)
        finally:
            await orchestrators.close_all()
            await agents.close_all()
            await reactions.settle()
            if summary_task is not None:
                summary_task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await summary_task
            await reports.close()
