"""Running the simulator: in-process for tests (`run_simulator`) or blocking, for `o3s sim`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from app.runtime.simulator.asgi import SimulatorApp, SimulatorConfig
from app.runtime.simulator.faults import FaultQueue
from app.runtime.simulator.request_log import RecordedRequest
from app.runtime.simulator.rules import load_rule_books
from app.runtime.simulator.scenario_files import FaultKind

DEFAULT_PORT = 9404
SHUTDOWN_GRACE_SECONDS = 2


@dataclass(frozen=True)
class Simulator:
    """A running simulator: where it listens, what it received, and the faults waiting for requests."""

    app: SimulatorApp
    base_url: str

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.app.requests

    @property
    def faults(self) -> FaultQueue:
        return self.app.faults

    def inject_fault(self, kind: FaultKind | str, count: int = 1, role: str | None = None) -> None:
        self.app.faults.inject(kind, count, role)

    def requests_of(self, session_id: str) -> list[RecordedRequest]:
        return [record for record in self.app.requests if record.session_id == session_id]


def build_app(scenarios_dir: Path | None = None, config: SimulatorConfig | None = None) -> SimulatorApp:
    return SimulatorApp(load_rule_books(scenarios_dir), config or SimulatorConfig())


class _EmbeddedServer(uvicorn.Server):
    """Leaves signal handling to the host process (pytest, the o3s runtime)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def run_simulator(
    host: str = "127.0.0.1",
    port: int = 0,
    scenarios_dir: Path | None = None,
    config: SimulatorConfig | None = None,
) -> AsyncIterator[Simulator]:
    """Serve on the current event loop; port 0 picks a free port (see `base_url`)."""
    app = build_app(scenarios_dir, config)
    server = _EmbeddedServer(_uvicorn_config(app, host, port, "warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("the simulator stopped before it started")
        await asyncio.sleep(0.01)
    bound_port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield Simulator(app, f"http://{host}:{bound_port}")
    finally:
        app.closing.set()
        server.should_exit = True
        await task


def serve_simulator(
    host: str = "127.0.0.1",
    port: int = DEFAULT_PORT,
    scenarios_dir: Path | None = None,
    chunk_delay: float = 0.03,
) -> None:
    """Block serving the simulator (for `o3s sim`); text streams at a readable pace for demos."""
    app = build_app(scenarios_dir, SimulatorConfig(chunk_delay=chunk_delay))
    server = uvicorn.Server(_uvicorn_config(app, host, port, "info"))

    async def serve() -> None:
        try:
            await server.serve()
        finally:
            app.closing.set()

    asyncio.run(serve())


def _uvicorn_config(app: SimulatorApp, host: str, port: int, log_level: str) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        lifespan="off",
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )
