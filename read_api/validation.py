"""Query-string checks the signature cannot express: unknown parameters and event filter values."""

from __future__ import annotations

from typing import Any, cast, get_args

from litestar import Request
from litestar.exceptions import ValidationException

from domain.validation import LOG_LEVELS
from read_api.queries import EventFilter
from read_api.responses import EventSource

SOURCES: tuple[str, ...] = get_args(EventSource)
# Provided by the app or Litestar itself, never by the client.
_NOT_QUERY = frozenset({"request", "state", "pool", "working_dir", "data", "self"})


def _invalid(field: str, rule: str) -> ValidationException:
    return ValidationException(
        detail=f"{field}: {rule}", extra=[{"key": field, "message": rule, "source": "query"}]
    )


async def reject_unknown_query(request: Request[Any, Any, Any]) -> None:
    """A `before_request` hook: a misspelt filter must fail loudly, not silently match everything."""
    declared = set(request.route_handler.parsed_fn_signature.parameters) - _NOT_QUERY
    unknown = sorted(set(request.query_params) - declared)
    if unknown:
        allowed = ", ".join(sorted(declared)) or "none"
        raise _invalid(unknown[0], f"unknown query parameter {unknown!r}; allowed: {allowed}")


def event_filter(
    after: int | None,
    before: int | None,
    limit: int,
    agent: str | None,
    types: str | None,
    level: str | None,
    text: str | None,
) -> EventFilter:
    if after is not None and before is not None and after >= before:
        raise _invalid("after", f"must be below before ({after} >= {before})")
    sources = frozenset(SOURCES)
    if types is not None:
        asked = {part.strip() for part in types.split(",") if part.strip()}
        wrong = sorted(asked - sources)
        if wrong or not asked:
            raise _invalid("types", f"unknown event types {wrong}; known: {', '.join(SOURCES)}")
        sources = frozenset(asked)
    if level is not None:
        level = level.upper()
        if level not in LOG_LEVELS:
            raise _invalid("level", f"must be one of {', '.join(LOG_LEVELS)}")
    return EventFilter(
        after=after,
        before=before,
        limit=limit,
        sources=cast(frozenset[Any], sources),
        agent=agent,
        level=level,
        text=text,
    )
