"""What the read-only `mgmt` tools answer: agents, an agent's status and log tail, system logs, costs.

They fold the session's and the agents' own streams (through the shared aggregate cache), so the answer is
exact the moment after a command, without waiting for a projection to catch up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from uuid import UUID

from app.commands.loading import load_agent, load_session
from app.commands.runner import Commands
from app.eventstore.store import EventStore
from domain.agent import Agent
from domain.codec import EventCodec
from domain.metadata import Metadata
from domain.session import OrchestratorSession
from domain.values import Usage

DEFAULT_TAIL = 10
MAX_TAIL = 200


class MgmtQueries:
    def __init__(self, commands: Commands, store: EventStore, codec: EventCodec, session_id: UUID) -> None:
        self._commands = commands
        self._store = store
        self._codec = codec
        self.session_id = session_id

    async def session(self, metadata: Metadata) -> OrchestratorSession:
        return await self._commands.run(load_session, self.session_id, metadata)

    async def agents(self, metadata: Metadata) -> list[Agent]:
        session = await self.session(metadata)
        return [
            await self._commands.run(load_agent, agent_id, metadata) for agent_id in session.agents.values()
        ]

    async def agent(self, name: str, metadata: Metadata) -> Agent:
        session = await self.session(metadata)
        return await self._commands.run(load_agent, session.agent_id_for(name), metadata)

    async def list_agents(self, metadata: Metadata) -> str:
        agents = await self.agents(metadata)
        if not agents:
            return "No agents yet. Create one with create_agent."
        return "\n".join(agent_line(agent) for agent in agents)

    async def status(self, name: str, tail: int, verbose: bool, metadata: Metadata) -> str:
        agent = await self.agent(name, metadata)
        lines = [agent_line(agent)]
        if agent.current is not None:
            lines.append(f"working on: {agent.current.task_slug}")
        if agent.queue:
            lines.append(f"queued commands: {len(agent.queue)}")
        entries = log_lines(self._codec.decode(r) for r in await self._store.read_stream(agent.id))
        tail = max(0, min(tail, MAX_TAIL))
        shown = entries[-tail:] if tail else []
        lines.append(f"last {len(shown)} of {len(entries)} log entries:")
        lines.extend(entry if verbose else entry[:200] for entry in shown)
        return "\n".join(lines)

    async def system_logs(self, offset: int, limit: int, contains: str | None, level: str | None) -> str:
        records = await self._store.read_stream(self.session_id)
        logs = [
            event
            for event in (self._codec.decode(r) for r in records)
            if isinstance(event, OrchestratorSession.SystemLogRecorded)
            and (level is None or event.level == level.upper())
            and (not contains or contains.lower() in event.message.lower())
        ]
        page = logs[max(offset, 0) : max(offset, 0) + max(limit, 0)]
        if not page:
            return f"No system log entries match ({len(logs)} in all)."
        lines = [f"{len(logs)} matching entries; showing {len(page)} from offset {offset}:"]
        lines += [f"[{e.level}] {e.message}" for e in page]
        return "\n".join(lines)

    async def cost(self, metadata: Metadata) -> str:
        session = await self.session(metadata)
        agents = await self.agents(metadata)
        lines = [
            f"session total: ${session.total_cost_usd:.4f}",
            f"orchestrator: {usage_text(session.orchestrator_usage)}",
            f"agents: {usage_text(session.agents_usage)}",
        ]
        lines += [f"- {agent.name}: {usage_text(agent.usage)}" for agent in agents]
        if session.budget is not None:
            lines.append(f"session budget: ${session.budget.limit_usd:.4f}")
        return "\n".join(lines)


def usage_text(usage: Usage) -> str:
    return f"${usage.cost_usd:.4f} ({usage.input_tokens} input, {usage.output_tokens} output tokens)"


def agent_line(agent: Agent) -> str:
    return f"{agent.name}: {agent.status}, model {agent.model}, {usage_text(agent.usage)}"


def log_lines(events: Iterable[object]) -> list[str]:
    """One line per thing the agent did, oldest first (blocks, hook calls, files, turns, endings)."""
    lines: list[str] = []
    for event in events:
        line = _log_line(event)
        if line:
            lines.append(line)
    return lines


def _log_line(event: object) -> str | None:
    if isinstance(event, Agent.AgentCommanded):
        return f"[command] {event.prompt}"
    if isinstance(event, Agent.AgentTextBlockRecorded):
        return f"[text] {event.text}"
    if isinstance(event, Agent.AgentToolUseBlockRecorded):
        return f"[tool_use] {event.tool_name} {json.dumps(event.tool_input, default=str)}"
    if isinstance(event, Agent.HookEventRecorded):
        detail = f" {event.tool_name}" if event.tool_name else ""
        error = f" error: {event.error}" if event.error else ""
        return f"[hook {event.hook_type}]{detail}{error}"
    if isinstance(event, Agent.FilesTracked):
        changed = ", ".join(file.path for file in event.changed_files)
        read = ", ".join(event.read_paths)
        return f"[files] changed: {changed or '-'}; read: {read or '-'}"
    if isinstance(event, Agent.AgentTurnFinished):
        return f"[turn finished] ${event.usage.cost_usd:.4f}" + (" (error)" if event.is_error else "")
    if isinstance(event, Agent.AgentFailed):
        return f"[failed] {event.reason}"
    if isinstance(event, Agent.AgentInterrupted):
        return "[interrupted]"
    if isinstance(event, Agent.AgentStatusChanged):
        return f"[status] {event.from_status} -> {event.to_status}"
    return None
