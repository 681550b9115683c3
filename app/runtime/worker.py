"""One worker agent's CLI: a fresh SDK client per command, resumed by SDK session id, interruptible.

A client lives for one command, inside the agent's own task (the SDK wants connect and disconnect in one
task), and only while it holds one of the runtime's slots: so no more than `max_running_agents` CLIs
(~200 MB each) exist at once, and an idle agent costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from claude_agent_sdk import ClaudeAgentOptions, ClaudeSDKClient, ResultMessage

from app.runtime.agent_recorder import AgentRecorder
from app.runtime.file_tracking import FileTracker
from app.runtime.hooks import Hooks, build_hooks
from app.runtime.sdk_messages import ToolResultPart, parts_of, turn_result
from domain.metadata import Metadata

log = logging.getLogger(__name__)

OptionsFor = Callable[[str | None, float | None, Hooks], ClaudeAgentOptions]
"""Options for a client: the SDK session to resume (or None), the cost cap for the CLI, the hooks."""
ClientFactory = Callable[[ClaudeAgentOptions], ClaudeSDKClient]
CLOSE_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class CommandRun:
    """A command to run. `cost_before` is the SDK session's running total so far (0 for a new session);
    `max_cost_usd` caps that running total (the agent's and session's budgets), None when unbounded."""

    command_id: UUID
    prompt: str
    metadata: Metadata
    resume: str | None
    cost_before: float
    max_cost_usd: float | None = None


class AgentWorker:
    def __init__(
        self,
        recorder: AgentRecorder,
        tracker: FileTracker,
        options_for: OptionsFor,
        slots: asyncio.Semaphore,
        *,
        connect: ClientFactory = ClaudeSDKClient,
        interrupt_timeout: float = 1.0,
    ) -> None:
        self.recorder = recorder
        self._tracker = tracker
        self._options_for = options_for
        self._slots = slots
        self._connect = connect
        self._interrupt_timeout = interrupt_timeout
        self._queue: asyncio.Queue[CommandRun | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._client: ClaudeSDKClient | None = None
        self._running: CommandRun | None = None
        self._interrupts: set[UUID] = set()

    @property
    def running_command(self) -> UUID | None:
        return self._running.command_id if self._running else None

    def start(self, run: CommandRun) -> None:
        """Queues the command; it runs after the ones before it, once a slot is free."""
        if self._task is None:
            self._task = asyncio.create_task(self._serve(), name=f"agent-{self.recorder.agent_id}")
        self._queue.put_nowait(run)

    async def interrupt(self, command_id: UUID) -> None:
        """Stops the command within about a second: politely, else by stopping its CLI."""
        self._interrupts.add(command_id)
        client = self._client
        if client is not None and self.running_command == command_id:
            await self._stop(client)
        # Otherwise its CLI is not talking yet: the command checks for the interrupt once it is.

    async def _stop(self, client: ClaudeSDKClient) -> None:
        try:
            await asyncio.wait_for(client.interrupt(), self._interrupt_timeout)
        except Exception as error:
            agent = self.recorder.agent_id
            log.warning("agent %s did not take the interrupt (%r); stopping its CLI", agent, error)
            await _disconnect(client)

    async def close(self) -> None:
        """Interrupts what runs, then ends the agent's task and its CLI."""
        if self._running is not None:
            await self.interrupt(self._running.command_id)
        self._queue.put_nowait(None)
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._task, CLOSE_TIMEOUT_SECONDS)

    async def _serve(self) -> None:
        while (run := await self._queue.get()) is not None:
            try:
                await self._run(run)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception(
                    "agent %s: command %s could not be recorded", self.recorder.agent_id, run.command_id
                )

    async def _run(self, run: CommandRun) -> None:
        self.recorder.metadata = run.metadata
        self.recorder.prompt(run.command_id, run.prompt)
        async with self._slots:
            if run.command_id in self._interrupts:
                await self.recorder.interrupted()
                return
            self._running = run
            try:
                await self._converse(run)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                await self._ended_abruptly(run, error)
            finally:
                self._running = None
                self._interrupts.discard(run.command_id)
                client, self._client = self._client, None
                if client is not None:
                    await _disconnect(client)

    async def _converse(self, run: CommandRun) -> None:
        hooks = build_hooks(self.recorder.hook, self.recorder.files, self._tracker)
        client = self._connect(self._options_for(run.resume, run.max_cost_usd, hooks))
        await client.connect()
        if run.command_id in self._interrupts:
            await _disconnect(client)
            await self.recorder.interrupted()
            return
        self._client = client
        await client.query(run.prompt)
        if run.command_id in self._interrupts:
            await self._stop(client)  # it came while the prompt was being sent
        result: ResultMessage | None = None
        async for message in client.receive_response():
            for part in parts_of(message):
                # Tool results reach the log through the PostToolUse hooks, with their full response.
                if not isinstance(part, ToolResultPart):
                    self.recorder.part(part)
            if isinstance(message, ResultMessage):
                result = message
        if result is None:
            raise ConnectionError("the CLI ended the turn without a result")
        turn = turn_result(result, run.cost_before)
        if turn.interrupted or run.command_id in self._interrupts:
            await self.recorder.interrupted()
        else:
            await self.recorder.finished(turn)

    async def _ended_abruptly(self, run: CommandRun, error: Exception) -> None:
        if run.command_id in self._interrupts:
            await self.recorder.interrupted()
            return
        log.warning("agent %s failed: %r", self.recorder.agent_id, error)
        await self.recorder.failed(crash_reason(error))


def crash_reason(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    exit_code = getattr(error, "exit_code", None)
    if exit_code is not None:
        return f"the agent's CLI stopped unexpectedly (exit code {exit_code}): {text}"
    return f"the agent's CLI failed: {text}"


async def _disconnect(client: ClaudeSDKClient) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.disconnect(), 10)
