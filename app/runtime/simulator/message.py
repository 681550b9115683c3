"""The assistant message the simulator answers with, its usage figures, and its non-streaming JSON form."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class Thinking:
    text: str

    @property
    def signature(self) -> str:
        return "sim-" + hashlib.sha256(self.text.encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class ToolUse:
    id: str
    name: str
    input: dict[str, Any]

    @property
    def input_json(self) -> str:
        return json.dumps(self.input, ensure_ascii=False)


Block = Thinking | Text | ToolUse
StopReason = Literal["end_turn", "tool_use"]


@dataclass(frozen=True)
class Reply:
    blocks: tuple[Block, ...]

    @property
    def stop_reason(self) -> StopReason:
        return "tool_use" if any(isinstance(block, ToolUse) for block in self.blocks) else "end_turn"

    @property
    def output_tokens(self) -> int:
        chars = sum(len(_payload(block)) for block in self.blocks)
        return max(1, chars // CHARS_PER_TOKEN)


def input_tokens(raw_body: bytes) -> int:
    """Roughly what the real API would count: everything sent (system, messages, tool schemas)."""
    return max(1, len(raw_body) // CHARS_PER_TOKEN)


def start_usage(input_count: int) -> dict[str, int]:
    return {
        "input_tokens": input_count,
        "output_tokens": 1,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
    }


def message_json(reply: Reply, *, message_id: str, model: str, input_count: int) -> dict[str, Any]:
    """The whole message at once, for requests with `"stream": false`."""
    return {
        "id": message_id,
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [block_json(block) for block in reply.blocks],
        "stop_reason": reply.stop_reason,
        "stop_sequence": None,
        "usage": {**start_usage(input_count), "output_tokens": reply.output_tokens},
    }


def block_json(block: Block) -> dict[str, Any]:
    match block:
        case Thinking():
            return {"type": "thinking", "thinking": block.text, "signature": block.signature}
        case Text():
            return {"type": "text", "text": block.text}
        case ToolUse():
            return {"type": "tool_use", "id": block.id, "name": block.name, "input": block.input}


def empty_block_json(block: Block) -> dict[str, Any]:
    """What `content_block_start` carries: the CLI ignores prefilled content, so deltas bring it all."""
    match block:
        case Thinking():
            return {"type": "thinking", "thinking": "", "signature": ""}
        case Text():
            return {"type": "text", "text": ""}
        case ToolUse():
            return {"type": "tool_use", "id": block.id, "name": block.name, "input": {}}


def _payload(block: Block) -> str:
    match block:
        case Thinking() | Text():
            return block.text
        case ToolUse():
            return block.name + block.input_json
