"""Runs the projection runner on its own, as the crash test's victim: `python -m ... URL BATCH_SIZE NAME`."""

from __future__ import annotations

import asyncio
import sys

from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from projections.catalog import PROJECTORS
from projections.runner import ProjectionRunner
from tests.session_workload import CODEC


async def main(url: str, batch_size: int, application_name: str) -> None:
    pool = await create_pool(url, server_settings={"application_name": application_name})
    store = EventStore(pool)
    async with AppendListener(url) as listener:
        runner = ProjectionRunner(pool, CODEC, PROJECTORS, batch_size=batch_size)
        await runner.run(lambda position: follow(store, listener, position))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3]))
