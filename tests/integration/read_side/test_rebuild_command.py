"""rebuild_projections, the function behind `o3s projections rebuild [NAME]`."""

from __future__ import annotations

import asyncpg
import pytest

from app.eventstore.store import EventStore
from app.projections import rebuild_projections
from tests.integration.read_side.tables import (
    append_all,
    decisions,
    folded_in_memory,
    random_steps,
    read_tables,
)


async def test_rebuilding_everything_reports_what_it_built(fresh_url: str, fresh_pool: asyncpg.Pool) -> None:
    store = EventStore(fresh_pool)
    head = await append_all(store, decisions(random_steps(200, seed=21)))
    report = await rebuild_projections(fresh_url, None)
    assert report["events"] == head
    assert {item["name"] for item in report["projections"]} == {
        "orchestrator_agents",
        "agents",
        "agent_logs",
        "orchestrator_chat",
        "system_logs",
        "prompts",
        "cost_rollup",
    }
    assert {item["position"] for item in report["projections"]} == {head}
    tables = await folded_in_memory(store)
    assert await read_tables(fresh_pool) == tables
    agents = next(item for item in report["projections"] if item["name"] == "agents")
    assert agents["rows"] == {"agents": len(tables["agents"])}


async def test_one_projection_by_name_and_unknown_names_refused(
    fresh_url: str, fresh_pool: asyncpg.Pool
) -> None:
    await append_all(EventStore(fresh_pool), decisions(random_steps(50, seed=22)))
    report = await rebuild_projections(fresh_url, ["prompts"])
    assert [item["name"] for item in report["projections"]] == ["prompts"]
    with pytest.raises(ValueError, match=r"unknown projections \['promts'\]; known: .*'prompts'"):
        await rebuild_projections(fresh_url, ["promts"])
