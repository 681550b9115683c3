"""Agent runtime benchmark, as JSON: hook → SSE client latency with 8 agents at once, and the runtime's
overhead per recorded event beyond the CLI, against a baseline (the same CLIs, hooks that record nothing)
measured in the same run.

Usage: .venv/bin/python -m bench.runtime [--quick]   (server: BENCH_DATABASE_URL, else 127.0.0.1:5432)
Real SDK and CLIs against the in-process `sim`; a throwaway database, dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx

from app.commands.agent_handlers import command_agent, create_agent
from app.commands.runner import Commands
from app.commands.session_handlers import start_session
from app.eventstore.follow import follow
from app.eventstore.listener import AppendListener
from app.eventstore.pool import create_pool
from app.eventstore.store import EventStore
from app.migrate import migrate
from app.runtime.agent_options import worker_options
from app.runtime.agent_recorder import AgentRecorder
from app.runtime.cli_launch import DEFAULT_NICENESS, CliLaunch, niced_cli
from app.runtime.file_tracking import FileTracker
from app.runtime.hooks import HookRecord, Hooks
from app.runtime.reports import Reports
from app.runtime.sdk_env import cli_env
from app.runtime.sdk_messages import TurnResult
from app.runtime.worker import AgentWorker, CommandRun
from app.stream.factory import StreamConfig
from bench.runtime_baseline import bare_commands
from bench.sim_process import simulator_process
from bench.timing import machine, percentiles_ms, ratio
from domain.agent import Agent
from domain.codec import EventCodec
from domain.commands import CommandAgent, CreateAgent, StartSession
from domain.metadata import Actor, Metadata
from domain.registry import EVENT_TYPES
from tests.database import create_database, drop_database
from tests.stream_support import serve_stream

LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
CODEC = EventCodec(EVENT_TYPES)
AGENTS = 8
TARGET_P99_MS = 50.0
PROMPT = "write {f}.txt containing x, then edit {f}.txt replace x with y, then read {f}.txt"
"""Three tools: ten hook calls (the prompt, before and after each of 3 tools, the stop) per command."""


class TimedRecorder(AgentRecorder):
    """Notes when each hook call reached the runtime (the start of the hook → SSE client path)."""

    def __init__(self, *args: Any, hook_times: dict[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hook_times = hook_times

        self.ended = asyncio.Event()

    def hook(self, record: HookRecord) -> UUID:
        called = time.perf_counter()
        hook_id = super().hook(record)
        self._hook_times[str(hook_id)] = called
        return hook_id

    async def finished(self, turn: TurnResult) -> None:
        await super().finished(turn)
        self.ended.set()

    async def failed(self, reason: str) -> None:
        await super().failed(reason)
        self.ended.set()


@dataclass
class Team:
    commands: Commands
    reports: Reports
    session_id: UUID
    agents: list[tuple[str, TimedRecorder, AgentWorker]]

    async def close(self) -> None:
        for _, _, worker in self.agents:
            await worker.close()
        await self.reports.close()


async def make_team(
    store: EventStore, launch: CliLaunch, workdir: Path, hook_times: dict[str, float]
) -> Team:
    commands = Commands(store, codec=CODEC)
    reports = Reports(commands)
    user = Metadata.first(uuid4(), Actor.USER)
    start = StartSession(working_dir=str(workdir), model="sonnet")
    session_id = (await commands.run(start_session, start, user)).session_id
    slots = asyncio.Semaphore(AGENTS)

    def options(resume: str | None, cap: float | None, hooks: Hooks) -> Any:
        return worker_options(
            launch,
            cwd=workdir,
            model="sonnet",
            system_prompt="",
            tools=(),
            resume=resume,
            max_cost_usd=cap,
            hooks=hooks,
        )

    agents = []
    for index in range(AGENTS):
        name = f"agent{index}"
        create = CreateAgent(session_id=session_id, name=name)
        agent_id = (await commands.run(create_agent, create, user)).agent_id
        recorder = TimedRecorder(agent_id, session_id, reports, hook_times=hook_times)
        agents.append((name, recorder, AgentWorker(recorder, FileTracker(workdir), options, slots)))
    return Team(commands, reports, session_id, agents)


async def run_commands(team: Team, per_agent: int) -> None:
    """Every agent runs `per_agent` commands one after another; the agents run at the same time."""

    async def one_agent(name: str, recorder: TimedRecorder, worker: AgentWorker) -> None:
        for n in range(per_agent):
            prompt = PROMPT.format(f=f"{name}-{n}")
            order = CommandAgent(session_id=team.session_id, name=name, prompt=prompt)
            metadata = Metadata.first(order.command_id, Actor.USER)
            await team.commands.run(command_agent, order, metadata)
            recorder.ended.clear()
            worker.start(CommandRun(order.command_id, prompt, metadata, None, 0.0))
            await recorder.ended.wait()

    await asyncio.gather(*(one_agent(*agent) for agent in team.agents))


async def read_hook_frames(url: str, after: int, seen: dict[str, float], stop: asyncio.Event) -> None:
    """An SSE client: notes when each hook's `agent_log` frame arrives."""
    async with (
        httpx.AsyncClient(timeout=httpx.Timeout(60, read=None)) as client,
        client.stream("GET", url, params={"from": str(after)}) as answer,
    ):
        buffer = b""
        async for chunk in answer.aiter_raw():
            arrived = time.perf_counter()
            buffer += chunk
            *frames, buffer = buffer.split(b"\n\n")
            for frame in frames:
                fields = dict(line.split(": ", 1) for line in frame.decode().split("\n") if ": " in line)
                if fields.get("event") == "agent_log":
                    log = json.loads(fields["data"])["log"]
                    if log["event_category"] == "hook":
                        seen[log["id"]] = arrived
            if stop.is_set():
                return


