"""Command endpoints against real PostgreSQL: what they append, what they answer, and that a rejected
command appends nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from domain.codec import decode_metadata
from domain.metadata import Actor, Metadata
from tests.integration.command_support import (
    CommandApp,
    app_client,
    decoded,
    events_after,
    types_of,
    with_new_session,
)


@pytest.fixture(scope="module")
async def client(database_url: str) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with app_client(database_url) as client:
        yield client


@pytest.fixture
async def api(client: AsyncTestClient[Litestar], pool: asyncpg.Pool) -> CommandApp:
    return await with_new_session(client, pool)


async def create(api: CommandApp, name: str, **fields: Any) -> dict[str, Any]:
    answer = await api.client.post("/api/agents", json={"name": name, **fields})
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def assert_rejected(
    api: CommandApp, method: str, url: str, status: int, problem: str, body: Any = None
) -> dict[str, Any]:
    """The answer is the given problem+json and the store did not move."""
    head = await api.store.head()
    answer = await api.client.request(method, url, json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem_body: dict[str, Any] = answer.json()
    assert problem_body["type"] == f"/problems/{problem}"
    assert problem_body["status"] == status
    assert problem_body["detail"]
    assert await api.store.head() == head
    return problem_body


async def test_send_chat_answers_at_once_with_message_id_and_position(api: CommandApp) -> None:
    head = await api.store.head()
    answer = await api.client.post(
        "/send_chat", json={"message": "Build a todo app"}, headers={"X-Correlation-ID": str(api.session_id)}
    )
    assert answer.status_code == 202, answer.text
    body = answer.json()
    [recorded] = await events_after(api.store, head)
    assert body["position"] == recorded.position
    assert recorded.type == "UserMessageSent.v1"
    event = decoded(recorded)
    assert (str(event.message_id), event.text) == (body["message_id"], "Build a todo app")
    metadata = decode_metadata(recorded.metadata, Metadata)
    assert (metadata.actor, metadata.session_id, metadata.correlation_id) == (
        Actor.USER,
        api.session_id,
        api.session_id,
    )


async def test_create_agent_appends_agent_and_name_in_one_batch(api: CommandApp) -> None:
    head = await api.store.head()
    body = await create(api, "builder", model="haiku", system_prompt="You build.")
    recorded = await events_after(api.store, head)
    assert types_of(recorded) == ["AgentCreated.v1", "AgentNameRegistered.v1"]
    created, registered = (decoded(event) for event in recorded)
    assert created.originator_id == UUID(body["agent_id"]) == registered.agent_id
    assert (created.name, created.model, created.working_dir) == ("builder", "haiku", "/work")
    assert body["position"] == recorded[-1].position
    metadata = [decode_metadata(event.metadata, Metadata) for event in recorded]
    assert metadata[0] == metadata[1]
    assert metadata[0].session_id == api.session_id


async def test_a_taken_name_is_a_conflict(api: CommandApp) -> None:
    await create(api, "builder")
    problem = await assert_rejected(api, "POST", "/api/agents", 409, "name-taken", {"name": "builder"})
    assert problem["field"] == "name"


@pytest.mark.parametrize("name", ["Builder", "has space", "-x", "a" * 65, ""])
async def test_names_outside_the_schema_are_bad_requests(api: CommandApp, name: str) -> None:
    problem = await assert_rejected(api, "POST", "/api/agents", 400, "invalid-request", {"name": name})
    assert problem["field"] == "name"
    assert problem["errors"][0]["rule"]


async def test_a_reserved_name_breaks_a_domain_rule(api: CommandApp) -> None:
    problem = await assert_rejected(api, "POST", "/api/agents", 422, "invalid-name", {"name": "orchestrator"})
    assert "reserved" in problem["detail"]


async def test_an_unknown_model_breaks_a_domain_rule(api: CommandApp) -> None:
    body = {"name": "x", "model": "gpt-4"}
    problem = await assert_rejected(api, "POST", "/api/agents", 422, "invalid-model", body)
    assert problem["field"] == "model"


async def test_unknown_fields_are_rejected_by_name(api: CommandApp) -> None:
    body = {"message": "hi", "urgent": True}
    problem = await assert_rejected(api, "POST", "/send_chat", 400, "invalid-request", body)
    assert "urgent" in problem["detail"]


async def test_malformed_json_is_a_bad_request(api: CommandApp) -> None:
    head = await api.store.head()
    answer = await api.client.post(
        "/send_chat", content=b'{"message": ', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert await api.store.head() == head


async def test_an_oversized_message_is_too_large_and_says_the_limit(api: CommandApp) -> None:
    body = {"message": "x" * 100_001}
    problem = await assert_rejected(api, "POST", "/send_chat", 413, "text-too-long", body)
    assert "limit is 100000" in problem["detail"]
    assert problem["field"] == "text"


async def test_a_body_over_the_size_limit_is_refused(api: CommandApp) -> None:
    body = {"message": "x" * 1_100_000}
    problem = await assert_rejected(api, "POST", "/send_chat", 413, "request-entity-too-large", body)
    assert problem["title"] == "Request Entity Too Large"


async def test_a_blank_message_breaks_a_domain_rule(api: CommandApp) -> None:
    await assert_rejected(api, "POST", "/send_chat", 422, "invalid-value", {"message": "   "})


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/api/agents/ghost/commands", {"prompt": "hi"}),
        ("POST", "/api/agents/ghost/interrupt", None),
        ("DELETE", "/api/agents/ghost", None),
        ("PUT", "/api/agents/ghost/budget", {"limit_usd": 5}),
    ],
)
async def test_unknown_agents_are_not_found(api: CommandApp, method: str, url: str, body: Any) -> None:
    problem = await assert_rejected(api, method, url, 404, "agent-not-found", body)
    assert "'ghost'" in problem["detail"]


async def test_an_unknown_session_is_not_found(api: CommandApp) -> None:
    body = {"message": "hi", "session_id": "00000000-0000-0000-0000-000000000001"}
    await assert_rejected(api, "POST", "/send_chat", 404, "session-not-found", body)


async def test_a_busy_agent_refuses_a_second_command_unless_queued(api: CommandApp) -> None:
    await create(api, "builder")
    head = await api.store.head()
    first = await api.client.post("/api/agents/builder/commands", json={"prompt": "Write the parser"})
    assert first.status_code == 202, first.text
    assert first.json()["queued"] is False
    assert first.json()["task_slug"].startswith("write-the-parser-")
    assert types_of(await events_after(api.store, head)) == [
        "AgentCommanded.v1",
        "AgentCommandStarted.v1",
        "AgentStatusChanged.v1",
    ]
    problem = await assert_rejected(
        api, "POST", "/api/agents/builder/commands", 409, "agent-busy", {"prompt": "And the tests"}
    )
    assert "queue=true" in problem["detail"]
    queued = await api.client.post(
        "/api/agents/builder/commands", json={"prompt": "And the tests", "queue": True, "task_slug": "tests"}
    )
    assert queued.status_code == 202
    assert (queued.json()["queued"], queued.json()["task_slug"]) == (True, "tests")


async def test_interrupt_only_a_running_agent(api: CommandApp) -> None:
    await create(api, "builder")
    await assert_rejected(api, "POST", "/api/agents/builder/interrupt", 409, "invalid-transition")
    await api.client.post("/api/agents/builder/commands", json={"prompt": "go"})
    answer = await api.client.post("/api/agents/builder/interrupt", json={"reason": "wrong repo"})
    assert answer.status_code == 202
    [recorded] = await events_after(api.store, answer.json()["position"] - 1)
    assert recorded.type == "AgentInterruptRequested.v1"
    assert decoded(recorded).reason == "wrong repo"


async def test_delete_frees_the_name(api: CommandApp) -> None:
    first = await create(api, "builder")
    head = await api.store.head()
    answer = await api.client.delete("/api/agents/builder")
    assert answer.status_code == 200
    assert types_of(await events_after(api.store, head)) == [
        "AgentNameReleased.v1",
        "AgentDeleted.v1",
        "AgentStatusChanged.v1",
    ]
    url = "/api/agents/builder/commands"
    await assert_rejected(api, "POST", url, 404, "agent-not-found", {"prompt": "x"})
    second = await create(api, "builder")
    assert second["agent_id"] != first["agent_id"]


async def test_budget_is_set_and_checked(api: CommandApp) -> None:
    await create(api, "builder")
    answer = await api.client.put("/api/agents/builder/budget", json={"limit_usd": 2.5, "warn_fraction": 0.5})
    assert answer.status_code == 200
    [recorded] = await events_after(api.store, answer.json()["position"] - 1)
    assert (decoded(recorded).limit_usd, decoded(recorded).warn_fraction) == (2.5, 0.5)
    body = {"limit_usd": 2.5, "warn_fraction": 1.5}
    problem = await assert_rejected(api, "PUT", "/api/agents/builder/budget", 400, "invalid-request", body)
    assert problem["field"] == "warn_fraction"
    await assert_rejected(api, "PUT", "/api/agents/builder/budget", 400, "invalid-request", {})
