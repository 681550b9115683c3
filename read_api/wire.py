"""frame_for: one stored event → at most one SSE frame (id = its position); the same for live and replay."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any
from uuid import UUID

from domain.agent import Agent
from domain.codec import decode_metadata
from domain.metadata import Metadata
from domain.records import RecordedEvent
from read_api.sse import WireFrame, encode_frame
from read_api.wire_agent import AGENT_FRAMES, AgentNames
from read_api.wire_session import SESSION_FRAMES

_BUILDERS = {**AGENT_FRAMES, **SESSION_FRAMES}


def frame_for(recorded: RecordedEvent, event: Any, names: AgentNames) -> WireFrame | None:
    """The frame of a decoded stored event, or None for events the UI does not see.

    Pure: the same record, event and agent names always give the same bytes. The frame also carries the
    agent (id and name) and session it concerns, which `?agent=` and `?orchestrator=` filter on.
    """
    builder = _BUILDERS.get(type(event))
    if builder is None:
        return None
    wire_type, data = builder(recorded, event, names)
    metadata = decode_metadata(recorded.metadata, Metadata)
    if type(event) in AGENT_FRAMES:
        agent_id: UUID | None = recorded.stream_id
        session_id = metadata.session_id
    else:
        agent_id = getattr(event, "agent_id", None)
        session_id = metadata.session_id or recorded.stream_id
    return encode_frame(
        wire_type,
        data,
        position=recorded.position,
        agent_id=None if agent_id is None else str(agent_id),
        agent_name=None if agent_id is None else names.get(agent_id),
        session_id=None if session_id is None else str(session_id),
    )


class WireMapper:
    """frame_for with the agent names it needs, learnt from every AgentCreated it frames.

    Start it with the names of agents created before the first position it will frame.
    """

    def __init__(self, names: MutableMapping[UUID, str] | None = None) -> None:
        self.names: MutableMapping[UUID, str] = {} if names is None else names

    def __call__(self, recorded: RecordedEvent, event: Any) -> WireFrame | None:
        if isinstance(event, Agent.AgentCreated):
            self.names[recorded.stream_id] = event.name
        return frame_for(recorded, event, self.names)
