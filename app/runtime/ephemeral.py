"""Ephemeral frames (`chat_typing`, `chat_stream`): sent to whoever is connected now, never stored."""

from __future__ import annotations

import logging
from typing import Protocol
from uuid import UUID

import msgspec

from read_api.sse import WireFrame, encode_frame
from read_api.wire_types import ChatStream, ChatTyping

log = logging.getLogger(__name__)


class EphemeralPublisher(Protocol):
    """What the runtime needs of the SSE hub."""

    async def publish_ephemeral(self, frame: WireFrame) -> None: ...


class Ephemeral:
    """Publishes frames for one session; a failing hub is logged, never allowed to stop a turn."""

    def __init__(self, publisher: EphemeralPublisher | None, session_id: UUID) -> None:
        self._publisher = publisher
        self._session = str(session_id)

    async def typing(self, is_typing: bool) -> None:
        await self._publish("chat_typing", ChatTyping(is_typing=is_typing, session_id=self._session))

    async def chunk(self, block_id: UUID, text: str) -> None:
        frame = ChatStream(block_id=str(block_id), chunk=text, session_id=self._session)
        await self._publish("chat_stream", frame)

    async def _publish(self, wire_type: str, data: msgspec.Struct) -> None:
        if self._publisher is None:
            return
        frame = encode_frame(wire_type, data, position=None, session_id=self._session)
        try:
            await self._publisher.publish_ephemeral(frame)
        except Exception:
            log.exception("could not publish a %s frame", wire_type)
