"""How each event of an orchestrator session's stream looks on the wire (builders used by `frame_for`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.events import session as se
from domain.records import RecordedEvent
from domain.session import OrchestratorSession as Session
from read_api import wire_types as w
from read_api.wire_agent import AgentNames, Builder, Built, usage_delta


def _chat(r: RecordedEvent, e: Any, message_id: UUID, sender: str, receiver: str, text: str) -> Built:
    reply_to = getattr(e, "reply_to", None)
    message = w.ChatMessageData(
        id=message_id,
        sender_type=sender,
        receiver_type=receiver,
        message=text,
        agent_id=None,
        metadata=None if reply_to is None else {"reply_to": reply_to},
        created_at=e.timestamp,
    )
    return "orchestrator_chat", w.OrchestratorChat(position=r.position, message=message)


def _user_message(r: RecordedEvent, e: se.UserMessageSent, names: AgentNames) -> Built:
    return _chat(r, e, e.message_id, "user", "orchestrator", e.text)


def _text(r: RecordedEvent, e: se.OrchestratorTextBlockRecorded, names: AgentNames) -> Built:
    return _chat(r, e, e.block_id, "orchestrator", "user", e.text)


def _thinking(r: RecordedEvent, e: se.OrchestratorThinkingBlockRecorded, names: AgentNames) -> Built:
    return "thinking_block", w.ThinkingBlock(
        position=r.position,
        id=e.block_id,
        thinking=e.thinking,
        reply_to=e.reply_to,
        timestamp=e.timestamp,
    )


def _tool_use(r: RecordedEvent, e: se.OrchestratorToolUseBlockRecorded, names: AgentNames) -> Built:
    return "tool_use_block", w.ToolUseBlock(
        position=r.position,
        id=e.block_id,
        tool_use_id=e.tool_use_id,
        tool_name=e.tool_name,
        tool_input=e.tool_input,
        reply_to=e.reply_to,
        timestamp=e.timestamp,
    )


def _started(r: RecordedEvent, e: se.SessionStarted | se.SessionResumed, names: AgentNames) -> Built:
    return "orchestrator_updated", w.OrchestratorUpdated(
        position=r.position, session_id=r.stream_id, working_dir=e.working_dir, model=e.model
    )


def _turn_finished(r: RecordedEvent, e: se.OrchestratorTurnFinished, names: AgentNames) -> Built:
    return "orchestrator_updated", w.OrchestratorUpdated(
        position=r.position, session_id=r.stream_id, delta=usage_delta(e.usage)
    )


def _system_log(r: RecordedEvent, e: se.SystemLogRecorded, names: AgentNames) -> Built:
    log = w.SystemLogData(
        id=e.log_id,
        level=e.level,
        message=e.message,
        summary=None,
        metadata=e.details,
        timestamp=e.timestamp,
    )
    return "system_log", w.SystemLog(position=r.position, log=log)


def _budget(r: RecordedEvent, e: se.SessionBudgetExceeded, names: AgentNames) -> Built:
    message = f"the session reached its budget {e.level}: ${e.total_cost_usd:.4f} of ${e.threshold_usd:.4f}"
    level = "error" if e.level == "limit" else "warning"
    return "error", w.ErrorNotice(position=r.position, message=message, level=level)


SESSION_FRAMES: dict[type[Any], Builder] = {
    Session.SessionStarted: _started,
    Session.SessionResumed: _started,
    Session.UserMessageSent: _user_message,
    Session.OrchestratorTextBlockRecorded: _text,
    Session.OrchestratorThinkingBlockRecorded: _thinking,
    Session.OrchestratorToolUseBlockRecorded: _tool_use,
    Session.OrchestratorTurnFinished: _turn_finished,
    Session.SystemLogRecorded: _system_log,
    Session.SessionBudgetExceeded: _budget,
}
"""Not on the wire: tool results (no wire type in the original), agent name bookkeeping, the session's
ledger copy of agent costs (AgentTurnFinished carries them), budgets set, summaries of chat lines."""
