"""Small immutable values carried inside events: token and cost usage, changed files, queued commands."""

from __future__ import annotations

import math
from uuid import UUID

import msgspec

from domain.errors import NegativeUsage


class Usage(msgspec.Struct, frozen=True, kw_only=True):
    """Tokens and cost of one turn (a delta) or accumulated over many (a total); cost in US dollars."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_input_tokens: int = 0
    cache_creation_input_tokens: int = 0
    cost_usd: float = 0.0

    def checked_delta(self, field: str = "usage") -> Usage:
        """Totals only grow, so a delta must be non-negative and finite."""
        for name in self.__struct_fields__:
            value = getattr(self, name)
            if value < 0 or not math.isfinite(value):
                raise NegativeUsage(
                    f"{field}.{name} must be a finite number >= 0 (tokens and costs only grow), "
                    f"got {value!r}",
                    field=f"{field}.{name}",
                )
        return self

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cache_read_input_tokens=self.cache_read_input_tokens + other.cache_read_input_tokens,
            cache_creation_input_tokens=self.cache_creation_input_tokens + other.cache_creation_input_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
        )


class ChangedFile(msgspec.Struct, frozen=True):
    """A file an agent's tool changed, with its git diff (empty when the file is not under git)."""

    path: str
    diff: str


class PendingCommand(msgspec.Struct, frozen=True):
    """A command an agent has accepted and not yet finished: the one it executes, or one in its queue."""

    command_id: UUID
    prompt: str
    task_slug: str
    author: str
