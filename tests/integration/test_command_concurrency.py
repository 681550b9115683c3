"""Concurrent conflicting commands: one wins, the others get a 409 naming the rule; retries after version
conflicts; and a conflict on one stream of a two-stream command stores nothing of it."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import asyncpg
import httpx
import pytest

from app.commands import agent_handlers, agent_report_handlers
from app.commands.loading import load_agent_by_name
from app.commands.receipts import Receipt
from app.commands.runner import Commands
from app.commands.unit_of_work import UnitOfWork
from app.eventstore.errors import ConcurrencyError
from app.eventstore.store import EventStore
from domain.commands import CreateAgent, DeleteAgent
from domain.runtime_commands import RecordAgentText
from tests.integration.command_support import (
    Worker,
    as_system,
    events_after,
    new_session,
    serve_workers,
    types_of,
)


@pytest.fixture(scope="module")
async def workers(database_url: str, pool: asyncpg.Pool) -> AsyncIterator[list[Worker]]:
    async with serve_workers(database_url, pool) as running:
        yield running


@pytest.fixture
async def session_id(workers: list[Worker], pool: asyncpg.Pool) -> UUID:
    session_id = await new_session(Commands(EventStore(pool)))
    for worker in workers:
        worker.app.state["session_id"] = session_id
    return session_id


async def fire(workers: list[Worker], method: str, path: str, bodies: list[Any]) -> list[httpx.Response]:
    """All requests at once, spread over the workers."""
    async with httpx.AsyncClient(timeout=30) as client:
        return await asyncio.gather(
            *(
                client.request(method, workers[number % len(workers)].url + path, json=body)
                for number, body in enumerate(bodies)
            )
        )


def problems(answers: list[httpx.Response]) -> Counter[tuple[int, str]]:
    return Counter((answer.status_code, answer.json().get("type", "")) for answer in answers)


async def test_concurrent_creates_of_one_name_one_wins(
    workers: list[Worker], session_id: UUID, pool: asyncpg.Pool
) -> None:
    store = EventStore(pool)
    head = await store.head()
    answers = await fire(workers, "POST", "/api/agents", [{"name": "builder"}] * 8)
    assert problems(answers) == {(201, ""): 1, (409, "/problems/name-taken"): 7}
    assert types_of(await events_after(store, head)) == ["AgentCreated.v1", "AgentNameRegistered.v1"]


async def test_concurrent_commands_to_an_idle_agent_one_runs(
    workers: list[Worker], session_id: UUID, pool: asyncpg.Pool
) -> None:
    store = EventStore(pool)
    answers = await fire(workers, "POST", "/api/agents", [{"name": "builder"}])
    assert answers[0].status_code == 201
    head = await store.head()
    answers = await fire(
        workers, "POST", "/api/agents/builder/commands", [{"prompt": f"task {n}"} for n in range(8)]
    )
    assert problems(answers) == {(202, ""): 1, (409, "/problems/agent-busy"): 7}
    assert types_of(await events_after(store, head)) == [
        "AgentCommanded.v1",
        "AgentCommandStarted.v1",
        "AgentStatusChanged.v1",
    ]


async def test_concurrent_queued_commands_all_land_once_in_one_order(
    workers: list[Worker], session_id: UUID, pool: asyncpg.Pool
) -> None:
    store = EventStore(pool)
    [created] = await fire(workers, "POST", "/api/agents", [{"name": "builder"}])
    bodies = [{"prompt": f"task {n}", "queue": True} for n in range(8)]
    answers = await fire(workers, "POST", "/api/agents/builder/commands", bodies)
    assert [(answer.status_code, answer.json().get("type")) for answer in answers] == [(202, None)] * 8
    assert sorted(answer.json()["queued"] for answer in answers) == [False] + [True] * 7
    stream = await store.read_stream(UUID(created.json()["agent_id"]))
    assert [event.version for event in stream] == list(range(1, len(stream) + 1))
    assert Counter(types_of(stream))["AgentCommanded.v1"] == 8


def gated(handler: Any, gate: asyncio.Event, reached: asyncio.Event) -> Any:
    """The handler, paused on its first attempt between loading and appending."""
    attempts = 0

    async def run(unit: UnitOfWork, command: Any) -> Receipt:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            original = unit.commit

            async def commit_later() -> list[int]:
                reached.set()
                await gate.wait()
                return await original()

            unit.commit = commit_later  # type: ignore[method-assign]
        result: Receipt = await handler(unit, command)
        return result

    return run


async def delete_and_interfere(commands: Commands, session_id: UUID) -> asyncio.Task[Receipt]:
    """Starts deleting 'builder', and appends to its stream while the delete waits to commit."""
    gate, reached = asyncio.Event(), asyncio.Event()
    command = DeleteAgent(session_id=session_id, name="builder")
    deleting = asyncio.create_task(
        commands.run(gated(agent_handlers.delete_agent, gate, reached), command, as_system())
    )
    await reached.wait()
    other = Commands(commands.store)
    agent_id = await agent_id_of(other, session_id, "builder")
    await other.run(
        agent_report_handlers.record_agent_text, RecordAgentText(agent_id=agent_id, text="hi"), as_system()
    )
    gate.set()
    return deleting


async def agent_id_of(commands: Commands, session_id: UUID, name: str) -> UUID:
    async def lookup(unit: UnitOfWork, _: None) -> UUID:
        session_and_agent = await load_agent_by_name(unit, session_id, name)
        return session_and_agent[1].id

    return await commands.run(lookup, None, as_system())


async def test_a_conflict_is_retried_from_the_store(pool: asyncpg.Pool) -> None:
    commands = Commands(EventStore(pool), max_attempts=2)
    session_id = await new_session(commands)
    await commands.run(
        agent_handlers.create_agent, CreateAgent(session_id=session_id, name="builder"), as_system()
    )
    head = await commands.store.head()
    receipt = await (await delete_and_interfere(commands, session_id))
    assert types_of(await events_after(commands.store, head)) == [
        "AgentTextBlockRecorded.v1",
        "AgentNameReleased.v1",
        "AgentDeleted.v1",
        "AgentStatusChanged.v1",
    ]
    assert receipt.position == await commands.store.head()


async def test_a_conflict_on_one_stream_stores_nothing_of_the_command(pool: asyncpg.Pool) -> None:
    commands = Commands(EventStore(pool), max_attempts=1)
    session_id = await new_session(commands)
    await commands.run(
        agent_handlers.create_agent, CreateAgent(session_id=session_id, name="builder"), as_system()
    )
    head = await commands.store.head()
    with pytest.raises(ConcurrencyError):
        await (await delete_and_interfere(commands, session_id))
    assert types_of(await events_after(commands.store, head)) == ["AgentTextBlockRecorded.v1"]
    assert await agent_id_of(commands, session_id, "builder")