@contextlib.asynccontextmanager
async def fresh_database(server: str) -> AsyncIterator[str]:
    name = f"o3s_bench_runtime_{uuid.uuid4().hex[:10]}"
    url = await create_database(server, name)
    try:
        await migrate(url)
        yield url
    finally:
        await drop_database(server, name)


def launch_for(sim_url: str, data: Path, niceness: int) -> CliLaunch:
    return CliLaunch(cli_env(data, sim_url), niced_cli(data, niceness))


async def measure_latency(server: str, sim_url: str, per_agent: int, niceness: int) -> dict[str, Any]:
    stream_config = StreamConfig(heartbeat_seconds=0.1)  # the SSE client notices `stop` between frames
    async with fresh_database(server) as url, serve_stream(url, config=stream_config) as stream:
        pool = await create_pool(url)
        try:
            store = EventStore(pool)
            with tempfile.TemporaryDirectory(prefix="o3s-bench-") as tmp:
                hook_times: dict[str, float] = {}
                (Path(tmp) / "work").mkdir()
                launch = launch_for(sim_url, Path(tmp) / "data", niceness)
                team = await make_team(store, launch, Path(tmp) / "work", hook_times)
                seen: dict[str, float] = {}
                committed: dict[str, float] = {}
                stop = asyncio.Event()
                head = await store.head()
                reader = asyncio.create_task(read_hook_frames(stream.url, head, seen, stop))
                follower = asyncio.create_task(follow_hooks(store, url, head, committed))
                started, cpu = time.perf_counter(), time.process_time()
                try:
                    await run_commands(team, per_agent)
                    await _wait_until(lambda: set(hook_times) <= set(seen), 30)
                finally:
                    stop.set()  # the SSE client hangs up, so the server can stop
                    await reader
                    follower.cancel()
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                await team.close()
        finally:
            await pool.close()
    return {
        "hook_to_sse_client_ms": _latencies(hook_times, seen),
        "hook_to_follow_iterator_ms": _latencies(hook_times, committed),
        "hooks": len(hook_times),
        "hooks_missing_on_stream": len(set(hook_times) - set(seen)),
        "commands": AGENTS * per_agent,
        "cli_niceness": niceness,
        "seconds": round(elapsed, 2),
        "process_cpu_seconds": round(cpu, 2),
    }


def _latencies(started: dict[str, float], arrived: dict[str, float]) -> dict[str, float]:
    return percentiles_ms([arrived[key] - at for key, at in started.items() if key in arrived])


async def follow_hooks(store: EventStore, url: str, after: int, seen: dict[str, float]) -> None:
    """Notes when each hook event becomes visible to a `follow` iterator (committed, in order)."""
    hook_type = CODEC.type_name(Agent.HookEventRecorded)
    async with AppendListener(url) as listener:
        async for recorded in follow(store, listener, after):
            if recorded.type == hook_type:
                seen[json.loads(recorded.data)["hook_event_id"]] = time.perf_counter()


async def measure_overhead(server: str, sim_url: str, per_agent: int) -> dict[str, Any]:
    """The same workload twice: bare CLIs (hooks answer at once, nothing recorded), then the runtime."""
    with tempfile.TemporaryDirectory(prefix="o3s-bench-") as tmp:
        launch = launch_for(sim_url, Path(tmp) / "data", DEFAULT_NICENESS)
        (Path(tmp) / "bare").mkdir()
        baseline = await bare_commands(launch, Path(tmp) / "bare", AGENTS, per_agent, PROMPT)
        async with fresh_database(server) as url:
            pool = await create_pool(url)
            try:
                store = EventStore(pool)
                (Path(tmp) / "work").mkdir()
                team = await make_team(store, launch, Path(tmp) / "work", {})
                head = await store.head()
                started, cpu = time.perf_counter(), time.process_time()
                await run_commands(team, per_agent)
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
                events = await store.head() - head
                await team.close()
            finally:
                await pool.close()
    return {
        "baseline_bare_cli": baseline,
        "runtime": {
            "seconds": round(elapsed, 2),
            "process_cpu_seconds": round(cpu, 2),
            "events_recorded": events,
        },
        "overhead_cpu_ms_per_event": round((cpu - baseline["process_cpu_seconds"]) * 1000 / events, 3),
        "wall_time_ratio_vs_baseline": ratio(elapsed, baseline["seconds"]),
        "cpu_ratio_vs_baseline": ratio(cpu, baseline["process_cpu_seconds"]),
    }


async def _wait_until(check: Any, seconds: float) -> None:
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)


async def main(quick: bool) -> dict[str, Any]:
    server = os.environ.get("BENCH_DATABASE_URL", LOCAL_SERVER)
    load_before = os.getloadavg()[0]
    per_agent = 1 if quick else 5
    with simulator_process() as sim_url:
        latency = await measure_latency(server, sim_url, per_agent, DEFAULT_NICENESS)
        same_priority = None if quick else await measure_latency(server, sim_url, per_agent, 0)
        overhead = await measure_overhead(server, sim_url, per_agent)
    p99 = latency["hook_to_sse_client_ms"]["p99"]
    return {
        "benchmark": "runtime",
        "agents_at_once": AGENTS,
        "latency": latency,
        "latency_clis_at_the_runtimes_priority": same_priority,
        "overhead": overhead,
        "target_p99_ms": TARGET_P99_MS,
        "meets_target": p99 < TARGET_P99_MS,
        "machine": machine(),
        "load_average_1m": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one command per agent (a smoke run)")
    result = asyncio.run(main(parser.parse_args().quick))
    json.dump(result, sys.stdout, indent=2)
    print()
