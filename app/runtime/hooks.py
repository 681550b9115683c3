"""Worker agent SDK hooks: each call becomes a redacted HookRecord; tool hooks also feed file tracking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from claude_agent_sdk import HookContext, HookInput, HookJSONOutput, HookMatcher
from claude_agent_sdk.types import HookEvent

from app.runtime.file_tracking import FileActivity, FileTracker
from app.runtime.redaction import redact

RECORDED_HOOKS: tuple[HookEvent, ...] = (
    "PreToolUse",
    "PostToolUse",
    "PostToolUseFailure",
    "UserPromptSubmit",
    "Stop",
    "SubagentStart",
    "SubagentStop",
    "PreCompact",
    "Notification",
)
# Carried in their own fields (or useless to a reader, like the CLI's transcript path).
_OWN_FIELDS = frozenset(
    {"hook_event_name", "tool_name", "tool_use_id", "tool_input", "tool_response", "error", "transcript_path"}
)
MAX_RESPONSE_CHARS = 20_000


@dataclass(frozen=True)
class HookRecord:
    hook_type: str
    tool_name: str | None
    tool_use_id: str | None
    tool_input: dict[str, Any] | None
    tool_response: Any
    error: str | None
    payload: dict[str, Any]


def hook_record(data: dict[str, Any], tool_use_id: str | None) -> HookRecord:
    """What one hook call tells, secrets removed, big tool responses cut."""
    tool_input = data.get("tool_input")
    error = data.get("error")
    return HookRecord(
        hook_type=str(data.get("hook_event_name", "")),
        tool_name=data.get("tool_name"),
        tool_use_id=data.get("tool_use_id") or tool_use_id,
        tool_input=redact(tool_input) if isinstance(tool_input, dict) else None,
        tool_response=_cut(redact(data.get("tool_response"))),
        error=redact(str(error)) if error is not None else None,
        payload=redact({key: value for key, value in data.items() if key not in _OWN_FIELDS}),
    )


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_RESPONSE_CHARS:
        return value[:MAX_RESPONSE_CHARS] + "… [cut]"
    if isinstance(value, dict):
        return {key: _cut(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cut(item) for item in value]
    return value


HookSink = Callable[[HookRecord], object]
FilesSink = Callable[[FileActivity], None]
Hooks = dict[HookEvent, list[HookMatcher]]


def build_hooks(on_hook: HookSink, on_files: FilesSink, tracker: FileTracker) -> Hooks:
    """One callback for every recorded hook; it hands records off without waiting for the store."""

    async def callback(data: HookInput, tool_use_id: str | None, context: HookContext) -> HookJSONOutput:
        raw: dict[str, Any] = dict(data)
        hook_type = raw.get("hook_event_name")
        tool_name = str(raw.get("tool_name") or "")
        tool_input = raw.get("tool_input") if isinstance(raw.get("tool_input"), dict) else {}
        use_id = str(raw.get("tool_use_id") or tool_use_id or "")
        if hook_type == "PreToolUse":
            tracker.before_tool(tool_name, use_id, tool_input or {})
        on_hook(hook_record(raw, tool_use_id))
        if hook_type == "PostToolUse":
            activity = await tracker.after_tool(tool_name, use_id, tool_input or {})
            if activity is not None:
                on_files(activity)
        elif hook_type == "PostToolUseFailure":
            tracker.forget(use_id)
        return {}

    matcher = HookMatcher(hooks=[callback])
    return {hook: [matcher] for hook in RECORDED_HOOKS}
