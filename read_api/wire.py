"""frame_for: one stored event → at most one SSE frame (id = its position); the same for live and replay."""

from __future__ import annotations

import functools
from typing import Any
from uuid import UUID

import msgspec

from domain.records import RecordedEvent
from read_api.sse import WireFrame, encode_frame
from read_api.wire_agent import AGENT_FRAMES
from read_api.wire_context import WireContext
from read_api.wire_session import SESSION_FRAMES

_BUILDERS = {**AGENT_FRAMES, **SESSION_FRAMES}


def frame_for(recorded: RecordedEvent, event: Any, context: WireContext) -> WireFrame | None:
    """The frame of a decoded stored event, or None for events the UI does not see.

    Pure: the same record, event and context facts always give the same bytes. The frame also carries the
    agent (id and name) and session it concerns, which `?agent=` and `?orchestrator=` filter on.
    """
    builder = _BUILDERS.get(type(event))
    if builder is None:
        return None
    wire_type, data = builder(recorded, event, context)
    session_id = _session_of.decode(recorded.metadata).session_id
    if type(event) in AGENT_FRAMES:
        agent_id: UUID | None = recorded.stream_id
    else:
        agent_id = getattr(event, "agent_id", None)
        session_id = session_id or _text(recorded.stream_id)
    return encode_frame(
        wire_type,
        data,
        position=recorded.position,
        agent_id=None if agent_id is None else _text(agent_id),
        agent_name=None if agent_id is None else context.name_of(agent_id),
        session_id=session_id,
    )


class _SessionOf(msgspec.Struct):
    """The one metadata field frames need, read as text: no UUID built only to be printed again."""

    session_id: str | None = None


_session_of = msgspec.json.Decoder(_SessionOf)


@functools.lru_cache(maxsize=4096)
def _text(stream_id: UUID) -> str:
    return str(stream_id)


class WireMapper:
    """frame_for with the context it needs, learning from every event it frames.

    Start it with a context learnt from the events before the first position it will frame.
    """

    def __init__(self, context: WireContext | None = None) -> None:
        self.context = WireContext() if context is None else context

    def __call__(self, recorded: RecordedEvent, event: Any) -> WireFrame | None:
        self.context.learn(recorded.stream_id, event)
        return frame_for(recorded, event, self.context)
