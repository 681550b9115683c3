"""follow(): every event after a position, first from the store in pages, then live as appends land."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncGenerator

from app.eventstore.errors import StoreUnavailable
from app.eventstore.listener import AppendListener
from app.eventstore.store import EventStore
from domain.records import RecordedEvent

log = logging.getLogger(__name__)


async def follow(
    store: EventStore,
    listener: AppendListener,
    from_position: int,
    *,
    page_size: int = 1000,
    min_backoff: float = 0.05,
    max_backoff: float = 2.0,
) -> AsyncGenerator[RecordedEvent, None]:
    """Yields each event with position > `from_position` exactly once, in position order, forever.

    The listener is LISTENing before the first read, and reading is always by position from the store,
    so nothing appended around the catch-up/live switch is missed or repeated. When the database goes
    away it retries with backoff from the last event it yielded. Stop it with `aclose()` (or
    `contextlib.aclosing`), or by cancelling the task iterating it.
    """
    if not listener.live:
        await listener.start()
    last = from_position
    delay = min_backoff
    while True:
        try:
            page = await store.read_all(last, page_size)
        except StoreUnavailable as error:
            log.warning("follow(%d) cannot read (%s); retrying in %.2fs", last, error, delay)
            await asyncio.sleep(delay * random.uniform(0.5, 1.0))
            delay = min(delay * 2, max_backoff)
            continue
        delay = min_backoff
        for event in page:
            last = event.position
            yield event
        if len(page) == page_size:
            continue
        if not page and listener.head > last:
            # Notified of a commit this snapshot did not show yet: give visibility a moment, don't spin.
            await asyncio.sleep(0.001)
            continue
        await listener.wait_beyond(last)
