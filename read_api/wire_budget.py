"""The `system_logs` line a budget warning or limit becomes, on the wire as in the table."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.budget import BudgetLevel
from domain.records import RecordedEvent
from projections.system_logs import SystemLogRow

_LEVELS = {BudgetLevel.WARNING: "WARNING", BudgetLevel.LIMIT: "ERROR"}


def budget_line(r: RecordedEvent, e: Any, who: str, session_id: UUID, **metadata: Any) -> SystemLogRow:
    reached = "limit" if e.level is BudgetLevel.LIMIT else "warning threshold"
    amounts = f"${e.total_cost_usd:.4f} (threshold ${e.threshold_usd:.4f})"
    return SystemLogRow(
        id=r.event_id,
        orchestrator_agent_id=session_id,
        level=_LEVELS[e.level],
        message=f"{who} reached its budget {reached}: {amounts}",
        summary=None,
        metadata={
            "budget_level": e.level.value,
            "threshold_usd": e.threshold_usd,
            "total_cost_usd": e.total_cost_usd,
            **metadata,
        },
        timestamp=e.timestamp,
        position=r.position,
    )
