"""What SDK messages mean to us: content blocks, the turn's result (usage, cost, failure), text deltas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from claude_agent_sdk import (
    AssistantMessage,
    ResultMessage,
    StreamEvent,
    TextBlock,
    ThinkingBlock,
    ToolResultBlock,
    ToolUseBlock,
    UserMessage,
)

from domain.values import Usage


@dataclass(frozen=True)
class TextPart:
    text: str


@dataclass(frozen=True)
class ThinkingPart:
    thinking: str


@dataclass(frozen=True)
class ToolUsePart:
    tool_use_id: str
    name: str
    input: dict[str, Any]


@dataclass(frozen=True)
class ToolResultPart:
    tool_use_id: str
    content: str
    is_error: bool


Part = TextPart | ThinkingPart | ToolUsePart | ToolResultPart


@dataclass(frozen=True)
class TurnResult:
    """`usage` is this turn's share; `session_cost_usd` the CLI's running total for its SDK session."""

    usage: Usage
    session_cost_usd: float
    duration_ms: int
    num_turns: int
    sdk_session_id: str | None
    is_error: bool
    interrupted: bool
    result: str


def parts_of(message: object) -> list[Part]:
    """The blocks of an assistant message (text, thinking, tool use) or a user message (tool results)."""
    if isinstance(message, AssistantMessage):
        return [part for block in message.content if (part := _assistant_part(block)) is not None]
    if isinstance(message, UserMessage) and isinstance(message.content, list):
        return [
            ToolResultPart(block.tool_use_id, tool_result_text(block.content), bool(block.is_error))
            for block in message.content
            if isinstance(block, ToolResultBlock)
        ]
    return []


def _assistant_part(block: object) -> Part | None:
    if isinstance(block, TextBlock):
        return TextPart(block.text) if block.text.strip() else None
    if isinstance(block, ThinkingBlock):
        return ThinkingPart(block.thinking) if block.thinking.strip() else None
    if isinstance(block, ToolUseBlock):
        return ToolUsePart(block.id, block.name, dict(block.input))
    return None


def tool_result_text(content: str | list[dict[str, Any]] | None) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(str(item.get("text", "")) for item in content if item.get("type") == "text")


INTERRUPTED_REASONS = frozenset({"aborted_streaming", "aborted_tools", "interrupted"})


def turn_result(message: ResultMessage, cost_before: float) -> TurnResult:
    """The CLI reports tokens per turn but cost as a running total of its SDK session (kept across resume):
    the turn's cost is the growth of that total since `cost_before`."""
    usage = message.usage or {}
    total = max(float(message.total_cost_usd or 0.0), 0.0)
    interrupted = message.terminal_reason in INTERRUPTED_REASONS
    return TurnResult(
        usage=Usage(
            input_tokens=_count(usage.get("input_tokens")),
            output_tokens=_count(usage.get("output_tokens")),
            cache_read_input_tokens=_count(usage.get("cache_read_input_tokens")),
            cache_creation_input_tokens=_count(usage.get("cache_creation_input_tokens")),
            cost_usd=max(total - cost_before, 0.0),
        ),
        session_cost_usd=total,
        duration_ms=max(message.duration_ms, 0),
        num_turns=max(message.num_turns, 0),
        sdk_session_id=message.session_id or None,
        is_error=message.is_error and not interrupted,
        interrupted=interrupted,
        result=(message.result or "") if not message.is_error else failure_reason(message),
    )


def failure_reason(message: ResultMessage) -> str:
    """A sentence a person can act on: what failed, with the model API's status when there was one."""
    details = [text for text in (message.errors or []) if text]
    if not details and message.result:
        details = [message.result]
    if message.api_error_status:
        head = f"the model API answered HTTP {message.api_error_status}"
    elif message.subtype == "error_max_turns":
        head = "the agent reached its maximum number of turns"
    elif message.subtype == "error_max_budget_usd":
        head = "the agent reached its cost budget"
    elif message.subtype == "success":
        head = "the model API call failed"
    elif message.subtype == "error_during_execution":
        head = "the agent's turn failed while executing"
    else:
        head = f"the agent's turn ended with an error ({message.subtype})"
    return f"{head}: {'; '.join(details)}" if details else head


def _count(value: object) -> int:
    return value if isinstance(value, int) and value > 0 else 0


def text_delta(event: StreamEvent) -> str | None:
    """The text a streaming `content_block_delta` adds, for the ephemeral `chat_stream` frames."""
    raw = event.event
    if raw.get("type") != "content_block_delta":
        return None
    delta = raw.get("delta") or {}
    if delta.get("type") == "text_delta":
        text = delta.get("text")
        return text if isinstance(text, str) and text else None
    return None
