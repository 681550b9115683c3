"""Which model the agents talk to: `claude` (an API key or a Claude login) or `sim` (offline, in-process)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.runtime.cli_launch import DEFAULT_NICENESS, CliLaunch, niced_cli
from app.runtime.sdk_env import CliLimits, cli_env
from app.runtime.simulator import Simulator, run_simulator
from app.settings import Settings

BackendName = Literal["claude", "sim"]
_KEY_VARIABLES = ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN")


def claude_login(env: Mapping[str, str]) -> Path | None:
    """The credentials file a `claude login` left, if any (the CLI's own config dir)."""
    config = Path(env["CLAUDE_CONFIG_DIR"]) if env.get("CLAUDE_CONFIG_DIR") else Path.home() / ".claude"
    credentials = config / ".credentials.json"
    return credentials if credentials.is_file() else None


def resolve_backend(settings: Settings, env: Mapping[str, str] | None = None) -> BackendName:
    """`auto` means `claude` when a key or a login is present, else the offline simulator."""
    if settings.model_backend != "auto":
        return settings.model_backend
    env = os.environ if env is None else env
    if any(env.get(name) for name in _KEY_VARIABLES) or claude_login(env) is not None:
        return "claude"
    return "sim"


@dataclass(frozen=True)
class ModelBackend:
    """The backend in use and the CLI environment that reaches it."""

    name: BackendName
    launch: CliLaunch
    simulator: Simulator | None = None

    @property
    def base_url(self) -> str | None:
        return self.simulator.base_url if self.simulator else None


@contextlib.asynccontextmanager
async def open_backend(
    settings: Settings,
    limits: CliLimits | None = None,
    env: Mapping[str, str] | None = None,
    niceness: int = DEFAULT_NICENESS,
) -> AsyncIterator[ModelBackend]:
    """Starts the simulator in-process when the backend is `sim`; the CLIs get a private config dir."""
    name = resolve_backend(settings, env)
    data_dir = settings.data_dir.resolve()
    cli_path = niced_cli(data_dir, niceness)
    if name == "sim":
        async with run_simulator() as simulator:
            launch = CliLaunch(cli_env(data_dir, simulator.base_url, limits), cli_path)
            yield ModelBackend(name, launch, simulator)
        return
    variables = cli_env(data_dir, None, limits)
    if not any((env or os.environ).get(key) for key in _KEY_VARIABLES):
        # Logged in with `claude login`: the CLI must see the user's own config dir to find the login.
        variables.pop("CLAUDE_CONFIG_DIR", None)
        variables.pop("HOME", None)
    yield ModelBackend(name, CliLaunch(variables, cli_path))
