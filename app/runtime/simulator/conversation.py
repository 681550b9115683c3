"""A read-only view of one Messages API request: who asks, what they asked, and how far the answer got."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["orchestrator", "worker", "summary", "title", "structured"]

ORCHESTRATOR_TOOL_PREFIX = "mcp__mgmt__"
# The CLI offers this tool alone when a JSON schema is asked for (`output_format`).
STRUCTURED_OUTPUT_TOOL = "StructuredOutput"
_CWD = re.compile(r"Primary working directory:\s*(\S[^\n]*)")
_REMINDER = "<system-reminder>"
_INTERRUPTED = "[Request interrupted by user"
_SIM_TOOL_ID = re.compile(r"^toolu_sim_(\d+)_(\d+)_")


@dataclass(frozen=True)
class ToolOutcome:
    text: str
    is_error: bool


@dataclass(frozen=True)
class Conversation:
    role: Role
    model: str
    stream: bool
    prompt: str
    prompt_index: int
    cwd: str | None
    tool_names: frozenset[str]
    next_turn: int
    outcomes: dict[tuple[int, int], ToolOutcome]
    output_schema: dict[str, Any] | None

    @property
    def digest(self) -> str:
        """Stable per prompt, so tool ids are deterministic yet differ between prompts of one session."""
        return hashlib.sha256(f"{self.prompt_index}:{self.prompt}".encode()).hexdigest()[:10]

    def tool_id(self, turn: int, call: int) -> str:
        return f"toolu_sim_{turn}_{call}_{self.digest}"


def read_conversation(body: dict[str, Any]) -> Conversation:
    messages: list[dict[str, Any]] = [m for m in body.get("messages", []) if isinstance(m, dict)]
    tools = {str(tool.get("name", "")): tool for tool in body.get("tools") or [] if isinstance(tool, dict)}
    prompt_index, prompt = _last_prompt(messages)
    later = messages[prompt_index + 1 :] if prompt_index >= 0 else messages
    next_turn, outcomes = _progress(later)
    return Conversation(
        role=_role(body, set(tools)),
        model=str(body.get("model", "")),
        stream=bool(body.get("stream", False)),
        prompt=prompt,
        prompt_index=prompt_index,
        cwd=_working_directory(body, messages),
        tool_names=frozenset(tools),
        next_turn=next_turn,
        outcomes=outcomes,
        output_schema=_title_schema(body) or tools.get(STRUCTURED_OUTPUT_TOOL, {}).get("input_schema"),
    )


def _role(body: dict[str, Any], tools: set[str]) -> Role:
    if _title_schema(body) is not None:
        return "title"
    if STRUCTURED_OUTPUT_TOOL in tools:
        return "structured"
    if not tools:
        return "summary"
    if any(name.startswith(ORCHESTRATOR_TOOL_PREFIX) for name in tools):
        return "orchestrator"
    return "worker"


def _title_schema(body: dict[str, Any]) -> dict[str, Any] | None:
    output_format = (body.get("output_config") or {}).get("format") or {}
    schema = output_format.get("schema") if output_format.get("type") == "json_schema" else None
    return schema if isinstance(schema, dict) else None


def _texts(content: Any) -> Iterator[str]:
    if isinstance(content, str):
        yield content
    elif isinstance(content, list):
        for block in content:
            if isinstance(block, dict) and block.get("type") == "text":
                yield str(block.get("text", ""))


def _last_prompt(messages: list[dict[str, Any]]) -> tuple[int, str]:
    """The last thing a person (or the orchestrator) typed: user text that is no reminder or notice."""
    for index in range(len(messages) - 1, -1, -1):
        if messages[index].get("role") != "user":
            continue
        typed = [
            text
            for text in _texts(messages[index].get("content"))
            if not text.lstrip().startswith((_REMINDER, _INTERRUPTED))
        ]
        if typed:
            return index, typed[-1].strip()
    return -1, ""


def _progress(later: list[dict[str, Any]]) -> tuple[int, dict[tuple[int, int], ToolOutcome]]:
    """Which scripted turns already happened (our tool ids say which) and what their tools returned."""
    next_turn = 0
    outcomes: dict[tuple[int, int], ToolOutcome] = {}
    for message in later:
        content = message.get("content")
        for block in content if isinstance(content, list) else []:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "tool_use":
                found = _SIM_TOOL_ID.match(str(block.get("id", "")))
                if found:
                    next_turn = max(next_turn, int(found[1]) + 1)
            elif block.get("type") == "tool_result":
                found = _SIM_TOOL_ID.match(str(block.get("tool_use_id", "")))
                if found:
                    text = "\n".join(_texts(block.get("content")))
                    outcomes[(int(found[1]), int(found[2]))] = ToolOutcome(text, bool(block.get("is_error")))
    return next_turn, outcomes


def _working_directory(body: dict[str, Any], messages: list[dict[str, Any]]) -> str | None:
    system = body.get("system")
    sources = [*_texts(system)] + [text for message in messages for text in _texts(message.get("content"))]
    for text in sources:
        found = _CWD.search(text)
        if found:
            return found[1].strip()
    return None
