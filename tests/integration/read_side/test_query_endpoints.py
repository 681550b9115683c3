"""Query endpoints over projected tables: answers equal the in-memory folds, pages cover the feed exactly
once, every answer carries the position it reflects, and bad input is refused with its reason."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.testing import AsyncTestClient

from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.http.problems import problem_handlers
from projections.catalog import PROJECTORS
from projections.rebuild import rebuild
from read_api.controllers import QueryController
from tests.integration.read_side.tables import Tables, append_all, decisions, folded_in_memory, random_steps
from tests.integration.read_side.test_projection_runner import caught_up, running
from tests.session_workload import CODEC

Client = AsyncTestClient[Litestar]


def app_for(database_url: str, working_dir: Path) -> Litestar:
    """The query controller with the two providers the real app gives it; its pool lives on the app's
    own event loop (the test client runs the app in a thread)."""

    @contextlib.asynccontextmanager
    async def pool_for_the_app(app: Litestar) -> AsyncIterator[None]:
        app.state.pool = await create_pool(database_url, min_size=1, max_size=2)
        try:
            yield
        finally:
            await app.state.pool.close()

    def provide_pool(state: State) -> asyncpg.Pool:
        pool: asyncpg.Pool = state.pool
        return pool

    return Litestar(
        route_handlers=[QueryController],
        dependencies={
            "pool": Provide(provide_pool, sync_to_thread=False),
            "working_dir": Provide(lambda: working_dir, sync_to_thread=False),
        },
        lifespan=[pool_for_the_app],
        exception_handlers=problem_handlers(),
    )


@pytest.fixture
def working_dir(tmp_path: Path) -> Path:
    commands = tmp_path / ".claude" / "commands"
    (commands / "git").mkdir(parents=True)
    (commands / "plan.md").write_text(
        "---\ndescription: Plan the work\nargument-hint: <goal>\n---\nPlan $1\n"
    )
    (commands / "git" / "commit.md").write_text("# Commit everything\n\nbody\n")
    agents = tmp_path / ".claude" / "agents"
    agents.mkdir()
    (agents / "reviewer.md").write_text(
        "---\nname: reviewer\ndescription: Reviews diffs\nmodel: haiku\ncolor: blue\n"
        "tools: Read, Grep\n---\nYou review.\n"
    )
    (agents / "broken.md").write_text("---\n[not: a mapping\n---\nbody\n")
    return tmp_path


@pytest.fixture
async def projected(fresh_pool: asyncpg.Pool) -> tuple[int, Tables]:
    """A session with some hundred decisions, projected; the head and the in-memory tables."""
    store = EventStore(fresh_pool)
    head = await append_all(store, decisions(random_steps(500, seed=11)))
    await rebuild(fresh_pool, store, CODEC, PROJECTORS)
    return head, await folded_in_memory(store)


@pytest.fixture
async def client(fresh_url: str, working_dir: Path) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=app_for(fresh_url, working_dir)) as test_client:
        yield test_client


def jsonable(rows: list[Any]) -> list[Any]:
    import msgspec

    return msgspec.json.decode(msgspec.json.encode(rows))  # type: ignore[no-any-return]


def live_agents(tables: Tables) -> list[Any]:
    rows = [row for row in tables["agents"].values() if not row.archived]
    return sorted(rows, key=lambda row: (row.created_at, row.id))


def feed(tables: Tables) -> list[tuple[str, int]]:
    """Every entry of the merged event feed, by (type, position)."""
    entries = [("agent_log", row.position) for row in tables["agent_logs"].values()]
    entries += [("orchestrator_chat", row.position) for row in tables["orchestrator_chat"].values()]
    entries += [("system_log", row.position) for row in tables["system_logs"].values()]
    return sorted(entries, key=lambda entry: entry[1])


async def test_state_is_one_snapshot_of_session_agents_chat_and_catalog(
    client: Client, projected: tuple[int, Tables]
) -> None:
    head, tables = projected
    body = (await client.get("/api/state", params={"chat_limit": 10})).json()
    assert body["position"] == head
    [session] = tables["orchestrator_agents"].values()
    assert body["orchestrator"] == jsonable([session])[0]
    assert body["agents"] == jsonable(live_agents(tables))
    chat = sorted(tables["orchestrator_chat"].values(), key=lambda row: row.position)[-10:]
    assert body["chat"] == jsonable(chat)
    assert body["slash_commands"] == [
        {"name": "git:commit", "description": "Commit everything", "argument_hint": ""},
        {"name": "plan", "description": "Plan the work", "argument_hint": "<goal>"},
    ]
    assert body["templates"] == [
        {
            "name": "reviewer",
            "description": "Reviews diffs",
            "model": "haiku",
            "color": "blue",
            "tools": ["Read", "Grep"],
        }
    ]


async def test_get_orchestrator_and_list_agents_answer_the_original_routes(
    client: Client, projected: tuple[int, Tables]
) -> None:
    head, tables = projected
    info = (await client.get("/get_orchestrator")).json()
    assert info["position"] == head
    assert info["orchestrator"]["id"] == str(next(iter(tables["orchestrator_agents"])))
    assert [command["name"] for command in info["slash_commands"]] == ["git:commit", "plan"]
    assert [template["name"] for template in info["agent_templates"]] == ["reviewer"]

    listed = (await client.get("/list_agents")).json()
    assert listed == (await client.get("/api/agents")).json()
    assert listed["position"] == head
    logs_per_agent: dict[str, int] = {}
    for row in tables["agent_logs"].values():
        logs_per_agent[str(row.agent_id)] = logs_per_agent.get(str(row.agent_id), 0) + 1
    assert {agent["id"]: agent["log_count"] for agent in listed["agents"]} == {
        agent["id"]: logs_per_agent.get(agent["id"], 0) for agent in listed["agents"]
    }
    everyone = (await client.get("/api/agents", params={"include_archived": "true"})).json()["agents"]
    assert len(everyone) == len(tables["agents"])


async def test_event_pages_cover_the_feed_exactly_once_both_ways(
    client: Client, projected: tuple[int, Tables]
) -> None:
    head, tables = projected
    forward: list[tuple[str, int]] = []
    after = 0
    while True:
        page = (await client.get("/get_events", params={"after": after, "limit": 37})).json()
        assert page["position"] == head
        forward += [(entry["type"], entry["position"]) for entry in page["events"]]
        if not page["has_more"]:
            break
        after = page["events"][-1]["position"]
    backward: list[tuple[str, int]] = []
    params: dict[str, Any] = {"limit": 41}
    while True:
        page = (await client.get("/api/events", params=params)).json()
        backward = [(entry["type"], entry["position"]) for entry in page["events"]] + backward
        if not page["has_more"]:
            break
        params["before"] = page["events"][0]["position"]
    assert forward == backward == feed(tables)


async def test_event_filters_select_what_they_name(client: Client, projected: tuple[int, Tables]) -> None:
    _, tables = projected
    errors = (
        await client.get("/get_events", params={"types": "system_log", "level": "error", "limit": 1000})
    ).json()
    wanted = sorted(row.position for row in tables["system_logs"].values() if row.level == "ERROR")
    assert [entry["position"] for entry in errors["events"]] == wanted

    agent = live_agents(tables)[0]
    own = (await client.get("/get_events", params={"agent": agent.name, "limit": 1000})).json()["events"]
    mine = sorted(row.position for row in tables["agent_logs"].values() if row.agent_name == agent.name)
    assert [entry["position"] for entry in own] == mine
    assert {entry["type"] for entry in own} <= {"agent_log"}

    found = (await client.get("/get_events", params={"text": "LOG LINE 1", "limit": 1000})).json()["events"]
    expected = sorted(
        row.position
        for row in tables["system_logs"].values()
        if "log line 1" in row.message or "log line 1" in (row.summary or "")
    )
    assert expected
    assert [entry["position"] for entry in found] == expected


async def test_load_chat_pages_back_through_the_conversation(
    client: Client, projected: tuple[int, Tables]
) -> None:
    head, tables = projected
    everything = sorted(tables["orchestrator_chat"].values(), key=lambda row: row.position)
    first = (await client.post("/load_chat", json={"limit": 5})).json()
    assert first["position"] == head
    assert first["messages"] == jsonable(everything[-5:])
    assert first["has_more"]
    older = (await client.post("/load_chat", json={"limit": 5, "before": everything[-5].position})).json()
    assert older["messages"] == jsonable(everything[-10:-5])
    same = (await client.get("/api/chat", params={"limit": 5, "before": everything[-5].position})).json()
    assert same == older


async def test_costs_sum_the_rollup_per_agent_model_and_overall(
    client: Client, projected: tuple[int, Tables]
) -> None:
    head, tables = projected
    body = (await client.get("/api/costs")).json()
    assert body["position"] == head
    rows = list(tables["cost_rollup"].values())
    assert len(body["rows"]) == len(rows)
    assert body["total"]["calls"] == sum(row.calls for row in rows)
    assert body["total"]["cost_usd"] == pytest.approx(sum(row.cost_usd for row in rows))
    per_model: dict[str, float] = {}
    for row in rows:
        per_model[row.model] = per_model.get(row.model, 0.0) + row.cost_usd
    assert {total["key"]: total["cost_usd"] for total in body["by_model"]} == pytest.approx(per_model)
    assert {total["label"] for total in body["by_agent"]} == {row.agent_name for row in rows}
    today = rows[0].day.isoformat()
    assert (await client.get("/api/costs", params={"since": "2000-01-01", "until": today})).json()["rows"]
    assert not (await client.get("/api/costs", params={"until": "2000-01-01"})).json()["rows"]


@pytest.mark.parametrize(
    ("method", "path", "params", "reason"),
    [
        ("GET", "/get_events", {"agnet": "alpha"}, "unknown query parameter"),
        ("GET", "/api/state", {"chat": "3"}, "unknown query parameter"),
        ("GET", "/list_agents", {"limit": "3"}, "unknown query parameter"),
        ("GET", "/get_events", {"limit": "0"}, "limit"),
        ("GET", "/get_events", {"limit": "many"}, "limit"),
        ("GET", "/get_events", {"after": "-1"}, "after"),
        ("GET", "/get_events", {"types": "agent_log,gossip"}, "gossip"),
        ("GET", "/get_events", {"level": "LOUD"}, "level"),
        ("GET", "/get_events", {"after": "9", "before": "9"}, "must be below before"),
        ("GET", "/api/costs", {"since": "2025-02-02", "until": "2025-01-01"}, "after until"),
        ("GET", "/api/costs", {"since": "yesterday"}, "since"),
        ("GET", "/api/agents", {"session_id": "not-a-uuid"}, "session_id"),
    ],
)
async def test_bad_query_input_is_refused_with_its_reason(
    client: Client, method: str, path: str, params: dict[str, str], reason: str
) -> None:
    response = await client.request(method, path, params=params)
    assert response.status_code == 400
    assert reason in response.text


async def test_load_chat_refuses_unknown_and_invalid_fields(client: Client) -> None:
    unknown = await client.post("/load_chat", json={"limit": 5, "offset": 3})
    assert unknown.status_code == 400
    assert "offset" in unknown.text
    assert (await client.post("/load_chat", json={"limit": 0})).status_code == 400


async def test_an_empty_store_answers_empty_snapshots_at_position_zero(client: Client) -> None:
    state = (await client.get("/api/state")).json()
    assert state["position"] == 0
    assert state["orchestrator"] is None
    assert state["agents"] == state["chat"] == []
    assert (await client.get("/get_events")).json() == {"position": 0, "events": [], "has_more": False}


async def test_every_snapshot_reflects_exactly_its_position_while_projecting(
    fresh_url: str, fresh_pool: asyncpg.Pool, working_dir: Path
) -> None:
    store = EventStore(fresh_pool)
    appends = decisions(random_steps(300, seed=12))
    seen: list[dict[str, Any]] = []
    async with (
        running(fresh_url, fresh_pool, batch_size=3) as (runner, task),
        AsyncTestClient(app=app_for(fresh_url, working_dir)) as client,
    ):
        writer = asyncio.create_task(append_all(store, appends))
        while not writer.done():
            seen.append((await client.get("/api/state", params={"chat_limit": 1000})).json())
            await asyncio.sleep(0.005)  # the test client blocks this loop while the app answers
        await caught_up(runner, task, await writer)
    assert len({body["position"] for body in seen}) > 3, "the runner never moved while we looked"
    for body in seen:
        tables = await folded_in_memory(store, up_to=body["position"])
        assert body["agents"] == jsonable(live_agents(tables))
        assert body["chat"] == jsonable(
            sorted(tables["orchestrator_chat"].values(), key=lambda row: row.position)
        )
