"""AI summaries via the CLI: one cheap-model call per batch of numbered items, recorded as summary events."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Literal
from uuid import UUID, uuid4

from claude_agent_sdk import ClaudeAgentOptions, ResultMessage, query

from app.commands.agent_report_handlers import record_agent_summary
from app.commands.orchestrator_handlers import record_session_summary
from app.commands.session_handlers import record_system_log
from app.eventstore.store import EventStore
from app.runtime.redaction import redact_text
from app.runtime.reports import Reports
from app.runtime.summary_worker import BatchResult, BudgetSpent, SummaryRequest, SummarySink
from domain.agent import Agent
from domain.codec import EventCodec, decode_metadata
from domain.commands import RecordSystemLog
from domain.metadata import Actor, Metadata
from domain.runtime_commands import RecordAgentSummary, RecordSessionSummary
from domain.session import OrchestratorSession
from domain.values import Usage

MAX_SUMMARY_CHARS = 200
_NUMBERED = re.compile(r"^\s*\[?(\d+)[\].)]\s+(.+?)\s*$")

INSTRUCTIONS = (
    "Summarize each numbered item below in one short line of at most 12 words, saying what happened. "
    "Answer with exactly one line per item, starting with its number and a period, and nothing else."
)


class SummariesUnavailable(RuntimeError):
    """The summary model answered with an error (down, rate limited, no credentials)."""


@dataclass(frozen=True)
class Subject:
    """What a summary is about: an agent's or a session's block, hook call, prompt or log line."""

    stream: Literal["agent", "session"]
    stream_id: UUID
    subject_id: UUID
    kind: str
    session_id: UUID
    """The session whose summary budget pays for it."""


def batch_prompt(items: list[tuple[str, str]]) -> str:
    lines = [f"{number}. [{kind}] {' '.join(text.split())}" for number, (kind, text) in enumerate(items, 1)]
    return INSTRUCTIONS + "\n\n" + "\n".join(lines)


def parse_summaries(answer: str, count: int) -> list[str]:
    """One summary per item, in order; an item the model skipped gets an empty summary (not recorded)."""
    found: dict[int, str] = {}
    for line in answer.splitlines():
        match = _NUMBERED.match(line)
        if match and 1 <= int(match[1]) <= count:
            found.setdefault(int(match[1]), match[2][:MAX_SUMMARY_CHARS])
    return [found.get(number, "") for number in range(1, count + 1)]


class ClaudeSummarizer:
    """Each batch is one `query()` of a fresh CLI with no tools, so no conversation grows between batches."""

    def __init__(self, options: Callable[[], ClaudeAgentOptions]) -> None:
        self._options = options

    async def summarize(self, items: list[tuple[str, str]]) -> BatchResult:
        result: ResultMessage | None = None
        async for message in query(prompt=batch_prompt(items), options=self._options()):
            if isinstance(message, ResultMessage):
                result = message
        if result is None or result.is_error:
            reason = (result.result or result.subtype) if result else "no result"
            raise SummariesUnavailable(f"summary model failed: {reason}")
        summaries = parse_summaries(result.result or "", len(items))
        return BatchResult(summaries, float(result.total_cost_usd or 0.0))


def summary_sink(reports: Reports, model: str) -> SummarySink:
    """Records each summary on the stream of its subject, without waiting for the store."""

    async def record(request: SummaryRequest, summary: str, cost: float) -> None:
        subject = request.target
        summary = redact_text(summary)
        if not isinstance(subject, Subject) or not summary:
            return
        usage = Usage(cost_usd=cost)
        metadata = Metadata.first(subject.subject_id, Actor.SYSTEM, "summaries")
        if subject.stream == "agent":
            command = RecordAgentSummary(
                agent_id=subject.stream_id,
                subject_id=subject.subject_id,
                subject_kind=subject.kind,
                summary=summary,
                model=model,
                usage=usage,
            )
            reports.agent(subject.stream_id).submit(record_agent_summary, command, metadata)
        else:
            session_command = RecordSessionSummary(
                session_id=subject.stream_id,
                subject_id=subject.subject_id,
                subject_kind=subject.kind,
                summary=summary,
                model=model,
                usage=usage,
            )
            reports.session(subject.stream_id).submit(record_session_summary, session_command, metadata)

    return record


def budget_spent_log(reports: Reports) -> BudgetSpent:
    """Says once, in the session's system log, that its summaries stop because their budget is used up."""

    async def record(session_id: Hashable, spent: float, budget: float) -> None:
        if not isinstance(session_id, UUID):
            return
        message = (
            f"AI summaries stopped: they cost ${spent:.4f} of this session's ${budget:.4f} summary budget"
        )
        command = RecordSystemLog(
            session_id=session_id,
            level="WARNING",
            message=message,
            details={"spent_usd": spent, "budget_usd": budget},
        )
        metadata = Metadata.first(uuid4(), Actor.SYSTEM, "summaries")
        reports.session(session_id).submit(record_system_log, command, metadata)

    return record


async def summary_spend(store: EventStore, codec: EventCodec, page: int = 5_000) -> dict[Hashable, float]:
    """What each session's summaries have cost so far, from the store: a restart keeps the budgets spent."""
    types = [
        codec.type_name(Agent.AgentSummaryGenerated),
        codec.type_name(OrchestratorSession.SessionSummaryGenerated),
    ]
    spent: dict[Hashable, float] = {}
    after = 0
    while records := await store.read_filtered(after, page, types=types):
        for recorded in records:
            session_id = decode_metadata(recorded.metadata, Metadata).session_id or recorded.stream_id
            cost = getattr(codec.decode(recorded), "usage", Usage()).cost_usd
            spent[session_id] = spent.get(session_id, 0.0) + cost
        after = records[-1].position
    return spent
