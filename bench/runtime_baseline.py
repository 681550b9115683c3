"""The runtime benchmark's baseline: the same CLIs doing the same commands, with hooks that answer at once
and nothing recorded — what running the agents costs before the runtime adds anything."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from claude_agent_sdk import ClaudeSDKClient, HookContext, HookInput, HookJSONOutput, HookMatcher

from app.runtime.agent_options import worker_options
from app.runtime.cli_launch import CliLaunch
from app.runtime.hooks import RECORDED_HOOKS


async def _nothing(data: HookInput, tool_use_id: str | None, context: HookContext) -> HookJSONOutput:
    return {}


async def bare_commands(
    launch: CliLaunch, workdir: Path, agents: int, per_agent: int, prompt: str
) -> dict[str, Any]:
    hooks: Any = {hook: [HookMatcher(hooks=[_nothing])] for hook in RECORDED_HOOKS}

    async def one_agent(index: int) -> None:
        name = f"agent{index}"
        for n in range(per_agent):
            options = worker_options(
                launch,
                cwd=workdir,
                model="sonnet",
                system_prompt="",
                tools=(),
                resume=None,
                max_cost_usd=None,
                hooks=hooks,
            )
            client = ClaudeSDKClient(options)
            await client.connect()
            try:
                await client.query(prompt.format(f=f"{name}-{n}"))
                async for _ in client.receive_response():
                    pass
            finally:
                await client.disconnect()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one_agent(index) for index in range(agents)))
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "process_cpu_seconds": round(time.process_time() - cpu, 2),
        "commands": agents * per_agent,
    }
