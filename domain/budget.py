"""Cost budgets: a limit in US dollars and a warning threshold, and which of them a total has reached."""

from __future__ import annotations

import enum
import math

import msgspec

from domain.errors import InvalidValue

DEFAULT_WARN_FRACTION = 0.8


class BudgetLevel(enum.StrEnum):
    WARNING = "warning"
    LIMIT = "limit"


class Budget(msgspec.Struct, frozen=True):
    limit_usd: float
    warn_fraction: float = DEFAULT_WARN_FRACTION

    @classmethod
    def checked(cls, limit_usd: float | None, warn_fraction: float = DEFAULT_WARN_FRACTION) -> Budget | None:
        """The budget to set, or None to remove it; raises InvalidValue naming the bad field."""
        if not math.isfinite(warn_fraction) or not 0 < warn_fraction <= 1:
            raise InvalidValue(
                f"warn_fraction must be > 0 and <= 1, got {warn_fraction!r}", field="warn_fraction"
            )
        if limit_usd is None:
            return None
        if not math.isfinite(limit_usd) or limit_usd <= 0:
            raise InvalidValue(f"limit_usd must be a finite number > 0, got {limit_usd!r}", field="limit_usd")
        return cls(limit_usd, warn_fraction)

    def threshold(self, level: BudgetLevel) -> float:
        return self.limit_usd * self.warn_fraction if level is BudgetLevel.WARNING else self.limit_usd

    def reached(self, total_cost_usd: float) -> list[BudgetLevel]:
        """Levels the total has reached, warning before limit (the order their events are recorded in)."""
        return [level for level in BudgetLevel if total_cost_usd >= self.threshold(level)]
