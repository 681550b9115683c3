"""What one worker agent does, as decisions on its Agent aggregate (and its session's ledger at turn end).

Blocks, hook calls and file changes are submitted without waiting (the CLI is never held up by the store);
how a turn ends is awaited, so the agent's status is settled before its next command runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from uuid import UUID, uuid4

from app.runtime.file_tracking import FileActivity
from app.runtime.hooks import HookRecord
from app.runtime.redaction import redact, redact_text
from app.runtime.sdk_messages import Part, TextPart, ThinkingPart, ToolUsePart, TurnResult
from app.runtime.summaries import Subject
from app.runtime.writers import Writers
from domain import agent_activity, agent_lifecycle
from domain.agent import Agent
from domain.metadata import Metadata
from domain.session import OrchestratorSession
from domain.validation import SHORT_TEXT_MAX_CHARS
from domain.values import ChangedFile

SummaryRequester = Callable[[Subject, str], None]
"""Asks for a background summary of `text` about the subject (never waits)."""


class AgentRecorder:
    def __init__(
        self, agent_id: UUID, session_id: UUID, writers: Writers, summarize: SummaryRequester | None = None
    ) -> None:
        self.agent_id = agent_id
        self.session_id = session_id
        self._writers = writers
        self._agent = writers.agent(agent_id)
        self._summarize = summarize
        self.metadata: Metadata | None = None

    def _meta(self) -> Metadata:
        if self.metadata is None:
            raise RuntimeError("no command is running: set AgentRecorder.metadata first")
        return self.metadata

    def part(self, part: Part) -> None:
        block_id = uuid4()
        if isinstance(part, TextPart):
            text = redact_text(part.text)
            self._agent.submit(lambda a: agent_activity.record_text_block(a, block_id, text), self._meta())
            self._ask_summary(block_id, "response", text)
        elif isinstance(part, ThinkingPart):
            thinking = redact_text(part.thinking)
            self._agent.submit(
                lambda a: agent_activity.record_thinking_block(a, block_id, thinking), self._meta()
            )
        elif isinstance(part, ToolUsePart):
            tool_input = redact(part.input)
            self._agent.submit(
                lambda a: agent_activity.record_tool_use_block(
                    a, block_id, part.tool_use_id, part.name, tool_input
                ),
                self._meta(),
            )

    def hook(self, record: HookRecord) -> None:
        hook_event_id = uuid4()
        self._agent.submit(
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

    def files(self, activity: FileActivity) -> None:
        read = (activity.path,) if activity.action == "read" else ()
        changed = () if read else (ChangedFile(activity.path, redact_text(activity.diff)),)
        self._agent.submit(
            lambda a: agent_activity.track_files(a, activity.tool_use_id or None, read, changed), self._meta()
        )

    def prompt(self, command_id: UUID, text: str) -> None:
        self._ask_summary(command_id, "prompt", text)

    async def finished(self, turn: TurnResult) -> None:
        def decide(agent: Agent, session: OrchestratorSession) -> None:
            agent_lifecycle.finish_agent_turn(
                session,
                agent,
                turn.usage,
                turn.duration_ms,
                turn.num_turns,
                turn.sdk_session_id,
                turn.is_error,
                redact_text(turn.result),
            )

        await self._agent.decide_together(self._writers.session(self.session_id), decide, self._meta())

    async def interrupted(self) -> None:
        await self._agent.decide(lambda agent: agent.mark_interrupted(), self._meta())

    async def failed(self, reason: str) -> None:
        reason = redact_text(reason)[:SHORT_TEXT_MAX_CHARS] or "the agent failed"
        await self._agent.decide(lambda agent: agent.fail(reason), self._meta())

    async def settled(self) -> None:
        """Waits until everything submitted so far is stored."""
        await self._agent.drain()

    def _ask_summary(self, subject_id: UUID, kind: str, text: str) -> None:
        if self._summarize is not None and text.strip():
            self._summarize(Subject("agent", self.agent_id, subject_id, kind), text)


def hook_text(record: HookRecord) -> str:
    parts = [record.hook_type]
    if record.tool_name:
        parts.append(record.tool_name)
    if record.tool_input:
        parts.append(json.dumps(record.tool_input, default=str)[:500])
    if record.error:
        parts.append(f"error: {record.error[:300]}")
    return " ".join(parts)
