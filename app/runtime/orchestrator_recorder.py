"""What the orchestrator says and does in one turn, as decisions on its OrchestratorSession aggregate."""

from __future__ import annotations

from uuid import UUID, uuid4

from app.runtime.agent_recorder import SummaryRequester
from app.runtime.redaction import redact, redact_text
from app.runtime.sdk_messages import Part, TextPart, ThinkingPart, ToolResultPart, ToolUsePart, TurnResult
from app.runtime.summaries import Subject
from app.runtime.writers import Writers
from domain import session_activity
from domain.metadata import Metadata


class OrchestratorRecorder:
    def __init__(self, session_id: UUID, writers: Writers, summarize: SummaryRequester | None = None) -> None:
        self.session_id = session_id
        self._session = writers.session(session_id)
        self._summarize = summarize

    def part(self, part: Part, block_id: UUID, reply_to: UUID | None, metadata: Metadata) -> None:
        """Submits the block without waiting; blocks of one session keep their order."""
        if isinstance(part, TextPart):
            text = redact_text(part.text)
            self._session.submit(
                lambda s: session_activity.record_text_block(s, block_id, reply_to, text), metadata
            )
            if self._summarize is not None:
                self._summarize(Subject("session", self.session_id, block_id, "response"), text)
        elif isinstance(part, ThinkingPart):
            thinking = redact_text(part.thinking)
            self._session.submit(
                lambda s: session_activity.record_thinking_block(s, block_id, reply_to, thinking), metadata
            )
        elif isinstance(part, ToolUsePart):
            tool_input = redact(part.input)
            self._session.submit(
                lambda s: session_activity.record_tool_use_block(
                    s, block_id, reply_to, part.tool_use_id, part.name, tool_input
                ),
                metadata,
            )
        elif isinstance(part, ToolResultPart):
            content = redact_text(part.content)
            self._session.submit(
                lambda s: session_activity.record_tool_result(
                    s, block_id, reply_to, part.tool_use_id, content, part.is_error
                ),
                metadata,
            )

    async def finished(self, reply_to: UUID | None, turn: TurnResult, metadata: Metadata) -> None:
        await self._session.decide(
            lambda s: s.finish_turn(
                reply_to,
                turn.usage,
                turn.duration_ms,
                turn.num_turns,
                turn.sdk_session_id,
                turn.is_error,
                redact_text(turn.result),
            ),
            metadata,
        )

    async def log(self, level: str, message: str, details: dict[str, object], metadata: Metadata) -> None:
        """A system log line (`system_log` on the stream): failures the user should see."""
        log_id = uuid4()
        await self._session.decide(
            lambda s: session_activity.record_system_log(
                s, log_id, level, redact_text(message), redact(details)
            ),
            metadata,
        )
