"""Faults injected by tests: queued for the next N requests (maybe of one role), and how each is served."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from app.runtime.simulator.asgi_io import Send, api_error, end_stream, send_chunk, send_json, start_stream
from app.runtime.simulator.scenario_files import FaultKind
from app.runtime.simulator.sse import frame

_STATUS_ERRORS = {
    FaultKind.SERVER_ERROR: (500, "api_error", "Internal server error (simulated)"),
    FaultKind.OVERLOADED: (529, "overloaded_error", "Overloaded (simulated)"),
    FaultKind.RATE_LIMITED: (429, "rate_limit_error", "Rate limited (simulated)"),
    FaultKind.BAD_REQUEST: (400, "invalid_request_error", "Bad request (simulated)"),
}


@dataclass
class Fault:
    kind: FaultKind
    remaining: int
    role: str | None = None


class FaultQueue:
    """Faults wait in order; a request takes the first one meant for its role."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def inject(self, kind: FaultKind | str, count: int = 1, role: str | None = None) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self._faults.append(Fault(FaultKind(kind), count, role))

    def take(self, role: str) -> FaultKind | None:
        for fault in self._faults:
            if fault.role in (None, role):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._faults.remove(fault)
                return fault.kind
        return None

    def clear(self) -> None:
        self._faults.clear()

    def pending(self) -> list[dict[str, Any]]:
        return [asdict(fault) for fault in self._faults]


async def serve_fault(
    kind: FaultKind,
    send: Send,
    hold: Callable[[], Awaitable[None]],
    start_event: dict[str, Any],
    *,
    streaming: bool,
) -> None:
    """Answer as the fault says; `hold` waits until the client gives up or the server closes."""
    if not streaming and kind not in _STATUS_ERRORS:
        await _serve_broken_json(kind, send, hold, start_event)
        return
    if kind in _STATUS_ERRORS:
        status, error_type, message = _STATUS_ERRORS[kind]
        retry = [(b"retry-after", b"0")] if kind is FaultKind.RATE_LIMITED else []
        await send_json(send, status, api_error(error_type, message), retry)
        return
    if kind is FaultKind.HANG:
        await hold()
        await send_json(send, 503, api_error("api_error", "Simulator shutting down"))
        return
    await start_stream(send)
    if kind is FaultKind.MALFORMED:
        await send_chunk(send, b"event: message_start\ndata: {this is not json\n\n")
    elif kind is FaultKind.STALL:
        await send_chunk(send, frame(start_event))
        await hold()
    elif kind is FaultKind.TRUNCATED:
        await send_chunk(send, frame(start_event))
        block = {"type": "text", "text": ""}
        await send_chunk(send, frame({"type": "content_block_start", "index": 0, "content_block": block}))
        delta = {"type": "text_delta", "text": "This answer stops"}
        await send_chunk(send, frame({"type": "content_block_delta", "index": 0, "delta": delta}))
    await end_stream(send)


async def _serve_broken_json(
    kind: FaultKind, send: Send, hold: Callable[[], Awaitable[None]], start_event: dict[str, Any]
) -> None:
    """The same faults for a `"stream": false` request: no answer, or a body that is not a whole message."""
    if kind in (FaultKind.STALL, FaultKind.HANG):
        await hold()
        await send_json(send, 503, api_error("api_error", "Simulator shutting down"))
        return
    body = {
        FaultKind.MALFORMED: b"{this is not json",
        FaultKind.TRUNCATED: json.dumps(start_event["message"]).encode()[:40],
        FaultKind.EMPTY_STREAM: b"",
    }[kind]
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]}
    )
    await send({"type": "http.response.body", "body": body})
