"""RFC 9457 problem details: the one table from errors to HTTP status, problem type and title."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, NamedTuple

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from app.eventstore.errors import ConcurrencyError, StoreUnavailable
from domain import errors

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "/problems/"


class Problem(NamedTuple):
    status: int
    slug: str
    title: str


PROBLEMS: dict[type[Exception], Problem] = {
    errors.InvalidName: Problem(422, "invalid-name", "Invalid agent name"),
    errors.InvalidModel: Problem(422, "invalid-model", "Unknown model"),
    errors.InvalidValue: Problem(422, "invalid-value", "Invalid value"),
    errors.NegativeUsage: Problem(422, "negative-usage", "Tokens and costs only grow"),
    errors.TextTooLong: Problem(413, "text-too-long", "Text too long"),
    errors.SessionNotFound: Problem(404, "session-not-found", "Session not found"),
    errors.AgentNotFound: Problem(404, "agent-not-found", "Agent not found"),
    errors.NameTaken: Problem(409, "name-taken", "Agent name taken"),
    errors.TooManyAgents: Problem(409, "too-many-agents", "Too many agents"),
    errors.AgentAlreadyDeleted: Problem(409, "agent-deleted", "Agent deleted"),
    errors.AgentBusy: Problem(409, "agent-busy", "Agent busy"),
    errors.QueueFull: Problem(409, "queue-full", "Command queue full"),
    errors.BudgetExhausted: Problem(409, "budget-exhausted", "Budget used up"),
    errors.InvalidTransition: Problem(409, "invalid-transition", "Not allowed in this status"),
    errors.DomainError: Problem(422, "domain-rule", "Rejected by a domain rule"),
    ConcurrencyError: Problem(409, "concurrent-change", "Changed concurrently"),
    StoreUnavailable: Problem(503, "store-unavailable", "Event store unavailable"),
    ValidationException: Problem(400, "invalid-request", "Request does not match the schema"),
}


def problem_handlers() -> ExceptionHandlersMap:
    """Exception handlers for the app factory: every error answers `application/problem+json`."""
    handlers: ExceptionHandlersMap = {kind: _known_problem for kind in PROBLEMS}
    handlers[HTTPException] = _http_problem
    return handlers


def problem_response(
    request: Request[Any, Any, Any], problem: Problem, detail: str, **members: Any
) -> Response[dict[str, Any]]:
    body = {
        "type": PROBLEM_BASE + problem.slug,
        "title": problem.title,
        "status": problem.status,
        "detail": detail,
        "instance": request.url.path,
        **{key: value for key, value in members.items() if value is not None},
    }
    return Response(body, status_code=problem.status, media_type=PROBLEM_MEDIA_TYPE)


def _known_problem(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    problem = next(PROBLEMS[kind] for kind in type(error).__mro__ if kind in PROBLEMS)
    if isinstance(error, ValidationException):
        return _invalid_request(request, problem, error)
    if isinstance(error, errors.DomainError):
        return problem_response(request, problem, error.message, field=error.field)
    if isinstance(error, ConcurrencyError):
        detail = f"{error}; it was retried and kept conflicting — reload and try again"
        return problem_response(request, problem, detail)
    return problem_response(request, problem, str(error))


def _invalid_request(
    request: Request[Any, Any, Any], problem: Problem, error: ValidationException
) -> Response[dict[str, Any]]:
    """Names each offending field and the rule it broke, e.g. `name: Expected str of length <= 64`."""
    found = error.extra if isinstance(error.extra, list) else []
    issues = [
        {"field": item.get("key"), "rule": item.get("message", ""), "source": item.get("source")}
        for item in found
        if isinstance(item, dict)
    ]
    detail = "; ".join(
        f"{issue['field']}: {issue['rule']}" if issue["field"] else issue["rule"] for issue in issues
    )
    field = issues[0]["field"] if len(issues) == 1 else None
    return problem_response(request, problem, detail or error.detail, field=field, errors=issues or None)


def _http_problem(request: Request[Any, Any, Any], error: Exception) -> Response[dict[str, Any]]:
    assert isinstance(error, HTTPException)
    status = HTTPStatus(error.status_code)
    slug = status.phrase.lower().replace(" ", "-")
    detail = error.detail if error.detail != status.phrase else status.description
    response = problem_response(request, Problem(status.value, slug, status.phrase), detail)
    if error.headers:
        response.headers.update(error.headers)
    return response
