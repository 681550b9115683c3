"""What the orchestrator says and does in a turn, reported through the command handlers in order."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from app.commands import orchestrator_handlers as handlers
from app.commands.session_handlers import record_system_log
from app.runtime.agent_recorder import SummaryRequester
from app.runtime.redaction import redact, redact_text
from app.runtime.reports import Reports
from app.runtime.sdk_messages import Part, TextPart, ThinkingPart, ToolResultPart, ToolUsePart, TurnResult
from app.runtime.summaries import Subject
from domain.commands import RecordSystemLog
from domain.metadata import Metadata
from domain.runtime_commands import (
    FinishOrchestratorTurn,
    RecordOrchestratorText,
    RecordOrchestratorThinking,
    RecordOrchestratorToolResult,
    RecordOrchestratorToolUse,
)


class OrchestratorRecorder:
    def __init__(self, session_id: UUID, reports: Reports, summarize: SummaryRequester | None = None) -> None:
        self.session_id = session_id
        self._queue = reports.session(session_id)
        self._summarize = summarize

    def part(self, part: Part, block_id: UUID, reply_to: UUID | None, metadata: Metadata) -> None:
        """Submits the block without waiting; `block_id` is the one its streamed chunks carried."""
        session_id = self.session_id
        if isinstance(part, TextPart):
            text = RecordOrchestratorText(
                session_id=session_id, reply_to=reply_to, text=redact_text(part.text), block_id=block_id
            )
            self._queue.submit(handlers.record_orchestrator_text, text, metadata)
            if self._summarize is not None:
                self._summarize(Subject("session", session_id, block_id, "response", session_id), text.text)
        elif isinstance(part, ThinkingPart):
            thinking = RecordOrchestratorThinking(
                session_id=session_id,
                reply_to=reply_to,
                thinking=redact_text(part.thinking),
                block_id=block_id,
            )
            self._queue.submit(handlers.record_orchestrator_thinking, thinking, metadata)
        elif isinstance(part, ToolUsePart):
            tool_use = RecordOrchestratorToolUse(
                session_id=session_id,
                reply_to=reply_to,
                tool_use_id=part.tool_use_id,
                tool_name=part.name,
                tool_input=redact(part.input),
                block_id=block_id,
            )
            self._queue.submit(handlers.record_orchestrator_tool_use, tool_use, metadata)
        elif isinstance(part, ToolResultPart):
            result = RecordOrchestratorToolResult(
                session_id=session_id,
                reply_to=reply_to,
                tool_use_id=part.tool_use_id,
                content=redact_text(part.content),
                is_error=part.is_error,
                block_id=block_id,
            )
            self._queue.submit(handlers.record_orchestrator_tool_result, result, metadata)

    async def finished(self, reply_to: UUID | None, turn: TurnResult, metadata: Metadata) -> None:
        command = FinishOrchestratorTurn(
            session_id=self.session_id,
            reply_to=reply_to,
            usage=turn.usage,
            duration_ms=turn.duration_ms,
            num_turns=turn.num_turns,
            sdk_session_id=turn.sdk_session_id,
            is_error=turn.is_error,
            result=redact_text(turn.result),
        )
        await self._queue.run(handlers.finish_orchestrator_turn, command, metadata)

    def log(self, level: str, message: str, details: dict[str, Any], metadata: Metadata) -> None:
        """A system log line (`system_log` on the stream): what the user should know went wrong."""
        command = RecordSystemLog(
            session_id=self.session_id, level=level, message=redact_text(message), details=redact(details)
        )
        self._queue.submit(record_system_log, command, metadata)
