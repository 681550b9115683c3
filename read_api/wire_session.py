"""How each event of an orchestrator session's stream looks on the wire (builders used by `frame_for`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.events import session as se
from domain.records import RecordedEvent
from domain.session import OrchestratorSession as Session
from projections.orchestrator_chat import ChatRow
from projections.system_logs import SystemLogRow
from read_api import wire_types as w
from read_api.wire_agent import Builder, Built
from read_api.wire_budget import budget_line
from read_api.wire_context import WireContext


def _text_id(value: UUID | None) -> str | None:
    """Ids inside JSON metadata are strings, as the chat table keeps them."""
    return None if value is None else str(value)


def _chat(r: RecordedEvent, e: Any, message_id: UUID, sender: str, text: str, **metadata: Any) -> Built:
    message = ChatRow(
        id=message_id,
        orchestrator_agent_id=r.stream_id,
        sender_type=sender,
        receiver_type="user" if sender == "orchestrator" else "orchestrator",
        message=text,
        agent_id=None,
        summary=None,
        metadata=metadata,
        created_at=e.timestamp,
        position=r.position,
    )
    return "orchestrator_chat", w.OrchestratorChat(position=r.position, message=message)


def _user_message(r: RecordedEvent, e: se.UserMessageSent, ctx: WireContext) -> Built:
    return _chat(r, e, e.message_id, "user", e.text, type="text")


def _text(r: RecordedEvent, e: se.OrchestratorTextBlockRecorded, ctx: WireContext) -> Built:
    return _chat(r, e, e.block_id, "orchestrator", e.text, type="text", reply_to=_text_id(e.reply_to))


def _tool_result(r: RecordedEvent, e: se.OrchestratorToolResultRecorded, ctx: WireContext) -> Built:
    return _chat(
        r, e, e.block_id, "orchestrator", e.content, type="tool_result", reply_to=_text_id(e.reply_to),
        tool_use_id=e.tool_use_id, is_error=e.is_error,
    )  # fmt: skip


def _thinking(r: RecordedEvent, e: se.OrchestratorThinkingBlockRecorded, ctx: WireContext) -> Built:
    return "thinking_block", w.ThinkingBlock(
        position=r.position, id=e.block_id, thinking=e.thinking, reply_to=e.reply_to, timestamp=e.timestamp
    )


def _tool_use(r: RecordedEvent, e: se.OrchestratorToolUseBlockRecorded, ctx: WireContext) -> Built:
    return "tool_use_block", w.ToolUseBlock(
        position=r.position,
        id=e.block_id,
        tool_use_id=e.tool_use_id,
        tool_name=e.tool_name,
        tool_input=e.tool_input,
        reply_to=e.reply_to,
        timestamp=e.timestamp,
    )


def _started(r: RecordedEvent, e: se.SessionStarted | se.SessionResumed, ctx: WireContext) -> Built:
    return "orchestrator_updated", w.OrchestratorUpdated(
        position=r.position, session_id=r.stream_id, working_dir=e.working_dir, model=e.model
    )


def _turn_finished(r: RecordedEvent, e: se.OrchestratorTurnFinished, ctx: WireContext) -> Built:
    return "orchestrator_updated", w.OrchestratorUpdated(
        position=r.position, session_id=r.stream_id, delta=w.UsageDelta.of(e.usage)
    )


def _system_log(r: RecordedEvent, e: se.SystemLogRecorded, ctx: WireContext) -> Built:
    log = SystemLogRow(
        id=e.log_id,
        orchestrator_agent_id=r.stream_id,
        level=e.level,
        message=e.message,
        summary=None,
        metadata=e.details,
        timestamp=e.timestamp,
        position=r.position,
    )
    return "system_log", w.SystemLog(position=r.position, log=log)


def _budget(r: RecordedEvent, e: se.SessionBudgetExceeded, ctx: WireContext) -> Built:
    log = budget_line(r, e, "the session", r.stream_id)
    return "system_log", w.SystemLog(position=r.position, log=log)


SESSION_FRAMES: dict[type[Any], Builder] = {
    Session.SessionStarted: _started,
    Session.SessionResumed: _started,
    Session.UserMessageSent: _user_message,
    Session.OrchestratorTextBlockRecorded: _text,
    Session.OrchestratorThinkingBlockRecorded: _thinking,
    Session.OrchestratorToolUseBlockRecorded: _tool_use,
    Session.OrchestratorToolResultRecorded: _tool_result,
    Session.OrchestratorTurnFinished: _turn_finished,
    Session.SystemLogRecorded: _system_log,
    Session.SessionBudgetExceeded: _budget,
}
"""Not on the wire: agent name bookkeeping, the session's ledger copy of agent costs (AgentTurnFinished
carries them), budgets set, summaries of chat lines and log lines."""
