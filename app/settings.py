"""Settings read once from the environment (and `.env`), passed explicitly from the composition root."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

ModelBackend = Literal["auto", "claude", "sim"]


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str | None = None
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 9403
    model_backend: ModelBackend = "auto"
    orchestrator_model: str = "sonnet"
    worker_model: str = "sonnet"
    summary_model: str = "haiku"
    cwd: Path = Path.cwd()
    token: str | None = None
    log_level: str = "INFO"
    log_dir: Path = Path(".o3s/logs")
    data_dir: Path = Path(".o3s")
    max_running_agents: int = 8

    @property
    def embedded_pg_dir(self) -> Path:
        return self.data_dir / "pg"


def _read_dotenv(path: Path) -> dict[str, str]:
    """Plain KEY=VALUE lines; the real environment wins over the file."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


ENVIRONMENT = {
    "database_url": "DATABASE_URL",
    "redis_url": "REDIS_URL",
    "host": "O3S_HOST",
    "port": "O3S_PORT",
    "model_backend": "O3S_MODEL_BACKEND",
    "orchestrator_model": "ORCHESTRATOR_MODEL",
    "worker_model": "O3S_WORKER_MODEL",
    "summary_model": "O3S_SUMMARY_MODEL",
    "cwd": "O3S_CWD",
    "token": "O3S_TOKEN",
    "log_level": "LOG_LEVEL",
    "log_dir": "LOG_DIR",
    "data_dir": "O3S_DATA_DIR",
    "max_running_agents": "O3S_MAX_RUNNING_AGENTS",
}


class InvalidSettings(ValueError):
    """A variable of the environment has a value we cannot use; the message names it."""


def load_settings(env: Mapping[str, str] | None = None, dotenv: Path = Path(".env")) -> Settings:
    source = {**_read_dotenv(dotenv), **(os.environ if env is None else env)}
    given = {field: source[name] for field, name in ENVIRONMENT.items() if source.get(name)}
    try:
        return msgspec.convert(given, Settings, strict=False, dec_hook=_decode_path)
    except msgspec.ValidationError as error:
        field = str(error).rpartition("$.")[2].rstrip("`")
        name = ENVIRONMENT.get(field, field)
        reason = str(error).partition(" - at ")[0]
        raise InvalidSettings(f"{name}={given.get(field)!r} is invalid: {reason}") from error


def _decode_path(type_: type, value: object) -> object:
    if type_ is Path and isinstance(value, str):
        return Path(value).expanduser()
    raise NotImplementedError
