"""How each event of an Agent's stream looks on the wire (builders used by `frame_for`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

import msgspec

from domain.agent import Agent
from domain.events import agent as ae
from domain.records import RecordedEvent
from domain.values import Usage
from read_api import wire_types as w

AgentNames = Mapping[UUID, str]
"""Agent id → name: agent events carry only the id, frames carry both (an agent's name never changes)."""

Built = tuple[str, msgspec.Struct]
Builder = Callable[[RecordedEvent, Any, AgentNames], Built]


def usage_delta(usage: Usage) -> w.UsageDelta:
    return w.UsageDelta(
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        cache_read_input_tokens=usage.cache_read_input_tokens,
        cache_creation_input_tokens=usage.cache_creation_input_tokens,
        total_cost=usage.cost_usd,
    )


def _log(
    r: RecordedEvent,
    e: Any,
    names: AgentNames,
    log_id: UUID,
    category: str,
    kind: str,
    content: str | None,
    payload: dict[str, Any] | None,
    summary: str | None = None,
) -> Built:
    log = w.AgentLogData(
        id=log_id,
        agent_id=r.stream_id,
        agent_name=names.get(r.stream_id),
        task_slug=None,
        entry_index=r.version,
        event_category=category,
        event_type=kind,
        content=content,
        summary=summary,
        payload=payload,
        timestamp=e.timestamp,
    )
    return "agent_log", w.AgentLog(position=r.position, log=log)


def _created(r: RecordedEvent, e: ae.AgentCreated, names: AgentNames) -> Built:
    agent = w.AgentRowData(
        id=r.stream_id,
        name=e.name,
        model=e.model,
        status="idle",
        system_prompt=e.system_prompt,
        template=e.template,
        working_dir=e.working_dir,
        session_id=e.session_id,
        created_at=e.timestamp,
        updated_at=e.timestamp,
    )
    return "agent_created", w.AgentCreated(position=r.position, agent=agent)


def _commanded(r: RecordedEvent, e: ae.AgentCommanded, names: AgentNames) -> Built:
    """A command is a chat message to the agent, as in the original (`orchestrator_chat` to an agent)."""
    message = w.ChatMessageData(
        id=e.command_id,
        sender_type="orchestrator" if e.author == "orchestrator" else "user",
        receiver_type="agent",
        message=e.prompt,
        agent_id=r.stream_id,
        metadata={"task_slug": e.task_slug, "queued": e.queued, "author": e.author},
        created_at=e.timestamp,
    )
    return "orchestrator_chat", w.OrchestratorChat(position=r.position, message=message)


def _status_changed(r: RecordedEvent, e: ae.AgentStatusChanged, names: AgentNames) -> Built:
    return "agent_status_changed", w.AgentStatusChanged(
        position=r.position,
        agent_id=r.stream_id,
        name=names.get(r.stream_id),
        old_status=str(e.from_status),
        new_status=str(e.to_status),
        reason=e.reason,
        timestamp=e.timestamp,
    )


def _text(r: RecordedEvent, e: ae.AgentTextBlockRecorded, names: AgentNames) -> Built:
    return _log(r, e, names, e.block_id, "response", "text", e.text, None)


def _thinking(r: RecordedEvent, e: ae.AgentThinkingBlockRecorded, names: AgentNames) -> Built:
    return _log(r, e, names, e.block_id, "response", "thinking", e.thinking, None)


def _tool_use(r: RecordedEvent, e: ae.AgentToolUseBlockRecorded, names: AgentNames) -> Built:
    payload = {"tool_name": e.tool_name, "tool_input": e.tool_input, "tool_use_id": e.tool_use_id}
    return _log(r, e, names, e.block_id, "response", "tool_use", e.tool_name, payload)


def _hook(r: RecordedEvent, e: ae.HookEventRecorded, names: AgentNames) -> Built:
    payload = {
        **e.payload,
        "tool_name": e.tool_name,
        "tool_use_id": e.tool_use_id,
        "tool_input": e.tool_input,
        "tool_output": e.tool_response,
        "error": e.error,
    }
    content = e.error or e.tool_name
    return _log(r, e, names, e.hook_event_id, "hook", e.hook_type, content, payload, e.summary)


def _files(r: RecordedEvent, e: ae.FilesTracked, names: AgentNames) -> Built:
    changed = [{"path": file.path, "diff": file.diff} for file in e.changed_files]
    payload = {"files": {"read": list(e.read_paths), "changed": changed}, "tool_use_id": e.tool_use_id}
    return _log(r, e, names, r.event_id, "file", "files", None, payload)


def _turn_finished(r: RecordedEvent, e: ae.AgentTurnFinished, names: AgentNames) -> Built:
    return "agent_updated", w.AgentUpdated(
        position=r.position,
        agent_id=r.stream_id,
        name=names.get(r.stream_id),
        delta=usage_delta(e.usage),
        duration_ms=e.duration_ms,
        num_turns=e.num_turns,
        is_error=e.is_error,
    )


def _failed(r: RecordedEvent, e: ae.AgentFailed, names: AgentNames) -> Built:
    message = f"agent {names.get(r.stream_id, r.stream_id)} failed: {e.reason}"
    return "error", w.ErrorNotice(position=r.position, message=message, level="error", agent_id=r.stream_id)


def _deleted(r: RecordedEvent, e: ae.AgentDeleted, names: AgentNames) -> Built:
    return "agent_deleted", w.AgentDeleted(position=r.position, agent_id=r.stream_id, name=e.name)


def _summary(r: RecordedEvent, e: ae.AgentSummaryGenerated, names: AgentNames) -> Built:
    return "agent_summary_update", w.AgentSummaryUpdate(
        position=r.position,
        agent_id=r.stream_id,
        summary=e.summary,
        subject_id=e.subject_id,
        subject_kind=e.subject_kind,
    )


def _budget(r: RecordedEvent, e: ae.AgentBudgetExceeded, names: AgentNames) -> Built:
    who = names.get(r.stream_id, r.stream_id)
    message = f"agent {who} reached its budget {e.level}: ${e.total_cost_usd:.4f} of ${e.threshold_usd:.4f}"
    level = "error" if e.level == "limit" else "warning"
    return "error", w.ErrorNotice(position=r.position, message=message, level=level, agent_id=r.stream_id)


AGENT_FRAMES: dict[type[Any], Builder] = {
    Agent.AgentCreated: _created,
    Agent.AgentCommanded: _commanded,
    Agent.AgentStatusChanged: _status_changed,
    Agent.AgentTextBlockRecorded: _text,
    Agent.AgentThinkingBlockRecorded: _thinking,
    Agent.AgentToolUseBlockRecorded: _tool_use,
    Agent.HookEventRecorded: _hook,
    Agent.FilesTracked: _files,
    Agent.AgentTurnFinished: _turn_finished,
    Agent.AgentFailed: _failed,
    Agent.AgentDeleted: _deleted,
    Agent.AgentSummaryGenerated: _summary,
    Agent.AgentBudgetExceeded: _budget,
}
"""Not on the wire: command start/discard and interrupt bookkeeping (their status changes are), budgets."""
