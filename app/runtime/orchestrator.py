"""The orchestrator of one session: a long-lived CLI with the `mgmt` tools; one turn per user message.

Its blocks are recorded as they arrive (text, thinking, tool use, tool results), text also streams as
ephemeral `chat_stream` chunks, `chat_typing` brackets each turn, and the result closes the turn with its
tokens, cost and SDK session id. Messages are answered one after the other, in the order they were sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient, ResultMessage, StreamEvent

from app.runtime.ephemeral import Ephemeral
from app.runtime.orchestrator_recorder import OrchestratorRecorder
from app.runtime.sdk_messages import TurnResult, parts_of, text_delta, turn_result
from app.runtime.stream_redaction import StreamRedactor
from app.runtime.worker import ClientFactory, crash_reason
from domain.metadata import Metadata
from domain.values import Usage

log = logging.getLogger(__name__)

OrchestratorOptionsFor = Callable[[str | None], ClaudeAgentOptions]
"""Options for the orchestrator's client, given the SDK session to resume (or None)."""


@dataclass(frozen=True)
class UserTurn:
    message_id: UUID
    text: str
    metadata: Metadata
    """Metadata for what the turn records: the user's chain, caused by their message."""


@dataclass(frozen=True)
class SdkSession:
    """Where the orchestrator's conversation stands: the SDK session to resume and its running cost."""

    resume: str | None
    cost_usd: float


class OrchestratorService:
    def __init__(
        self,
        session_id: UUID,
        recorder: OrchestratorRecorder,
        options_for: OrchestratorOptionsFor,
        ephemeral: Ephemeral,
        *,
        connect: ClientFactory = ClaudeSDKClient,
    ) -> None:
        self.session_id = session_id
        self._recorder = recorder
        self._options_for = options_for
        self._ephemeral = ephemeral
        self._connect = connect
        self._queue: asyncio.Queue[UserTurn | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._client: ClaudeSDKClient | None = None
        self._cost_before = 0.0
        self._resume = SdkSession(None, 0.0)
        self._fresh = False
        self.turn: UserTurn | None = None
        """The turn being answered (the mgmt tools take their metadata from it)."""

    def answer(self, turn: UserTurn, resume: SdkSession) -> None:
        """Queues a user message; `resume` says where to pick the conversation up if no CLI is open."""
        if self._task is None:
            self._task = asyncio.create_task(self._serve(), name=f"orchestrator-{self.session_id}")
        if self._resume.resume is None:
            self._resume = resume  # what the store knows, until a turn of ours tells us more
        self._queue.put_nowait(turn)

    async def close(self) -> None:
        self._queue.put_nowait(None)
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, 15)

    async def _serve(self) -> None:
        try:
            while (turn := await self._queue.get()) is not None:
                self.turn = turn
                await self._ephemeral.typing(True)
                try:
                    await self._answer(turn)
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    await self._failed(turn, error)
                finally:
                    self.turn = None
                    await self._ephemeral.typing(False)
        finally:
            await self._drop_client()

    async def _answer(self, turn: UserTurn) -> None:
        try:
            result = await self._converse(turn)
        except _NothingHeard:
            # A CLI that died while idle fails at once: start it again (resumed) and ask once more.
            await self._drop_client()
            result = await self._converse(turn)
        finished = turn_result(result, self._cost_before)
        self._cost_before = finished.session_cost_usd
        if finished.sdk_session_id:
            self._resume = SdkSession(finished.sdk_session_id, finished.session_cost_usd)
        await self._recorder.finished(turn.message_id, finished, turn.metadata)

    async def _converse(self, turn: UserTurn) -> ResultMessage:
        heard = False
        try:
            client = await self._connected()
            await client.query(turn.text)
            block = _StreamedBlock()
            async for message in client.receive_response():
                heard = True
                if isinstance(message, StreamEvent):
                    await self._stream(message, block)
                    continue
                for part in parts_of(message):
                    rest = block.redactor.flush()
                    if rest:
                        await self._ephemeral.chunk(block.id, rest)
                    self._recorder.part(part, block.id, turn.message_id, turn.metadata)
                    block = _StreamedBlock()
                if isinstance(message, ResultMessage):
                    return message
        except Exception as error:
            if heard or self._fresh:
                raise
            raise _NothingHeard from error
        raise ConnectionError("the orchestrator's CLI ended the turn without a result")

    async def _stream(self, message: StreamEvent, block: _StreamedBlock) -> None:
        """Text chunks of the block being generated, redacted, under the id its record will have."""
        if message.parent_tool_use_id is not None:
            return
        chunk = text_delta(message)
        if chunk:
            settled = block.redactor.feed(chunk)
            if settled:
                await self._ephemeral.chunk(block.id, settled)

    async def _connected(self) -> ClaudeSDKClient:
        """The open CLI, or a new one that resumes the conversation where it stands."""
        if self._client is not None:
            self._fresh = False
            return self._client
        resume = self._resume
        client = self._connect(self._options_for(resume.resume))
        await client.connect()
        self._client, self._fresh = client, True
        self._cost_before = resume.cost_usd if resume.resume else 0.0
        return client

    async def _failed(self, turn: UserTurn, error: Exception) -> None:
        log.warning("orchestrator of session %s failed: %r", self.session_id, error)
        await self._drop_client()
        reason = crash_reason(error).replace("agent's", "orchestrator's")
        self._recorder.log("ERROR", reason, {"message_id": str(turn.message_id)}, turn.metadata)
        failed = _failed_turn(reason)
        with contextlib.suppress(Exception):
            await self._recorder.finished(turn.message_id, failed, turn.metadata)

    async def _drop_client(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.disconnect(), 10)


class _NothingHeard(Exception):
    """The CLI failed before it said anything this turn (it may have died while idle)."""


class _StreamedBlock:
    """One content block as it streams: the id it is recorded under, and its text's redactor."""

    def __init__(self) -> None:
        self.id = uuid4()
        self.redactor = StreamRedactor()


def _failed_turn(reason: str) -> TurnResult:
    return TurnResult(
        usage=Usage(),
        session_cost_usd=0.0,
        duration_ms=0,
        num_turns=0,
        sdk_session_id=None,
        is_error=True,
        interrupted=False,
        result=reason,
    )
