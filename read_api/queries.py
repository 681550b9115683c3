"""Queries on the read tables, each inside one REPEATABLE READ snapshot with the checkpoints it reflects."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import asyncpg
import msgspec

from projections.agent_logs import AGENT_LOGS, AgentLogRow
from projections.agents import AGENTS, AgentRow
from projections.costs import COSTS, CostRow
from projections.orchestrator_agents import ORCHESTRATORS, OrchestratorRow
from projections.orchestrator_chat import CHAT, ChatRow
from projections.system_logs import SYSTEM_LOGS, SystemLogRow
from projections.table import Table
from read_api.responses import AgentLogEntry, ChatEntry, EventEntry, EventSource, SystemLogEntry

if TYPE_CHECKING:
    from projections.connection import Connection


class EventFilter(msgspec.Struct, frozen=True, kw_only=True):
    """A page of the merged event feed: `after`/`before` are exclusive positions; without `after` the
    page is the newest `limit` entries (before `before`, when given)."""

    after: int | None = None
    before: int | None = None
    limit: int = 100
    sources: frozenset[EventSource] = frozenset({"agent_log", "orchestrator_chat", "system_log"})
    agent: str | None = None
    level: str | None = None
    text: str | None = None


@contextlib.asynccontextmanager
async def snapshot(pool: asyncpg.Pool) -> AsyncIterator[Connection]:
    """One consistent view: rows and checkpoints read here agree with each other."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        yield conn


async def position(conn: Connection, projections: Sequence[str]) -> int:
    """The position every named projection has reached: the data read in this snapshot reflects it."""
    reached: int | None = await conn.fetchval(
        "SELECT min(position) FROM projection_checkpoints WHERE name = ANY($1::text[])", list(projections)
    )
    return reached or 0


async def _rows(conn: Connection, table: Table[Any], where: str, *args: Any) -> list[Any]:
    records = await conn.fetch(f"SELECT {table.select_list()} FROM {table.name} {where}", *args)
    return [table.from_record(record) for record in records]


async def orchestrator(conn: Connection, session_id: UUID | None) -> OrchestratorRow | None:
    """The given session, else the newest one that is not archived."""
    if session_id is not None:
        found = await _rows(conn, ORCHESTRATORS, "WHERE id = $1", session_id)
    else:
        found = await _rows(conn, ORCHESTRATORS, "WHERE NOT archived ORDER BY created_at DESC LIMIT 1")
    return found[0] if found else None


async def agents(conn: Connection, session_id: UUID, *, include_archived: bool = False) -> list[AgentRow]:
    archived = "" if include_archived else "AND NOT archived"
    return await _rows(
        conn, AGENTS, f"WHERE orchestrator_agent_id = $1 {archived} ORDER BY created_at, id", session_id
    )


async def chat(
    conn: Connection, session_id: UUID, limit: int, before: int | None = None
) -> tuple[list[ChatRow], bool]:
    """The newest `limit` messages (before position `before`), oldest first, and whether older exist."""
    rows: list[ChatRow] = await _rows(
        conn,
        CHAT,
        "WHERE orchestrator_agent_id = $1 AND position < $2 ORDER BY position DESC LIMIT $3",
        session_id,
        before if before is not None else 2**63 - 1,
        limit + 1,
    )
    return rows[:limit][::-1], len(rows) > limit


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class _Where:
    """Builds a WHERE clause with numbered parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []

    def add(self, clause: str, *values: Any) -> None:
        for value in values:
            self.args.append(value)
            clause = clause.replace("?", f"${len(self.args)}", 1)
        self.clauses.append(clause)

    def sql(self) -> str:
        return "WHERE " + " AND ".join(self.clauses) if self.clauses else ""


Filters = list[tuple[str, tuple[Any, ...]]]


def _text(query: EventFilter, *columns: str) -> Filters:
    if query.text is None:
        return []
    searched = (*columns, "summary")
    clause = "(" + " OR ".join(f"{column} ILIKE ?" for column in searched) + ")"
    return [(clause, (_like(query.text),) * len(searched))]


def _agent_log(row: AgentLogRow) -> EventEntry:
    return AgentLogEntry(position=row.position, log=row)


def _chat_message(row: ChatRow) -> EventEntry:
    return ChatEntry(position=row.position, message=row)


def _system_log(row: SystemLogRow) -> EventEntry:
    return SystemLogEntry(position=row.position, log=row)


def _branches(query: EventFilter) -> list[tuple[Table[Any], Callable[[Any], EventEntry], Filters]]:
    """The tables a filter can match, with their extra clauses: only agent logs have an agent, only
    system logs have a level."""
    branches: list[tuple[Table[Any], Callable[[Any], EventEntry], Filters]] = []
    if "agent_log" in query.sources and query.level is None:
        by_agent: Filters = (
            []
            if query.agent is None
            else [("(agent_name = ? OR agent_id::text = ?)", (query.agent, query.agent))]
        )
        branches.append((AGENT_LOGS, _agent_log, by_agent + _text(query, "content", "event_type")))
    if "orchestrator_chat" in query.sources and query.agent is None and query.level is None:
        branches.append((CHAT, _chat_message, _text(query, "message")))
    if "system_log" in query.sources and query.agent is None:
        by_level: Filters = [] if query.level is None else [("level = ?", (query.level,))]
        branches.append((SYSTEM_LOGS, _system_log, by_level + _text(query, "message")))
    return branches


async def events(conn: Connection, session_id: UUID, query: EventFilter) -> tuple[list[EventEntry], bool]:
    """Agent logs, chat and system logs of one session merged by position; True when cut at `limit`."""
    newest_first = query.after is None
    order = "DESC" if newest_first else "ASC"
    found: list[EventEntry] = []
    for table, entry, filters in _branches(query):
        where = _Where()
        where.add("orchestrator_agent_id = ?", session_id)
        if query.after is not None:
            where.add("position > ?", query.after)
        if query.before is not None:
            where.add("position < ?", query.before)
        for clause, values in filters:
            where.add(clause, *values)
        where.args.append(query.limit + 1)
        tail = f"ORDER BY position {order} LIMIT ${len(where.args)}"
        found += [entry(row) for row in await _rows(conn, table, f"{where.sql()} {tail}", *where.args)]
    found.sort(key=lambda item: item.position, reverse=newest_first)
    page = found[: query.limit]
    return (page[::-1] if newest_first else page), len(found) > query.limit


async def costs(conn: Connection, session_id: UUID, since: date | None, until: date | None) -> list[CostRow]:
    """The session's rollup rows from `since` to `until` (inclusive), by day, agent and model."""
    return await _rows(
        conn,
        COSTS,
        """WHERE orchestrator_agent_id = $1 AND ($2::date IS NULL OR day >= $2)
           AND ($3::date IS NULL OR day <= $3) ORDER BY day, agent_name, model""",
        session_id,
        since,
        until,
    )
