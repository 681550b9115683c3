"""Server-sent events for one streamed message: every frame has an `event:` line and a `"type"` field."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from app.runtime.simulator.message import Reply, Text, Thinking, ToolUse, empty_block_json, start_usage

_WORDS = re.compile(r"\S+\s*|\s+")
JSON_CHUNKS = 3


def frame(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event, ensure_ascii=False)}\n\n".encode()


def message_events(
    reply: Reply, *, message_id: str, model: str, input_count: int, chunk_chars: int
) -> Iterator[dict[str, Any]]:
    yield {
        "type": "message_start",
        "message": {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": start_usage(input_count),
        },
    }
    for index, block in enumerate(reply.blocks):
        yield {"type": "content_block_start", "index": index, "content_block": empty_block_json(block)}
        for delta in _deltas(block, chunk_chars):
            yield {"type": "content_block_delta", "index": index, "delta": delta}
        yield {"type": "content_block_stop", "index": index}
    yield {
        "type": "message_delta",
        "delta": {"stop_reason": reply.stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": reply.output_tokens},
    }
    yield {"type": "message_stop"}


async def stream_frames(
    reply: Reply, *, message_id: str, model: str, input_count: int, chunk_chars: int, chunk_delay: float
) -> AsyncIterator[bytes]:
    """Frames with a pause between deltas, so listeners see text arrive piece by piece."""
    events = message_events(
        reply, message_id=message_id, model=model, input_count=input_count, chunk_chars=chunk_chars
    )
    for event in events:
        if chunk_delay > 0 and event["type"] == "content_block_delta":
            await asyncio.sleep(chunk_delay)
        yield frame(event)


def _deltas(block: Thinking | Text | ToolUse, chunk_chars: int) -> Iterator[dict[str, Any]]:
    match block:
        case Thinking():
            for piece in text_chunks(block.text, chunk_chars):
                yield {"type": "thinking_delta", "thinking": piece}
            yield {"type": "signature_delta", "signature": block.signature}
        case Text():
            for piece in text_chunks(block.text, chunk_chars):
                yield {"type": "text_delta", "text": piece}
        case ToolUse():
            encoded = block.input_json
            size = max(1, -(-len(encoded) // JSON_CHUNKS))
            for start in range(0, len(encoded), size):
                yield {"type": "input_json_delta", "partial_json": encoded[start : start + size]}


def text_chunks(text: str, chunk_chars: int) -> list[str]:
    """Cut at word ends into pieces of about `chunk_chars`; joined back they give `text` exactly."""
    pieces: list[str] = []
    current = ""
    for word in _WORDS.findall(text):
        if current and len(current) + len(word) > chunk_chars:
            pieces.append(current)
            current = ""
        current += word
    if current or not pieces:
        pieces.append(current)
    return pieces
