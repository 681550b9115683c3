"""A whole runtime on its own fresh database, driven as a user would: start a session, chat, wait, read.

Each harness has its own database, so the runtime (which follows the whole store) sees only its test's events.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, Literal, TypeVar
from uuid import UUID, uuid4

import asyncpg

from app.commands.loading import load_agent, load_session
from app.commands.runner import Commands
from app.commands.session_handlers import send_chat, start_session
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.migrate import migrate
from app.runtime.runtime import Runtime, RuntimeOptions, open_runtime
from app.runtime.sdk_env import CliLimits
from app.settings import Settings
from domain.agent import Agent
from domain.codec import EventCodec
from domain.commands import SendChat, StartSession
from domain.events.session import OrchestratorTurnFinished
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from domain.session import OrchestratorSession
from domain.status import BUSY
from read_api.sse import WireFrame
from tests.database import create_database, drop_database

codec = EventCodec(EVENT_TYPES)
FAST_FAILURES = CliLimits(max_retries=0, api_timeout_ms=5000)


class RecordingHub:
    """Keeps the ephemeral frames the runtime publishes (the SSE hub is tested on its own)."""

    def __init__(self) -> None:
        self.frames: list[WireFrame] = []

    async def publish_ephemeral(self, frame: WireFrame) -> None:
        self.frames.append(frame)


@contextlib.asynccontextmanager
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    name = f"o3s_runtime_{uuid.uuid4().hex[:12]}"
    url = await create_database(server_url, name)
    try:
        await migrate(url)
        yield url
    finally:
        await drop_database(server_url, name)


class RuntimeHarness:
    def __init__(self, url: str, pool: asyncpg.Pool, workdir: Path, data_dir: Path) -> None:
        self.url = url
        self.pool = pool
        self.store = EventStore(pool)
        self.commands = Commands(self.store, codec=codec)
        self.workdir = workdir
        self.settings = Settings(model_backend="sim", cwd=workdir, data_dir=data_dir, max_running_agents=4)
        self.hub = RecordingHub()
        self.user = Metadata.first(uuid4(), Actor.USER)
        self.session_id: UUID | None = None

    @contextlib.asynccontextmanager
    async def running(self, *, wait_active: bool = True, **options: Any) -> AsyncIterator[Runtime]:
        """A runtime process: follows the store until the block ends (then stops its CLIs)."""
        options.setdefault("limits", FAST_FAILURES)
        options.setdefault("summaries", False)
        options.setdefault("standby_retry_seconds", 0.1)
        async with (
            AppendListener(self.url) as listener,
            open_runtime(
                self.settings,
                self.pool,
                self.store,
                codec,
                self.hub,
                commands=self.commands,
                listener=listener,
                options=RuntimeOptions(**options),
            ) as runtime,
        ):
            if wait_active:
                await poll(now(lambda: runtime.active or None), "the runtime never became active")
            yield runtime

    async def start_session(self) -> UUID:
        command = StartSession(working_dir=str(self.workdir), model="sonnet")
        self.session_id = (await self.commands.run(start_session, command, self.user)).session_id
        return self.session_id

    async def chat(self, text: str, seconds: float = 60) -> OrchestratorTurnFinished:
        """Sends a message and waits for the orchestrator's answer to end."""
        assert self.session_id is not None
        session_id = self.session_id
        command = SendChat(session_id=session_id, text=text)
        await self.commands.run(send_chat, command, Metadata.first(command.message_id, Actor.USER))

        async def answer() -> OrchestratorTurnFinished | None:
            for event in await self.events(session_id):
                if isinstance(event, OrchestratorTurnFinished) and event.reply_to == command.message_id:
                    return event
            return None

        return await poll(answer, f"no answer to {text!r}", seconds)

    async def session(self) -> OrchestratorSession:
        assert self.session_id is not None
        return await self.commands.run(load_session, self.session_id, self.user)

    async def agent(self, name: str) -> Agent:
        session = await self.session()
        return await self.commands.run(load_agent, session.agent_id_for(name), self.user)

    async def agent_settles(self, name: str, seconds: float = 60) -> Agent:
        """Waits until the agent is not busy any more."""

        async def rested() -> Agent | None:
            agent = await self.agent(name)
            return agent if agent.status not in BUSY else None

        return await poll(rested, f"agent {name} is still busy", seconds)

    async def until_hook(self, agent_id: UUID, hook_type: str, tool: str, seconds: float = 30) -> None:
        async def seen() -> bool | None:
            hooks = [e for e in await self.events(agent_id) if isinstance(e, Agent.HookEventRecorded)]
            return any(hook.hook_type == hook_type and hook.tool_name == tool for hook in hooks) or None

        await poll(seen, f"no {hook_type} hook for {tool} from agent {agent_id}", seconds)

    async def events(self, stream_id: UUID) -> list[Any]:
        return [codec.decode(recorded) for recorded in await self.store.read_stream(stream_id)]

    async def all_events(self) -> list[Any]:
        return [codec.decode(recorded) for recorded in await self.store.read_all(0, 100_000)]


T = TypeVar("T")


def cli_processes(kind: Literal["worker", "orchestrator"]) -> list[int]:
    """Process ids of this process's Claude Code CLIs of one kind (the orchestrator's has the mgmt server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if parent != os.getpid() or b"stream-json" not in arguments:
            continue
        if (b"--mcp-config" in arguments) == (kind == "orchestrator"):
            found.append(int(entry.name))
    return found


def now(check: Callable[[], T | None]) -> Callable[[], Awaitable[T | None]]:
    """A plain check, for `poll`."""

    async def run() -> T | None:
        return check()

    return run


async def poll(check: Callable[[], Awaitable[T | None]], message: str, seconds: float = 30) -> T:
    """Checks every 50 ms until `check` answers something; fails with `message` after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        found = await check()
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(message)


@contextlib.asynccontextmanager
async def runtime_harness(server_url: str, tmp: Path) -> AsyncIterator[RuntimeHarness]:
    workdir = tmp / "work"
    workdir.mkdir(parents=True, exist_ok=True)
    async with fresh_database(server_url) as url:
        pool = await create_pool(url)
        try:
            yield RuntimeHarness(url, pool, workdir, tmp / "data")
        finally:
            await pool.close()
