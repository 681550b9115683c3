"""Reads `GET /api/stream`'s position and filters from the request, rejecting anything it does not know."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

import msgspec

from read_api.live import FrameFilter
from read_api.sse import WIRE_TYPES

ALLOWED_PARAMETERS = ("from", "agent", "types", "orchestrator")
_MAX_POSITION = 2**63 - 1


class BadStreamQuery(ValueError):
    """The request asks for something the stream cannot give; the message says what and why."""


class StreamQuery(msgspec.Struct, frozen=True):
    """`start` None: from now on (live only); else every frame after that position."""

    start: int | None
    frame_filter: FrameFilter


def parse_stream_query(parameters: Iterable[tuple[str, str]], last_event_id: str | None) -> StreamQuery:
    """Last-Event-ID wins over `?from=`: a reconnecting EventSource sends both, and the header is newer."""
    given: dict[str, str] = {}
    for name, value in parameters:
        if name not in ALLOWED_PARAMETERS:
            raise BadStreamQuery(
                f"unknown query parameter {name!r}; the stream accepts {', '.join(ALLOWED_PARAMETERS)}"
            )
        if name in given:
            raise BadStreamQuery(f"query parameter {name!r} is given more than once")
        given[name] = value
    start = None
    if last_event_id is not None and last_event_id.strip():
        start = _position(last_event_id, "Last-Event-ID")
    elif "from" in given:
        start = _position(given["from"], "from")
    frame_filter = FrameFilter(
        types=_types(given["types"]) if "types" in given else None,
        agent=_agent(given["agent"]) if "agent" in given else None,
        session_id=_uuid(given["orchestrator"], "orchestrator") if "orchestrator" in given else None,
    )
    return StreamQuery(start=start, frame_filter=frame_filter)


def _position(text: str, source: str) -> int:
    value = text.strip()
    if not value.isascii() or not value.isdigit():
        raise BadStreamQuery(f"{source} must be a stream position (an integer >= 0), got {text!r}")
    position = int(value)
    if position > _MAX_POSITION:
        raise BadStreamQuery(f"{source} {text!r} is beyond any possible position")
    return position


def _types(text: str) -> frozenset[str]:
    names = [name.strip() for name in text.split(",")]
    if not any(names):
        raise BadStreamQuery("types must name at least one wire type")
    unknown = sorted({name for name in names if name and name not in WIRE_TYPES})
    if unknown:
        raise BadStreamQuery(
            f"unknown wire type(s) {', '.join(map(repr, unknown))}; known: {', '.join(sorted(WIRE_TYPES))}"
        )
    return frozenset(name for name in names if name)


def _agent(text: str) -> str:
    """An agent's name, or its id (any UUID spelling, compared in canonical form)."""
    value = text.strip()
    if not value:
        raise BadStreamQuery("agent must be an agent's name or id, got an empty value")
    try:
        return str(UUID(value))
    except ValueError:
        return value


def _uuid(text: str, source: str) -> str:
    try:
        return str(UUID(text.strip()))
    except ValueError:
        raise BadStreamQuery(f"{source} must be a session id (a UUID), got {text!r}") from None
