"""The problem+json table: every domain error has its own status and type, and answers RFC 9457 fields."""

from __future__ import annotations

from uuid import uuid4

import pytest
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.testing import TestClient

from app.eventstore.errors import ConcurrencyError
from app.http.problems import PROBLEMS, problem_handlers
from domain import errors

RAISED: dict[str, Exception] = {
    "name-taken": errors.NameTaken("an agent named 'a' already exists in this session", field="name"),
    "agent-not-found": errors.AgentNotFound("no live agent named 'ghost' in this session", field="name"),
    "text-too-long": errors.TextTooLong("text is 100001 characters long; the limit is 100000", field="text"),
    "invalid-name": errors.InvalidName("name 'orchestrator' is reserved", field="name"),
    "concurrent-change": ConcurrencyError(uuid4(), 3, 4),
}


@get("/raise/{key:str}", sync_to_thread=False)
def raise_error(key: FromPath[str]) -> None:
    raise RAISED[key]


@pytest.fixture(scope="module")
def client() -> TestClient[Litestar]:
    return TestClient(Litestar([raise_error], exception_handlers=problem_handlers()))


def test_every_domain_error_has_its_own_entry() -> None:
    domain_errors = {
        value
        for value in vars(errors).values()
        if isinstance(value, type) and issubclass(value, errors.DomainError)
    }
    assert domain_errors <= set(PROBLEMS)
    slugs = [problem.slug for problem in PROBLEMS.values()]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize(
    ("key", "status", "field"),
    [
        ("name-taken", 409, "name"),
        ("agent-not-found", 404, "name"),
        ("text-too-long", 413, "text"),
        ("invalid-name", 422, "name"),
        ("concurrent-change", 409, None),
    ],
)
def test_errors_answer_problem_details(
    client: TestClient[Litestar], key: str, status: int, field: str | None
) -> None:
    answer = client.get(f"/raise/{key}")
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/problem+json")
    body = answer.json()
    assert (body["type"], body["status"], body["instance"]) == (f"/problems/{key}", status, f"/raise/{key}")
    assert body["title"]
    assert str(RAISED[key]).split(";")[0] in body["detail"]
    assert body.get("field") == field


def test_http_errors_answer_problem_details_too(client: TestClient[Litestar]) -> None:
    answer = client.get("/nowhere")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"] == "/problems/not-found"
