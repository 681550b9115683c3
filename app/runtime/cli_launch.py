"""How the runtime starts a Claude Code CLI: its environment, and a lower CPU priority than the runtime's.

The CLIs are the heavy part (a burst of CPU at each start); run at `nice` 10, they leave the runtime and
the database enough CPU to record and stream what the agents do while they work (bench/runtime.py
measures hook → SSE client latency both ways; see bench/README.md, "Runtime").
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import claude_agent_sdk

DEFAULT_NICENESS = 10


@dataclass(frozen=True)
class CliLaunch:
    env: dict[str, str]
    cli_path: str | None = None
    """A wrapper that starts the CLI niced; None: the SDK finds the CLI itself, at normal priority."""


def bundled_cli() -> Path | None:
    """The CLI the SDK ships (the one it would run), else a `claude` on the PATH."""
    bundled = Path(claude_agent_sdk.__file__).parent / "_bundled" / "claude"
    if bundled.is_file():
        return bundled
    found = shutil.which("claude")
    return Path(found) if found else None


def niced_cli(folder: Path, niceness: int = DEFAULT_NICENESS) -> str | None:
    """Writes `folder/claude-niced`, which runs the CLI under `nice`; None when there is no need or way."""
    nice, cli = shutil.which("nice"), bundled_cli()
    if niceness <= 0 or nice is None or cli is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    wrapper = folder / "claude-niced"
    wrapper.write_text(f'#!/bin/sh\nexec "{nice}" -n {niceness} "{cli}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)
