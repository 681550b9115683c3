"""Response bodies of the query endpoints; every one carries the projection position its data reflects."""

from __future__ import annotations

from datetime import date
from typing import Literal

import msgspec

from projections.agent_logs import AgentLogRow
from projections.agents import AgentRow
from projections.costs import CostRow
from projections.orchestrator_agents import OrchestratorRow
from projections.orchestrator_chat import ChatRow
from projections.system_logs import SystemLogRow

__all__ = [
    "AgentLogRow",
    "AgentRow",
    "ChatRow",
    "CostRow",
    "OrchestratorRow",
    "SystemLogRow",
]


class SlashCommand(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str
    argument_hint: str = ""


class AgentTemplate(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    description: str
    model: str | None = None
    color: str | None = None
    tools: list[str] = msgspec.field(default_factory=list)


class OrchestratorInfo(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /get_orchestrator`: the session, and what the chat input offers."""

    position: int
    orchestrator: OrchestratorRow | None
    slash_commands: list[SlashCommand]
    agent_templates: list[AgentTemplate]


class StateSnapshot(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/state`: everything the SPA shows at load; subscribe to the stream from `position`."""

    position: int
    orchestrator: OrchestratorRow | None
    agents: list[AgentRow]
    chat: list[ChatRow]
    slash_commands: list[SlashCommand]
    templates: list[AgentTemplate]


class AgentsPage(msgspec.Struct, frozen=True, kw_only=True):
    position: int
    agents: list[AgentRow]


class ChatPage(msgspec.Struct, frozen=True, kw_only=True):
    """Messages in position order; `has_more` when older ones exist (page with `before`)."""

    position: int
    messages: list[ChatRow]
    has_more: bool


class AgentLogEntry(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", tag="agent_log"):
    position: int
    log: AgentLogRow


class ChatEntry(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", tag="orchestrator_chat"):
    position: int
    message: ChatRow


class SystemLogEntry(msgspec.Struct, frozen=True, kw_only=True, tag_field="type", tag="system_log"):
    position: int
    log: SystemLogRow


EventEntry = AgentLogEntry | ChatEntry | SystemLogEntry
EventSource = Literal["agent_log", "orchestrator_chat", "system_log"]


class EventsPage(msgspec.Struct, frozen=True, kw_only=True):
    """Entries in position order; `has_more` when the page was cut at `limit`."""

    position: int
    events: list[EventEntry]
    has_more: bool


class CostTotal(msgspec.Struct, frozen=True, kw_only=True):
    """A sum of cost rows: per agent (`key` = agent id), per model, or overall (`key` = "total")."""

    key: str
    label: str
    input_tokens: int
    output_tokens: int
    cache_read_input_tokens: int
    cache_creation_input_tokens: int
    cost_usd: float
    calls: int


class CostsPage(msgspec.Struct, frozen=True, kw_only=True):
    """`GET /api/costs`: the (day, agent, model) rollup rows of a session and their sums."""

    position: int
    since: date | None
    until: date | None
    rows: list[CostRow]
    by_agent: list[CostTotal]
    by_model: list[CostTotal]
    total: CostTotal
