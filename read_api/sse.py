"""WireFrame: one SSE frame whose bytes are encoded once and shared by every subscriber."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

EPHEMERAL_TYPES = frozenset({"chat_typing", "chat_stream"})
"""Frames that are never stored: they have no `id:` and cannot be replayed."""

STORED_TYPES = frozenset(
    {
        "agent_log",
        "orchestrator_chat",
        "thinking_block",
        "tool_use_block",
        "agent_created",
        "agent_updated",
        "agent_deleted",
        "agent_status_changed",
        "agent_summary_update",
        "orchestrator_updated",
        "system_log",
        "error",
    }
)

WIRE_TYPES = STORED_TYPES | EPHEMERAL_TYPES

HEARTBEAT = b": heartbeat\n\n"
RETRY = b"retry: 1000\n\n"
"""Sent first: browsers reconnect after 1 s instead of their default 3 s."""

_encoder = msgspec.json.Encoder()


class WireFrame(msgspec.Struct, frozen=True, gc=False):
    """`sse` is the complete frame; the other fields exist so that filters never parse it."""

    type: str
    sse: bytes
    position: int | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    session_id: str | None = None


def encode_frame(
    wire_type: str,
    data: msgspec.Struct,
    *,
    position: int | None,
    agent_id: str | None = None,
    agent_name: str | None = None,
    session_id: str | None = None,
) -> WireFrame:
    """Builds the frame's bytes: `id:` (stored frames only), `event:`, and one `data:` line of JSON.

    msgspec escapes newlines inside strings, so the JSON always fits on one `data:` line.
    """
    if wire_type not in WIRE_TYPES:
        raise ValueError(f"unknown wire type {wire_type!r}")
    if (position is None) != (wire_type in EPHEMERAL_TYPES):
        raise ValueError(
            f"{wire_type!r} frames {'have no' if position is None else 'cannot have a'} position"
        )
    head = b"event: %b\ndata: " % wire_type.encode()
    if position is not None:
        head = b"id: %d\n%b" % (position, head)
    return WireFrame(
        type=wire_type,
        sse=head + _encoder.encode(data) + b"\n\n",
        position=position,
        agent_id=agent_id,
        agent_name=agent_name,
        session_id=session_id,
    )


def join_frames(frames: Iterable[WireFrame]) -> bytes:
    return b"".join([frame.sse for frame in frames])
