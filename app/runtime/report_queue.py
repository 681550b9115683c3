"""The runtime's reports about one stream run through the command handlers one after another, in order.

An agent reports many small facts (blocks, hook calls, files) while its CLI works: those are submitted
and never waited for, so the CLI is not held up by the store; the end of a turn is awaited, after
everything reported before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.commands.runner import Commands, Handler
from domain.errors import DomainError
from domain.metadata import Metadata

log = logging.getLogger(__name__)

C = TypeVar("C")
R = TypeVar("R")

_Job = Callable[[], Awaitable[Any]]


class ReportQueue:
    def __init__(self, commands: Commands, name: str) -> None:
        self._commands = commands
        self._name = name
        self._jobs: asyncio.Queue[tuple[_Job, asyncio.Future[Any]]] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def submit(self, handler: Handler[C, R], command: C, metadata: Metadata) -> None:
        """Queues the report; a refusal or a failure is logged, never raised to the reporter."""
        done = self._enqueue(handler, command, metadata)
        done.add_done_callback(self._log_outcome)

    async def run(self, handler: Handler[C, R], command: C, metadata: Metadata) -> R:
        """Runs the report after those queued before it and returns the handler's answer (or raises)."""
        result: R = await self._enqueue(handler, command, metadata)
        return result

    async def drain(self) -> None:
        """Waits until every report queued so far has run."""
        if self._task is not None:
            await self._jobs.join()

    async def close(self) -> None:
        await self.drain()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _enqueue(self, handler: Handler[C, R], command: C, metadata: Metadata) -> asyncio.Future[Any]:
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._jobs.put_nowait((lambda: self._commands.run(handler, command, metadata), done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._work(), name=f"reports-{self._name}")
        return done

    async def _work(self) -> None:
        while True:
            job, done = await self._jobs.get()
            try:
                result = await job()
            except asyncio.CancelledError:
                done.cancel()
                raise
            except Exception as error:
                if not done.cancelled():
                    done.set_exception(error)
            else:
                if not done.cancelled():
                    done.set_result(result)
            finally:
                self._jobs.task_done()

    def _log_outcome(self, done: asyncio.Future[Any]) -> None:
        if done.cancelled():
            return
        error = done.exception()
        if isinstance(error, DomainError):
            log.info("%s: report refused: %s", self._name, error)
        elif error is not None:
            log.error("%s: report not stored: %r", self._name, error)
