"""`GET /api/stream`: SSE from any position, stored frames first, then live, with no gap and no repeat."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.response.base import ASGIResponse
from litestar.response.streaming import ASGIStreamingResponse
from litestar.types import Receive, Send

from read_api.live import LiveFeed, SubscriptionDropped
from read_api.sse import RETRY
from read_api.stream_query import BadStreamQuery, StreamQuery, parse_stream_query
from read_api.wire_types import StreamFrames

log = logging.getLogger(__name__)

PAGE_SIZE = 2_000
_FINISH_TIMEOUT = 1.0
_HEADERS = {"cache-control": "no-cache", "x-accel-buffering": "no"}

SendChunk = Callable[[bytes], Awaitable[None]]


async def stream_frames(feed: LiveFeed, query: StreamQuery, send: SendChunk) -> None:
    """Catch up from the store until the hub's memory covers the position, then switch atomically.

    `subscribe_from` hands back the hub's recent frames and a subscription in one step, with no await in
    between, so no frame is published between them: nothing is lost and nothing comes twice.
    """
    await send(RETRY)
    after = await feed.head() if query.start is None else query.start
    if not feed.covers(after):
        after = await _catch_up(feed, query, after, send)
    recent, subscription = feed.subscribe_from(after, query.frame_filter)
    try:
        if recent:
            await send(recent)
        task = asyncio.current_task()
        if task is not None:
            # A subscriber too slow to drain is usually stuck in `send`: cancel it there.
            subscription.on_overflow(task.cancel)
        while True:
            await send(await subscription.next_chunk())
    finally:
        feed.unsubscribe(subscription)


async def _catch_up(feed: LiveFeed, query: StreamQuery, after: int, send: SendChunk) -> int:
    """Pages from the store until the hub's memory covers the position; the next page is read while
    this one is sent, so the database and the socket work at the same time."""
    reading = asyncio.ensure_future(feed.read_stored(after, PAGE_SIZE, query.frame_filter))
    try:
        while True:
            page = await reading
            if page.through <= after:
                await asyncio.sleep(0.05)  # the hub is ahead of what this store shows; only in odd setups
            else:
                after = page.through
            if feed.covers(after):
                if page.chunk:
                    await send(page.chunk)
                return after
            reading = asyncio.ensure_future(feed.read_stored(after, PAGE_SIZE, query.frame_filter))
            if page.chunk:
                await send(page.chunk)
    finally:
        reading.cancel()
        if reading.done() and not reading.cancelled():
            reading.exception()  # a read this stream no longer needs must not be reported as lost


class _LiveStreamASGIResponse(ASGIStreamingResponse):
    __slots__ = ("feed", "query")

    def __init__(self, feed: LiveFeed, query: StreamQuery, **options: Any) -> None:
        super().__init__(iterator=(), **options)
        self.feed = feed
        self.query = query

    async def send_body(self, send: Send, receive: Receive) -> None:
        async def send_chunk(chunk: bytes) -> None:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

        streaming = asyncio.create_task(stream_frames(self.feed, self.query, send_chunk))
        disconnected = asyncio.create_task(_wait_for_disconnect(receive))
        try:
            await asyncio.wait({streaming, disconnected}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (streaming, disconnected):
                task.cancel()
                try:
                    await task
                except (asyncio.CancelledError, SubscriptionDropped):
                    pass
                except Exception:
                    log.exception("the event stream failed; the client will reconnect")
        if disconnected.cancelled():
            # Dropped or failed: end the response cleanly if the client still reads, so it reconnects
            # with Last-Event-ID; one that reads nothing gets its connection closed by the server.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    send({"type": "http.response.body", "body": b"", "more_body": False}), _FINISH_TIMEOUT
                )


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


class LiveStream(Response[bytes]):
    """The SSE response; its body is produced by `stream_frames` rather than from `content`."""

    def __init__(self, feed: LiveFeed, query: StreamQuery) -> None:
        super().__init__(b"", media_type="text/event-stream", headers=_HEADERS)
        self.feed = feed
        self.query = query

    def to_asgi_response(
        self, app: Any, request: Request[Any, Any, Any], *, is_head_response: bool = False, **_: Any
    ) -> ASGIResponse:
        return _LiveStreamASGIResponse(
            self.feed,
            self.query,
            headers={**_HEADERS},
            media_type="text/event-stream",
            is_head_response=is_head_response,
        )


@get(
    "/api/stream",
    summary="Live event stream (SSE)",
    description=(
        "Server-Sent Events: `id:` is the global position, `event:` the wire type, `data:` JSON. "
        "Resume with the Last-Event-ID header or ?from=<position>; without either, only new events. "
        "Filters: ?types=<wire types, comma-separated>, ?agent=<name or id>, ?orchestrator=<session id>."
    ),
    media_type="text/event-stream",
    responses={
        200: ResponseSpec(
            data_container=StreamFrames,
            media_type="text/event-stream",
            description="Frames; the schema maps each `event:` name to what its `data:` JSON holds.",
            generate_examples=False,
        )
    },
)
async def stream_events(request: Request[Any, Any, Any], hub: NamedDependency[LiveFeed]) -> Response[Any]:
    try:
        query = parse_stream_query(request.query_params.multi_items(), request.headers.get("last-event-id"))
    except BadStreamQuery as error:
        return Response(
            {"type": "about:blank", "title": "Bad stream request", "status": 400, "detail": str(error)},
            status_code=400,
            media_type="application/problem+json",
        )
    return LiveStream(hub, query)
