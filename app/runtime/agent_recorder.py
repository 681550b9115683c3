"""What one worker agent does, reported through the command handlers as it happens.

Blocks, hook calls and file changes are submitted without waiting (the CLI is never held up by the store);
how a turn ends is awaited, after them, so the agent's status is settled before its next command runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from uuid import UUID, uuid4

from app.commands import agent_report_handlers as handlers
from app.runtime.file_tracking import FileActivity
from app.runtime.hooks import HookRecord
from app.runtime.redaction import redact, redact_text
from app.runtime.reports import Reports
from app.runtime.sdk_messages import Part, TextPart, ThinkingPart, ToolUsePart, TurnResult
from app.runtime.summaries import Subject
from domain import agent_activity
from domain.metadata import Metadata
from domain.runtime_commands import FailAgent, FinishAgentTurn, MarkAgentInterrupted
from domain.validation import SHORT_TEXT_MAX_CHARS
from domain.values import ChangedFile

SummaryRequester = Callable[[Subject, str], None]
"""Asks for a background summary of `text` about the subject (never waits)."""


class AgentRecorder:
    def __init__(
        self, agent_id: UUID, session_id: UUID, reports: Reports, summarize: SummaryRequester | None = None
    ) -> None:
        self.agent_id = agent_id
        self.session_id = session_id
        self._queue = reports.agent(agent_id)
        self._summarize = summarize
        self.metadata: Metadata | None = None
        """The running command's metadata (its chain, caused by its start), set before each command."""

    def _meta(self) -> Metadata:
        if self.metadata is None:
            raise RuntimeError("no command is running: set AgentRecorder.metadata first")
        return self.metadata

    def part(self, part: Part) -> None:
        block_id = uuid4()
        if isinstance(part, TextPart):
            text = redact_text(part.text)
            self._queue.record(lambda a: agent_activity.record_text_block(a, block_id, text), self._meta())
            self._ask_summary(block_id, "response", text)
        elif isinstance(part, ThinkingPart):
            thinking = redact_text(part.thinking)
            self._queue.record(
                lambda a: agent_activity.record_thinking_block(a, block_id, thinking), self._meta()
            )
        elif isinstance(part, ToolUsePart):
            tool_input = redact(part.input)
            self._queue.record(
                lambda a: agent_activity.record_tool_use_block(
                    a, block_id, part.tool_use_id, part.name, tool_input
                ),
                self._meta(),
            )

    def hook(self, record: HookRecord) -> UUID:
        """Submits the hook call; returns the id its log entry (and summary) will have."""
        hook_event_id = uuid4()
        self._queue.record(
            lambda a: agent_activity.record_hook_event(
                a,
                hook_event_id,
                record.hook_type,
                tool_name=record.tool_name,
                tool_use_id=record.tool_use_id,
                tool_input=record.tool_input,
                tool_response=record.tool_response,
                error=record.error,
                payload=record.payload,
            ),
            self._meta(),
        )
        self._ask_summary(hook_event_id, "hook", hook_text(record))
        return hook_event_id

    def files(self, activity: FileActivity) -> None:
        read = (activity.path,) if activity.action == "read" else ()
        changed = () if read else (ChangedFile(activity.path, redact_text(activity.diff)),)
        tool_use_id = activity.tool_use_id or None
        self._queue.record(lambda a: agent_activity.track_files(a, tool_use_id, read, changed), self._meta())

    def prompt(self, command_id: UUID, text: str) -> None:
        self._ask_summary(command_id, "prompt", text)

    async def finished(self, turn: TurnResult) -> None:
        command = FinishAgentTurn(
            agent_id=self.agent_id,
            usage=turn.usage,
            duration_ms=turn.duration_ms,
            num_turns=turn.num_turns,
            sdk_session_id=turn.sdk_session_id,
            is_error=turn.is_error,
            result=redact_text(turn.result),
        )
        await self._queue.run(handlers.finish_agent_turn, command, self._meta())

    async def interrupted(self) -> None:
        command = MarkAgentInterrupted(agent_id=self.agent_id)
        await self._queue.run(handlers.mark_agent_interrupted, command, self._meta())

    async def failed(self, reason: str) -> None:
        reason = redact_text(reason)[:SHORT_TEXT_MAX_CHARS] or "the agent failed"
        await self._queue.run(
            handlers.fail_agent, FailAgent(agent_id=self.agent_id, reason=reason), self._meta()
        )

    def _ask_summary(self, subject_id: UUID, kind: str, text: str) -> None:
        if self._summarize is not None and text.strip():
            self._summarize(Subject("agent", self.agent_id, subject_id, kind, self.session_id), text)


def hook_text(record: HookRecord) -> str:
    parts = [record.hook_type]
    if record.tool_name:
        parts.append(record.tool_name)
    if record.tool_input:
        parts.append(json.dumps(record.tool_input, default=str)[:500])
    if record.error:
        parts.append(f"error: {record.error[:300]}")
    return " ".join(parts)
