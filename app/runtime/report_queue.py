"""The runtime's reports about one stream, in order: through the command handlers, small facts in batches.

An agent reports many small facts (blocks, hook calls, files) while its CLI works: those are submitted
and never waited for, so the CLI is not held up by the store, and the facts that queued up meanwhile go
into the store together (one unit of work, one append). How a turn ends goes through its handler and is
awaited, after everything reported before it.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from app.commands.loading import last_position
from app.commands.runner import Commands, Handler
from app.commands.unit_of_work import UnitOfWork
from domain.errors import DomainError
from domain.metadata import Metadata

log = logging.getLogger(__name__)

A = TypeVar("A", bound=Aggregate)
C = TypeVar("C")
R = TypeVar("R")

Fact = Callable[[A], None]
"""A domain decision recording one fact on the aggregate (e.g. `agent_activity.record_hook_event`)."""
Loader = Callable[[UnitOfWork, UUID], Awaitable[A]]
MAX_BATCH = 200


@dataclass
class _Job:
    metadata: Metadata
    done: asyncio.Future[Any]
    handler: Handler[Any, Any] | None = None
    command: Any = None
    facts: list[Any] = field(default_factory=list)


class ReportQueue(Generic[A]):
    def __init__(self, commands: Commands, stream_id: UUID, load: Loader[A], name: str) -> None:
        self._commands = commands
        self._stream_id = stream_id
        self._load = load
        self._name = name
        self._jobs: collections.deque[_Job] = collections.deque()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None

    def record(self, fact: Fact[A], metadata: Metadata) -> None:
        """Queues a fact; a refusal or a failure is logged, never raised to the reporter."""
        self._enqueue(_Job(metadata, self._future(), facts=[fact])).add_done_callback(self._log_outcome)

    def submit(self, handler: Handler[C, R], command: C, metadata: Metadata) -> None:
        """Queues a command for its handler, without waiting; failures are logged."""
        job = _Job(metadata, self._future(), handler=handler, command=command)
        self._enqueue(job).add_done_callback(self._log_outcome)

    async def run(self, handler: Handler[C, R], command: C, metadata: Metadata) -> R:
        """Runs the command after everything queued before it; returns the handler's answer (or raises)."""
        result: R = await self._enqueue(_Job(metadata, self._future(), handler=handler, command=command))
        return result

    async def drain(self) -> None:
        """Waits until every report queued so far has run."""
        await self._idle.wait()

    async def close(self) -> None:
        await self.drain()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @staticmethod
    def _future() -> asyncio.Future[Any]:
        return asyncio.get_running_loop().create_future()

    def _enqueue(self, job: _Job) -> asyncio.Future[Any]:
        self._jobs.append(job)
        self._idle.clear()
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._work(), name=f"reports-{self._name}")
        return job.done

    async def _work(self) -> None:
        while True:
            if not self._jobs:
                self._idle.set()
                self._wake.clear()
                await self._wake.wait()
                continue
            await self._run(self._next_batch())

    def _next_batch(self) -> list[_Job]:
        """A command alone, or the facts that queued up meanwhile (same metadata): one append for all."""
        jobs = [self._jobs.popleft()]
        while jobs[0].facts and self._jobs and len(jobs) < MAX_BATCH:
            following = self._jobs[0]
            if not following.facts or following.metadata != jobs[0].metadata:
                break
            jobs.append(self._jobs.popleft())
        return jobs

    async def _run(self, jobs: list[_Job]) -> None:
        first = jobs[0]
        try:
            if first.handler is not None:
                outcomes: list[Any] = [await self._commands.run(first.handler, first.command, first.metadata)]
            else:
                facts = [job.facts[0] for job in jobs]
                outcomes = await self._commands.run(self._record_facts, facts, first.metadata)
        except asyncio.CancelledError:
            for job in jobs:
                job.done.cancel()
            raise
        except Exception as error:
            outcomes = [error] * len(jobs)
        for job, outcome in zip(jobs, outcomes, strict=True):
            if job.done.cancelled():
                continue
            if isinstance(outcome, Exception):
                job.done.set_exception(outcome)
            else:
                job.done.set_result(outcome)

    async def _record_facts(self, unit: UnitOfWork, facts: list[Fact[A]]) -> list[int | DomainError]:
        """One unit of work for the batch: each fact is decided on the aggregate, then one commit.

        A refused fact (its guard clauses run before it triggers anything) leaves no event and does not
        stop the others; each job learns the position of the batch, or its own refusal.
        """
        aggregate = await self._load(unit, self._stream_id)
        refusals: list[DomainError | None] = []
        for fact in facts:
            try:
                fact(aggregate)
                refusals.append(None)
            except DomainError as refusal:
                refusals.append(refusal)
        position = last_position(await unit.commit())
        return [position if refusal is None else refusal for refusal in refusals]

    def _log_outcome(self, done: asyncio.Future[Any]) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if isinstance(error, DomainError):
            log.info("%s: report refused: %s", self._name, error)
        elif error is not None:
            log.error("%s: report not stored: %r", self._name, error)
