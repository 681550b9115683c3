"""The schema of scenario files (YAML) and loading them from the built-in and extra directories."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import msgspec

BUILTIN_DIR = Path(__file__).parent / "scenarios"

FileRole = Literal["orchestrator", "worker", "summary", "any"]


class FaultKind(StrEnum):
    """What the server does instead of answering normally."""

    SERVER_ERROR = "server_error"  # HTTP 500 api_error
    OVERLOADED = "overloaded"  # HTTP 529 overloaded_error
    RATE_LIMITED = "rate_limited"  # HTTP 429 with retry-after: 0
    BAD_REQUEST = "bad_request"  # HTTP 400 invalid_request_error
    STALL = "stall"  # headers and message_start, then silence
    HANG = "hang"  # no response at all
    MALFORMED = "malformed"  # an SSE frame whose data is not JSON
    EMPTY_STREAM = "empty_stream"  # 200 text/event-stream with no events
    TRUNCATED = "truncated"  # the stream ends in the middle of a block, without message_stop


class StepSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    tool: str
    input: dict[str, Any] = {}


class RuleSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    match: str
    example: str | None = None
    each: str | None = None
    all: bool = False  # in `whole` mode: every match of the pattern answers one line
    tool: str | None = None
    input: dict[str, Any] = {}
    steps: list[StepSpec] = []
    think: str | None = None
    say: str | None = None
    done: str | None = None

    @property
    def all_steps(self) -> tuple[StepSpec, ...]:
        single = (StepSpec(self.tool, self.input),) if self.tool else ()
        return single + tuple(self.steps)


class TriggerSpec(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    match: str
    fault: FaultKind
    example: str | None = None


class ScenarioFile(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    role: FileRole
    mode: Literal["clauses", "whole"] = "clauses"
    macros: dict[str, str] = {}
    think: str | None = None
    final: str | None = None
    fallback: str | None = None
    rules: list[RuleSpec] = []
    triggers: list[TriggerSpec] = []


class ScenarioFileError(ValueError):
    """A scenario file that cannot be read or does not follow the schema."""


def read_scenario_files(extra_dir: Path | None = None) -> list[tuple[str, ScenarioFile]]:
    """Files of `extra_dir` first (they take precedence), then the built-in ones; each sorted by name."""
    directories = [extra_dir] if extra_dir else []
    directories.append(BUILTIN_DIR)
    found: list[tuple[str, ScenarioFile]] = []
    for directory in directories:
        found.extend((str(path), read_scenario_file(path)) for path in sorted(directory.glob("*.y*ml")))
    return found


def read_scenario_file(path: Path) -> ScenarioFile:
    try:
        return msgspec.yaml.decode(path.read_bytes(), type=ScenarioFile)
    except (msgspec.ValidationError, msgspec.DecodeError) as error:
        raise ScenarioFileError(f"{path}: {error}") from error
