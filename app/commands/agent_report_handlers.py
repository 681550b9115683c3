"""Handlers of what the runtime reports about an agent (by id): output, hooks, files, turns, endings."""

from __future__ import annotations

from app.commands.loading import last_position, load_agent, load_session
from app.commands.receipts import Receipt
from app.commands.unit_of_work import UnitOfWork
from domain import agent_activity, agent_lifecycle
from domain.runtime_commands import (
    FailAgent,
    FinishAgentTurn,
    MarkAgentInterrupted,
    RecordAgentSummary,
    RecordAgentText,
    RecordAgentThinking,
    RecordAgentToolUse,
    RecordHookEvent,
    ReportAgentStatus,
    TrackFiles,
)


async def record_agent_text(unit: UnitOfWork, command: RecordAgentText) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent_activity.record_text_block(agent, command.block_id, command.text)
    return Receipt(position=last_position(await unit.commit()))


async def record_agent_thinking(unit: UnitOfWork, command: RecordAgentThinking) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent_activity.record_thinking_block(agent, command.block_id, command.thinking)
    return Receipt(position=last_position(await unit.commit()))


async def record_agent_tool_use(unit: UnitOfWork, command: RecordAgentToolUse) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent_activity.record_tool_use_block(
        agent, command.block_id, command.tool_use_id, command.tool_name, command.tool_input
    )
    return Receipt(position=last_position(await unit.commit()))


async def record_hook_event(unit: UnitOfWork, command: RecordHookEvent) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent_activity.record_hook_event(
        agent,
        command.hook_event_id,
        command.hook_type,
        tool_name=command.tool_name,
        tool_use_id=command.tool_use_id,
        tool_input=command.tool_input,
        tool_response=command.tool_response,
        error=command.error,
        payload=command.payload,
    )
    return Receipt(position=last_position(await unit.commit()))


async def track_files(unit: UnitOfWork, command: TrackFiles) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent_activity.track_files(agent, command.tool_use_id, command.read_paths, command.changed_files)
    return Receipt(position=last_position(await unit.commit()))


async def finish_agent_turn(unit: UnitOfWork, command: FinishAgentTurn) -> Receipt:
    """The agent's stream records the turn; the session's counts its cost against the session budget."""
    agent = await load_agent(unit, command.agent_id)
    session = await load_session(unit, agent.session_id)
    agent_lifecycle.finish_agent_turn(
        session,
        agent,
        command.usage,
        command.duration_ms,
        command.num_turns,
        command.sdk_session_id,
        command.is_error,
        command.result,
        command.rest_status,
    )
    return Receipt(position=last_position(await unit.commit()))


async def mark_agent_interrupted(unit: UnitOfWork, command: MarkAgentInterrupted) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent.mark_interrupted()
    return Receipt(position=last_position(await unit.commit()))


async def fail_agent(unit: UnitOfWork, command: FailAgent) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent.fail(command.reason)
    return Receipt(position=last_position(await unit.commit()))


async def report_agent_status(unit: UnitOfWork, command: ReportAgentStatus) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent.report_status(command.status, command.reason)
    return Receipt(position=last_position(await unit.commit()))


async def record_agent_summary(unit: UnitOfWork, command: RecordAgentSummary) -> Receipt:
    agent = await load_agent(unit, command.agent_id)
    agent_activity.record_summary(
        agent, command.subject_id, command.subject_kind, command.summary, command.model, command.usage
    )
    return Receipt(position=last_position(await unit.commit()))
