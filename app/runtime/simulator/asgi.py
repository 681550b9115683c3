"""The simulator's HTTP surface: `POST /v1/messages` plus a small `/_sim/` control API for tests."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.runtime.simulator import asgi_io as io
from app.runtime.simulator.conversation import read_conversation
from app.runtime.simulator.faults import FaultQueue, serve_fault
from app.runtime.simulator.message import input_tokens, message_json, start_usage
from app.runtime.simulator.planner import answer, triggered_fault
from app.runtime.simulator.request_log import RecordedRequest
from app.runtime.simulator.rules import Role, RuleBook
from app.runtime.simulator.sse import stream_frames

DEFAULT_MODEL = "claude-sonnet-5-5"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SimulatorConfig:
    chunk_chars: int = 24
    chunk_delay: float = 0.0
    max_hold_seconds: float = 600.0


class SimulatorApp:
    """An ASGI app; state (request log, fault queue) lives here and is shared with in-process tests."""

    def __init__(self, books: Mapping[Role, RuleBook], config: SimulatorConfig) -> None:
        self.books = books
        self.config = config
        self.faults = FaultQueue()
        self.requests: list[RecordedRequest] = []
        self.closing = asyncio.Event()

    async def __call__(self, scope: io.Scope, receive: io.Receive, send: io.Send) -> None:
        if scope["type"] != "http":
            return
        raw = await io.read_body(receive)
        method, path = scope["method"], scope["path"]
        record = RecordedRequest(
            index=len(self.requests),
            method=method,
            path=path,
            query=scope.get("query_string", b"").decode(),
            headers={key.decode(): value.decode() for key, value in scope["headers"]},
            body=_decode(raw),
        )
        if method == "POST" and path == "/v1/messages":
            self.requests.append(record)
            await self._messages(record, raw, receive, send)
        elif path.startswith("/_sim/"):
            await self._control(method, path, record.body, send)
        elif method == "POST" and path == "/v1/messages/count_tokens":
            await io.send_json(send, 200, {"input_tokens": input_tokens(raw)})
        elif path in ("/", "/health", "/api/hello"):
            await io.send_json(send, 200, {"status": "ok", "backend": "sim"})
        else:
            await io.send_json(
                send, 404, io.api_error("not_found_error", f"{method} {path} is not simulated")
            )

    async def _messages(
        self, record: RecordedRequest, raw: bytes, receive: io.Receive, send: io.Send
    ) -> None:
        if not isinstance(record.body, dict):
            record.outcome = "invalid"
            await io.send_json(send, 400, io.api_error("invalid_request_error", "body is not a JSON object"))
            return
        conversation = read_conversation(record.body)
        record.role = conversation.role
        record.prompt = conversation.prompt
        record.turn = conversation.next_turn
        record.session_id = record.headers.get("x-claude-code-session-id")
        model = conversation.model or DEFAULT_MODEL
        message_id = f"msg_sim_{record.index}_{conversation.digest}"
        count = input_tokens(raw)
        fault = self.faults.take(conversation.role) or triggered_fault(self.books, conversation)
        if fault is not None:
            record.outcome = fault.value
            start = _message_start(message_id, model, count)
            await serve_fault(fault, send, lambda: self._hold(receive), start, streaming=conversation.stream)
            return
        try:
            reply = answer(self.books, conversation)
        except ValueError as error:
            # A scenario that cannot be rendered (e.g. `{n:int}` of "five"): say so instead of a bare 500.
            log.exception("scenario failed for %r", conversation.prompt)
            record.outcome = "scenario_error"
            await io.send_json(send, 500, io.api_error("api_error", f"simulator scenario error: {error}"))
            return
        record.usage = {"input_tokens": count, "output_tokens": reply.output_tokens}
        if not conversation.stream:
            record.outcome = "json"
            await io.send_json(
                send, 200, message_json(reply, message_id=message_id, model=model, input_count=count)
            )
            return
        record.outcome = "stream"
        await io.start_stream(send)
        frames = stream_frames(
            reply,
            message_id=message_id,
            model=model,
            input_count=count,
            chunk_chars=self.config.chunk_chars,
            chunk_delay=self.config.chunk_delay,
        )
        async for data in frames:
            await io.send_chunk(send, data)
        await io.end_stream(send)

    async def _control(self, method: str, path: str, body: Any, send: io.Send) -> None:
        match method, path:
            case "GET", "/_sim/requests":
                await io.send_json(send, 200, [record.summary() for record in self.requests])
            case "DELETE", "/_sim/requests":
                self.requests.clear()
                await io.send_json(send, 200, [])
            case "GET", "/_sim/faults":
                await io.send_json(send, 200, self.faults.pending())
            case "POST", "/_sim/faults":
                try:
                    self.faults.inject(**body)
                except (TypeError, ValueError) as error:
                    await io.send_json(send, 400, io.api_error("invalid_request_error", str(error)))
                    return
                await io.send_json(send, 200, self.faults.pending())
            case "DELETE", "/_sim/faults":
                self.faults.clear()
                await io.send_json(send, 200, [])
            case "GET", "/_sim/scenarios":
                await io.send_json(send, 200, {role: book.examples for role, book in self.books.items()})
            case _:
                await io.send_json(send, 404, io.api_error("not_found_error", f"{method} {path}"))

    async def _hold(self, receive: io.Receive) -> None:
        """Keep a faulty request open until the client leaves, the server closes, or the hold limit."""
        waiters = {
            asyncio.ensure_future(io.until_disconnect(receive)),
            asyncio.ensure_future(self.closing.wait()),
        }
        _, pending = await asyncio.wait(
            waiters, timeout=self.config.max_hold_seconds, return_when=asyncio.FIRST_COMPLETED
        )
        for waiter in pending:
            waiter.cancel()


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return None


def _message_start(message_id: str, model: str, count: int) -> dict[str, Any]:
    message = {"id": message_id, "type": "message", "role": "assistant", "model": model, "content": []}
    return {"type": "message_start", "message": {**message, "stop_reason": None, "usage": start_usage(count)}}
