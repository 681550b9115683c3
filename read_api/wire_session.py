"""How each event of an orchestrator session's stream looks on the wire (builders used by `frame_for`)."""

from __future__ import annotations

from typing import Any

from domain.events import session as se
from domain.records import RecordedEvent
from domain.session import OrchestratorSession as Session
from projections.orchestrator_chat import chat_row
from projections.system_logs import budget_line, system_log_row
from read_api import wire_types as w
from read_api.wire_agent import Builder, Built
from read_api.wire_context import WireContext


def _chat(r: RecordedEvent, e: Any, ctx: WireContext) -> Built:
    return "orchestrator_chat", w.OrchestratorChat(position=r.position, message=chat_row(e, r.position))


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
    return "system_log", w.SystemLog(position=r.position, log=system_log_row(e, r.position))


def _budget(r: RecordedEvent, e: se.SessionBudgetExceeded, ctx: WireContext) -> Built:
    log = budget_line(e, r.event_id, r.position, "the session", r.stream_id)
    return "system_log", w.SystemLog(position=r.position, log=log)


SESSION_FRAMES: dict[type[Any], Builder] = {
    Session.SessionStarted: _started,
    Session.SessionResumed: _started,
    Session.UserMessageSent: _chat,
    Session.OrchestratorTextBlockRecorded: _chat,
    Session.OrchestratorThinkingBlockRecorded: _thinking,
    Session.OrchestratorToolUseBlockRecorded: _tool_use,
    Session.OrchestratorToolResultRecorded: _chat,
    Session.OrchestratorTurnFinished: _turn_finished,
    Session.SystemLogRecorded: _system_log,
    Session.SessionBudgetExceeded: _budget,
}
"""Not on the wire: agent name bookkeeping, the session's ledger copy of agent costs (AgentTurnFinished
carries them), budgets set, summaries of chat lines and log lines."""
