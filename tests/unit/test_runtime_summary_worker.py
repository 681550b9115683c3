"""The summary worker batches requests into one model call, caches by content, keeps a budget and retries."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable

from app.runtime.summary_worker import BatchResult, SummaryBudget, SummaryRequest, SummaryWorker


class ScriptedSummarizer:
    """Fails the first `failures` calls, then answers 'summary of <text>' at a fixed cost per call."""

    def __init__(self, failures: int = 0, cost: float = 0.01) -> None:
        self.failures = failures
        self.cost = cost
        self.calls: list[list[tuple[str, str]]] = []

    async def summarize(self, items: list[tuple[str, str]]) -> BatchResult:
        self.calls.append(items)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("model unavailable")
        return BatchResult([f"summary of {text}" for _, text in items], self.cost)


class Recorded:
    def __init__(self) -> None:
        self.summaries: list[tuple[object, str, float]] = []
        self.exhausted: list[tuple[Hashable, float, float]] = []
        self.done = asyncio.Event()
        self.expected = 0

    async def sink(self, request: SummaryRequest, summary: str, cost: float) -> None:
        self.summaries.append((request.target, summary, cost))
        if len(self.summaries) >= self.expected:
            self.done.set()

    async def spent(self, session: Hashable, spent: float, budget: float) -> None:
        self.exhausted.append((session, spent, budget))


def _request(target: int, text: str, session: str = "s1") -> SummaryRequest:
    return SummaryRequest(session_id=session, kind="hook", text=text, target=target)


async def _run_until(worker: SummaryWorker, recorded: Recorded, count: int) -> None:
    recorded.expected = count
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.wait_for(recorded.done.wait(), timeout=5)
    finally:
        task.cancel()


async def test_a_burst_becomes_one_model_call_and_repeats_are_not_asked_twice() -> None:
    model, recorded = ScriptedSummarizer(cost=0.03), Recorded()
    worker = SummaryWorker(model, recorded.sink, SummaryBudget(1.0), batch_wait=0.01)
    for target, text in enumerate(["read a.py", "wrote b.py", "read a.py"]):
        worker.submit(_request(target, text))
    await _run_until(worker, recorded, 3)
    assert model.calls == [[("hook", "read a.py"), ("hook", "wrote b.py")]]
    assert [(t, s) for t, s, _ in recorded.summaries] == [
        (0, "summary of read a.py"),
        (1, "summary of wrote b.py"),
        (2, "summary of read a.py"),
    ]
    assert abs(sum(cost for _, _, cost in recorded.summaries) - 0.03) < 1e-9

    recorded.done.clear()
    worker.submit(_request(3, "wrote b.py"))
    await _run_until(worker, recorded, 4)
    assert len(model.calls) == 1
    assert recorded.summaries[-1] == (3, "summary of wrote b.py", 0.0)
    assert worker.cache_hits == 1


async def test_the_model_being_down_delays_summaries_without_losing_them() -> None:
    model, recorded = ScriptedSummarizer(failures=2), Recorded()
    worker = SummaryWorker(model, recorded.sink, SummaryBudget(1.0), batch_wait=0.0, retry_delays=(0.01,))
    worker.submit(_request(1, "ran tests"))
    await _run_until(worker, recorded, 1)
    assert len(model.calls) == 3
    assert worker.failures == 2
    assert recorded.summaries == [(1, "summary of ran tests", 0.01)]


async def test_a_session_past_its_budget_gets_no_more_model_calls_and_is_reported_once() -> None:
    model, recorded = ScriptedSummarizer(cost=0.05), Recorded()
    worker = SummaryWorker(
        model, recorded.sink, SummaryBudget(0.05), on_budget_spent=recorded.spent, batch_wait=0.0
    )
    worker.submit(_request(1, "first"))
    await _run_until(worker, recorded, 1)
    worker.submit(_request(2, "second"))
    worker.submit(_request(3, "third"))
    worker.submit(_request(4, "other session", session="s2"))
    recorded.done.clear()
    await _run_until(worker, recorded, 2)
    assert [target for target, _, _ in recorded.summaries] == [1, 4]
    assert recorded.exhausted == [("s1", 0.05, 0.05)]


def test_submit_never_waits_and_drops_the_oldest_when_full() -> None:
    worker = SummaryWorker(ScriptedSummarizer(), Recorded().sink, SummaryBudget(1.0), max_pending=2)
    for target in range(3):
        worker.submit(_request(target, f"text {target}"))
    worker.submit(_request(9, "   "))
    assert (worker.pending, worker.dropped) == (2, 1)
