"""The agent runtime: follows the store like a projector, reacts to commands, owns the CLIs (one process).

`open_runtime` is what the composition root calls. The runtime stands by until it holds the runtime lock,
then opens the model backend, marks the previous process's unfinished work failed, and follows the store
from its checkpoint; when the lock is lost it stops its agents and stands by again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec
from claude_agent_sdk import ClaudeSDKClient

from app.commands.runner import Commands
from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.store import EventStore
from app.runtime.backend import BackendName, resolve_backend
from app.runtime.checkpoint import RuntimeCheckpoint
from app.runtime.cli_launch import DEFAULT_NICENESS
from app.runtime.ephemeral import EphemeralPublisher
from app.runtime.lease import runtime_lease
from app.runtime.recovery import fail_unfinished, find_unfinished
from app.runtime.sdk_env import CliLimits
from app.runtime.simulator import Simulator
from app.runtime.summary_worker import SummaryStats
from app.runtime.wiring import RuntimeParts, open_parts
from app.runtime.worker import ClientFactory
from app.settings import Settings
from domain.codec import EventCodec

log = logging.getLogger(__name__)

RESTART_SECONDS = 5.0


@dataclass(frozen=True)
class RuntimeOptions:
    """Knobs beyond Settings (tests and benchmarks turn them)."""

    summaries: bool = True
    summary_budget_usd: float = 0.25
    """Per session: what AI summaries may cost; past it, no more summaries for that session."""
    limits: CliLimits | None = None
    cli_niceness: int = DEFAULT_NICENESS
    """The CLIs' CPU priority below the runtime's (0: the same)."""
    connect: ClientFactory = ClaudeSDKClient
    standby_retry_seconds: float = 2.0


class RuntimeHealth(msgspec.Struct, frozen=True):
    backend: BackendName
    active: bool
    """Whether this process runs the agents (holds the runtime lock); others stand by."""
    position: int
    running_agents: int
    summaries: SummaryStats | None = None


class Runtime:
    def __init__(
        self,
        settings: Settings,
        pool: asyncpg.Pool,
        store: EventStore,
        codec: EventCodec,
        commands: Commands,
        listener: AppendListener,
        publisher: EphemeralPublisher | None,
        options: RuntimeOptions,
    ) -> None:
        self.settings = settings
        self.backend: BackendName = resolve_backend(settings)
        self._pool = pool
        self._store = store
        self._codec = codec
        self._commands = commands
        self._listener = listener
        self._publisher = publisher
        self._options = options
        self._checkpoint = RuntimeCheckpoint(pool)
        self._parts: RuntimeParts | None = None
        self.active = False

    @property
    def simulator(self) -> Simulator | None:
        """The in-process model server while this process runs the agents on `sim` (tests inject faults)."""
        return self._parts.backend.simulator if self._parts else None

    def health(self) -> RuntimeHealth:
        """For /health: the model backend, whether this process runs the agents, how far it has come."""
        parts = self._parts
        running = parts.agents.running if parts else 0
        worker = parts.summaries if parts else None
        summaries = (
            SummaryStats(
                worker.pending, worker.model_calls, worker.cache_hits, worker.failures, worker.dropped
            )
            if worker
            else None
        )
        return RuntimeHealth(self.backend, self.active, self._checkpoint.position, running, summaries)

    async def serve(self) -> None:
        """Runs the agents whenever this process holds the runtime lock; stands by otherwise."""
        while True:
            try:
                async with runtime_lease(
                    self._pool, retry_seconds=self._options.standby_retry_seconds
                ) as lost:
                    self.active = True
                    try:
                        await _until(self._run(), lost)
                    finally:
                        self.active = False
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database went away, or a bug: stop the agents, wait, and stand by again.
                log.exception("the runtime stopped; starting over in %.0fs", RESTART_SECONDS)
                await asyncio.sleep(RESTART_SECONDS)

    async def _run(self) -> None:
        parts_cm = open_parts(
            self.settings, self._commands, self._store, self._codec, self._publisher, self._options
        )
        async with parts_cm as parts:
            self._parts = parts
            try:
                position = await self._checkpoint.load()
                await fail_unfinished(
                    self._commands, await find_unfinished(self._store, self._codec, position)
                )
                log.info("runtime follows the store from position %d (backend %s)", position, self.backend)
                await self._follow(parts, position)
            finally:
                with contextlib.suppress(Exception):
                    await self._checkpoint.flush()
                self._parts = None

    async def _follow(self, parts: RuntimeParts, position: int) -> None:
        events = follow(self._store, self._listener, position)
        async with contextlib.aclosing(events):
            async for recorded in events:
                if parts.reactions.wants(recorded.type):
                    # Saved first: after a crash this event is not reacted to twice (recovery marks it).
                    await self._checkpoint.save(recorded.position)
                    await parts.reactions.react(recorded)
                else:
                    await self._checkpoint.passed(recorded.position)


async def _until(work: Coroutine[Any, Any, None], lost: asyncio.Event) -> None:
    """Runs `work` until it ends or the lock is lost, whichever comes first; its error is raised."""
    task = asyncio.create_task(work)
    watcher = asyncio.create_task(lost.wait())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for pending in (task, watcher):
            pending.cancel()
        await asyncio.gather(task, watcher, return_exceptions=True)
    if not task.cancelled() and (error := task.exception()) is not None:
        raise error


@contextlib.asynccontextmanager
async def open_runtime(
    settings: Settings,
    pool: asyncpg.Pool,
    store: EventStore,
    codec: EventCodec,
    hub: EphemeralPublisher | None,
    *,
    commands: Commands,
    listener: AppendListener,
    options: RuntimeOptions | None = None,
) -> AsyncIterator[Runtime]:
    """Starts the runtime in the background (active or standing by) and stops it, and its CLIs, on exit."""
    runtime = Runtime(settings, pool, store, codec, commands, listener, hub, options or RuntimeOptions())
    task = asyncio.create_task(runtime.serve(), name="o3s-runtime")
    try:
        yield runtime
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
