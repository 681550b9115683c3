"""Handlers of what the runtime reports about the orchestrator: its blocks, its turns, summaries."""

from __future__ import annotations

from app.commands.loading import last_position, load_session
from app.commands.receipts import Receipt
from app.commands.unit_of_work import UnitOfWork
from domain import session_activity
from domain.runtime_commands import (
    FinishOrchestratorTurn,
    RecordOrchestratorText,
    RecordOrchestratorThinking,
    RecordOrchestratorToolResult,
    RecordOrchestratorToolUse,
    RecordSessionSummary,
)


async def record_orchestrator_text(unit: UnitOfWork, command: RecordOrchestratorText) -> Receipt:
    session = await load_session(unit, command.session_id)
    session_activity.record_text_block(session, command.block_id, command.reply_to, command.text)
    return Receipt(position=last_position(await unit.commit()))


async def record_orchestrator_thinking(unit: UnitOfWork, command: RecordOrchestratorThinking) -> Receipt:
    session = await load_session(unit, command.session_id)
    session_activity.record_thinking_block(session, command.block_id, command.reply_to, command.thinking)
    return Receipt(position=last_position(await unit.commit()))


async def record_orchestrator_tool_use(unit: UnitOfWork, command: RecordOrchestratorToolUse) -> Receipt:
    session = await load_session(unit, command.session_id)
    session_activity.record_tool_use_block(
        session,
        command.block_id,
        command.reply_to,
        command.tool_use_id,
        command.tool_name,
        command.tool_input,
    )
    return Receipt(position=last_position(await unit.commit()))


async def record_orchestrator_tool_result(unit: UnitOfWork, command: RecordOrchestratorToolResult) -> Receipt:
    session = await load_session(unit, command.session_id)
    session_activity.record_tool_result(
        session, command.block_id, command.reply_to, command.tool_use_id, command.content, command.is_error
    )
    return Receipt(position=last_position(await unit.commit()))


async def finish_orchestrator_turn(unit: UnitOfWork, command: FinishOrchestratorTurn) -> Receipt:
    session = await load_session(unit, command.session_id)
    session.finish_turn(
        command.reply_to,
        command.usage,
        command.duration_ms,
        command.num_turns,
        command.sdk_session_id,
        command.is_error,
        command.result,
    )
    return Receipt(position=last_position(await unit.commit()))


async def record_session_summary(unit: UnitOfWork, command: RecordSessionSummary) -> Receipt:
    session = await load_session(unit, command.session_id)
    session_activity.record_summary(
        session, command.subject_id, command.subject_kind, command.summary, command.model, command.usage
    )
    return Receipt(position=last_position(await unit.commit()))
