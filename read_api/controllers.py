"""Query endpoints: the original system's (`/get_orchestrator`, `/load_chat`, `/get_events`,
`/list_agents`) and their `/api/...` equivalents. They only translate HTTP to queries; each answer
carries the projection position its data reflects. Needs the app's `pool` and `working_dir` providers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeAlias
from uuid import UUID

import asyncpg
import msgspec
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import ValidationException
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.types import BeforeRequestHookHandler

from read_api import catalog, queries
from read_api.costs import costs_page
from read_api.responses import (
    AgentsPage,
    ChatPage,
    CostsPage,
    EventsPage,
    OrchestratorInfo,
    StateSnapshot,
)
from read_api.validation import event_filter, reject_unknown_query

PoolDep: TypeAlias = NamedDependency[asyncpg.Pool]
WorkingDirDep: TypeAlias = NamedDependency[Path]
Limit = Annotated[int, QueryParameter(ge=1, le=1000, description="At most this many items.")]
Position = Annotated[int | None, QueryParameter(ge=0, description="An exclusive position bound.")]


class LoadChat(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """`POST /load_chat`: the newest `limit` messages, or those before position `before`."""

    limit: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 50
    before: Annotated[int, msgspec.Meta(ge=0)] | None = None
    session_id: UUID | None = None


async def _session(conn: Any, state: State, given: UUID | None) -> UUID | None:
    """The asked session, else the server's current one, else the newest."""
    chosen: UUID | None = given or state.get("session_id")
    if chosen is not None:
        return chosen
    newest = await queries.orchestrator(conn, None)
    return None if newest is None else newest.id


class QueryController(Controller):
    """Snapshots of the read tables; unknown query parameters are refused (400), never ignored."""

    before_request: BeforeRequestHookHandler | None = reject_unknown_query
    tags = ["queries"]

    @get("/get_orchestrator")
    async def get_orchestrator(
        self,
        pool: PoolDep,
        working_dir: WorkingDirDep,
        state: State,
        session_id: FromQuery[UUID | None] = None,
    ) -> OrchestratorInfo:
        async with queries.snapshot(pool) as conn:
            chosen = session_id or state.get("session_id")
            return OrchestratorInfo(
                position=await queries.position(conn, ["orchestrator_agents"]),
                orchestrator=await queries.orchestrator(conn, chosen),
                slash_commands=catalog.slash_commands(working_dir),
                agent_templates=catalog.agent_templates(working_dir),
            )

    @post("/load_chat", status_code=200)
    async def load_chat(self, pool: PoolDep, state: State, data: JSONBody[LoadChat]) -> ChatPage:
        return await self._chat(pool, state, data.session_id, data.limit, data.before)

    @get("/api/chat")
    async def chat(
        self,
        pool: PoolDep,
        state: State,
        session_id: FromQuery[UUID | None] = None,
        limit: Limit = 50,
        before: Position = None,
    ) -> ChatPage:
        return await self._chat(pool, state, session_id, limit, before)

    async def _chat(
        self, pool: PoolDep, state: State, session_id: UUID | None, limit: int, before: int | None
    ) -> ChatPage:
        async with queries.snapshot(pool) as conn:
            reached = await queries.position(conn, ["orchestrator_chat"])
            chosen = await _session(conn, state, session_id)
            if chosen is None:
                return ChatPage(position=reached, messages=[], has_more=False)
            messages, has_more = await queries.chat(conn, chosen, limit, before)
            return ChatPage(position=reached, messages=messages, has_more=has_more)

    @get(["/list_agents", "/api/agents"])
    async def list_agents(
        self,
        pool: PoolDep,
        state: State,
        session_id: FromQuery[UUID | None] = None,
        include_archived: FromQuery[bool] = False,
    ) -> AgentsPage:
        """Agents of the session with their log counts (`log_count`)."""
        async with queries.snapshot(pool) as conn:
            reached = await queries.position(conn, ["agents"])
            chosen = await _session(conn, state, session_id)
            found = (
                []
                if chosen is None
                else await queries.agents(conn, chosen, include_archived=include_archived)
            )
            return AgentsPage(position=reached, agents=found)

    @get(["/get_events", "/api/events"])
    async def get_events(
        self,
        pool: PoolDep,
        state: State,
        session_id: FromQuery[UUID | None] = None,
        after: Position = None,
        before: Position = None,
        limit: Limit = 100,
        agent: Annotated[str | None, QueryParameter(min_length=1, max_length=100)] = None,
        types: Annotated[str | None, QueryParameter(description="Comma-separated: agent_log, ...")] = None,
        level: FromQuery[str | None] = None,
        text: Annotated[str | None, QueryParameter(min_length=1, max_length=200)] = None,
    ) -> EventsPage:
        """Agent logs, chat and system logs merged in position order; newest page unless `after`."""
        wanted = event_filter(after, before, limit, agent, types, level, text)
        async with queries.snapshot(pool) as conn:
            reached = await queries.position(conn, ["agent_logs", "orchestrator_chat", "system_logs"])
            chosen = await _session(conn, state, session_id)
            if chosen is None:
                return EventsPage(position=reached, events=[], has_more=False)
            found, has_more = await queries.events(conn, chosen, wanted)
            return EventsPage(position=reached, events=found, has_more=has_more)

    @get("/api/state")
    async def state_snapshot(
        self,
        pool: PoolDep,
        working_dir: WorkingDirDep,
        state: State,
        session_id: FromQuery[UUID | None] = None,
        chat_limit: Limit = 100,
    ) -> StateSnapshot:
        """The orchestrator, its agents and its latest chat in one snapshot; stream from `position`."""
        async with queries.snapshot(pool) as conn:
            reached = await queries.position(conn, ["orchestrator_agents", "agents", "orchestrator_chat"])
            chosen = await _session(conn, state, session_id)
            orchestrator = None if chosen is None else await queries.orchestrator(conn, chosen)
            agents = [] if chosen is None else await queries.agents(conn, chosen)
            chat = [] if chosen is None else (await queries.chat(conn, chosen, chat_limit))[0]
        return StateSnapshot(
            position=reached,
            orchestrator=orchestrator,
            agents=agents,
            chat=chat,
            slash_commands=catalog.slash_commands(working_dir),
            templates=catalog.agent_templates(working_dir),
        )

    @get("/api/costs")
    async def costs(
        self,
        pool: PoolDep,
        state: State,
        session_id: FromQuery[UUID | None] = None,
        since: FromQuery[date | None] = None,
        until: FromQuery[date | None] = None,
    ) -> CostsPage:
        """Tokens and dollars per day, agent and model, with sums per agent, per model and overall."""
        if since is not None and until is not None and since > until:
            raise ValidationException(
                detail=f"since ({since}) is after until ({until})",
                extra=[{"key": "since", "message": "must not be after until", "source": "query"}],
            )
        async with queries.snapshot(pool) as conn:
            reached = await queries.position(conn, ["cost_rollup"])
            chosen = await _session(conn, state, session_id)
            rows = [] if chosen is None else await queries.costs(conn, chosen, since, until)
        return costs_page(reached, since, until, rows)
