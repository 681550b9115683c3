"""Background AI summaries: batched, cached by content hash, per-session budget, retried when the model fails.

`submit` never waits, so the event stream is never slowed by summaries; the worker loop gathers requests into
batches (one model call per batch), answers repeated content from the cache, and puts a batch back with
backoff when the model is unavailable.
"""

from __future__ import annotations

import asyncio
import collections
import hashlib
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Protocol

import msgspec

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2_000


@dataclass(frozen=True)
class SummaryRequest:
    """Something to summarize (`text`) and where its summary belongs (`target`, opaque to the worker)."""

    session_id: Hashable
    kind: str
    text: str
    target: object

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(f"{self.kind}\0{self.text}".encode()).hexdigest()


@dataclass(frozen=True)
class BatchResult:
    summaries: list[str]
    cost_usd: float


class Summarizer(Protocol):
    """One model call for a whole batch: one line per input, in order."""

    async def summarize(self, items: list[tuple[str, str]]) -> BatchResult: ...


SummarySink = Callable[[SummaryRequest, str, float], Awaitable[None]]
"""Records a summary (appends SummaryGenerated); gets the request, the summary and its share of the cost."""
BudgetSpent = Callable[[Hashable, float, float], Awaitable[None]]
"""Called once per session when its summary budget is used up: (session, spent, budget)."""


class SummaryStats(msgspec.Struct, frozen=True):
    """For /health: how the summaries keep up."""

    pending: int
    model_calls: int
    cache_hits: int
    failures: int
    dropped: int


@dataclass
class SummaryBudget:
    per_session_usd: float
    spent: dict[Hashable, float] = field(default_factory=dict)

    def allows(self, session_id: Hashable) -> bool:
        return self.spent.get(session_id, 0.0) < self.per_session_usd

    def charge(self, session_id: Hashable, cost: float) -> None:
        self.spent[session_id] = self.spent.get(session_id, 0.0) + cost


class SummaryWorker:
    def __init__(
        self,
        summarizer: Summarizer,
        sink: SummarySink,
        budget: SummaryBudget,
        *,
        on_budget_spent: BudgetSpent | None = None,
        batch_size: int = 16,
        batch_wait: float = 0.5,
        max_pending: int = 2_000,
        cache_size: int = 10_000,
        retry_delays: tuple[float, ...] = (1.0, 5.0, 15.0, 60.0),
    ) -> None:
        self._summarizer = summarizer
        self._sink = sink
        self.budget = budget
        self._on_budget_spent = on_budget_spent
        self._batch_size = batch_size
        self._batch_wait = batch_wait
        self._max_pending = max_pending
        self._cache: collections.OrderedDict[str, str] = collections.OrderedDict()
        self._cache_size = cache_size
        self._retry_delays = retry_delays
        self._pending: collections.deque[SummaryRequest] = collections.deque()
        self._wake = asyncio.Event()
        self._exhausted_reported: set[Hashable] = set()
        self.dropped = 0
        self.model_calls = 0
        self.cache_hits = 0
        self.failures = 0

    def submit(self, request: SummaryRequest) -> None:
        """Queue a request; never waits. When the queue is full the oldest request is dropped."""
        if not request.text.strip():
            return
        if len(self._pending) >= self._max_pending:
            self._pending.popleft()
            self.dropped += 1
        text = request.text[:MAX_TEXT_CHARS]
        self._pending.append(request if text == request.text else _with_text(request, text))
        self._wake.set()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def stats(self) -> SummaryStats:
        return SummaryStats(self.pending, self.model_calls, self.cache_hits, self.failures, self.dropped)

    async def run(self) -> None:
        """Summarize until cancelled."""
        failures_in_a_row = 0
        while True:
            await self._wait_for_work()
            misses = await self._answer_from_cache(self._take_batch())
            if not misses:
                continue
            try:
                await self._summarize(misses)
                failures_in_a_row = 0
            except asyncio.CancelledError:
                self._pending.extendleft(reversed(misses))
                raise
            except Exception as error:
                self.failures += 1
                delay = self._retry_delays[min(failures_in_a_row, len(self._retry_delays) - 1)]
                failures_in_a_row += 1
                log.warning("summaries failed (%s); retrying %d items in %.0fs", error, len(misses), delay)
                self._pending.extendleft(reversed(misses))
                await asyncio.sleep(delay)

    async def _wait_for_work(self) -> None:
        if not self._pending:
            self._wake.clear()
            await self._wake.wait()
        if len(self._pending) < self._batch_size:
            # Let a burst of hook events gather into one model call.
            await asyncio.sleep(self._batch_wait)

    def _take_batch(self) -> list[SummaryRequest]:
        batch: list[SummaryRequest] = []
        while self._pending and len(batch) < self._batch_size:
            batch.append(self._pending.popleft())
        return batch

    async def _answer_from_cache(self, batch: list[SummaryRequest]) -> list[SummaryRequest]:
        """Records cached summaries at once; returns the requests that need the model (within budget)."""
        misses: list[SummaryRequest] = []
        for request in batch:
            cached = self._cache.get(request.content_hash)
            if cached is not None:
                self._cache.move_to_end(request.content_hash)
                self.cache_hits += 1
                await self._deliver(request, cached, 0.0)
            elif self.budget.allows(request.session_id):
                misses.append(request)
            else:
                await self._report_exhausted(request.session_id)
        return misses

    async def _summarize(self, misses: list[SummaryRequest]) -> None:
        unique = list({request.content_hash: request for request in misses}.values())
        result = await self._summarizer.summarize([(request.kind, request.text) for request in unique])
        self.model_calls += 1
        if len(result.summaries) != len(unique):
            raise ValueError(f"model returned {len(result.summaries)} summaries for {len(unique)} items")
        for request, summary in zip(unique, result.summaries, strict=True):
            self._remember(request.content_hash, summary)
        share = result.cost_usd / len(misses)
        for request in misses:
            self.budget.charge(request.session_id, share)
            await self._deliver(request, self._cache[request.content_hash], share)

    async def _deliver(self, request: SummaryRequest, summary: str, cost: float) -> None:
        try:
            await self._sink(request, summary, cost)
        except Exception:
            # A summary is a nicety: losing one must not stop the others.
            log.exception("could not record a summary for %s", request.target)

    def _remember(self, content_hash: str, summary: str) -> None:
        self._cache[content_hash] = summary
        self._cache.move_to_end(content_hash)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    async def _report_exhausted(self, session_id: Hashable) -> None:
        if session_id in self._exhausted_reported:
            return
        self._exhausted_reported.add(session_id)
        if self._on_budget_spent is not None:
            await self._on_budget_spent(
                session_id, self.budget.spent.get(session_id, 0.0), self.budget.per_session_usd
            )


def _with_text(request: SummaryRequest, text: str) -> SummaryRequest:
    return SummaryRequest(session_id=request.session_id, kind=request.kind, text=text, target=request.target)
