"""AppendListener: one LISTEN connection per process that knows the newest position and wakes waiters."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from types import TracebackType

import asyncpg

from app.eventstore.urls import asyncpg_dsn

log = logging.getLogger(__name__)

CHANNEL = "o3s_events"
_HEAD = "SELECT coalesce(max(position), 0) FROM events"


class AppendListener:
    """Follows `NOTIFY o3s_events, '<last position>'` and reconnects by itself, with backoff.

    `head` only ever grows and is always a committed position: from notifications, and from the table
    itself after each (re)connect, since notifications sent while disconnected are lost.
    """

    def __init__(
        self,
        url: str,
        *,
        min_backoff: float = 0.05,
        max_backoff: float = 2.0,
        health_check_every: float = 5.0,
        application_name: str = "o3s-listener",
    ) -> None:
        self._dsn = asyncpg_dsn(url)
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._health_check_every = health_check_every
        self._application_name = application_name
        self._head = 0
        self._advanced = asyncio.Event()
        self._live = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.reconnects = 0

    @property
    def head(self) -> int:
        return self._head

    @property
    def live(self) -> bool:
        return self._live.is_set()

    async def start(self) -> None:
        """Connects and LISTENs before returning, so no append after this goes unnoticed.

        The first connection's failure is raised to the caller; later ones are retried forever.
        """
        if self._task is None:
            connection = await self._connect()
            self._task = asyncio.create_task(self._supervise(connection), name="o3s-append-listener")

    async def close(self) -> None:
        """Stops listening; close the followers first, or their `wait_beyond` waits forever."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def __aenter__(self) -> AppendListener:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    async def wait_beyond(self, position: int) -> int:
        """Waits until something after `position` has been appended; returns the head."""
        while self._head <= position:
            await self._advanced.wait()
        return self._head

    def advance(self, position: int) -> None:
        """Raises the head (also usable by in-process writers that know what they just appended)."""
        if position > self._head:
            self._head = position
            # set() wakes every current waiter; clearing right away re-arms it for the next append.
            self._advanced.set()
            self._advanced.clear()

    def _on_notify(self, connection: object, pid: int, channel: str, payload: object) -> None:
        try:
            self.advance(int(str(payload)))
        except ValueError:
            log.warning("ignoring a malformed %s notification: %r", CHANNEL, payload)

    async def _supervise(self, connection: asyncpg.Connection) -> None:
        while True:
            try:
                await self._hold(connection)
                log.warning("append listener lost its connection; reconnecting")
            except Exception:
                log.exception("append listener failed; reconnecting")
            finally:
                self._live.clear()
                connection.terminate()
            connection = await self._reconnect()

    async def _reconnect(self) -> asyncpg.Connection:
        delay = self._min_backoff
        while True:
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            try:
                connection = await self._connect()
            except Exception as error:
                delay = min(delay * 2, self._max_backoff)
                log.warning("append listener cannot reconnect (%s); next try within %.2fs", error, delay)
            else:
                self.reconnects += 1
                return connection

    async def _connect(self) -> asyncpg.Connection:
        connection = await asyncpg.connect(
            self._dsn, server_settings={"application_name": self._application_name}
        )
        try:
            await connection.add_listener(CHANNEL, self._on_notify)
            self.advance(await connection.fetchval(_HEAD))
        except BaseException:
            connection.terminate()
            raise
        self._live.set()
        return connection

    async def _hold(self, connection: asyncpg.Connection) -> None:
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _: lost.set())
        if connection.is_closed():
            return
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), self._health_check_every)
            if not lost.is_set():
                # A silent network drop closes nothing: ask, to find out.
                await connection.fetchval("SELECT 1", timeout=self._health_check_every)
