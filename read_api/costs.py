"""Sums of the cost rollup: per agent, per model and overall, for `GET /api/costs`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from projections.costs import CostRow
from read_api.responses import CostsPage, CostTotal


def _total(key: str, label: str, rows: Sequence[CostRow]) -> CostTotal:
    return CostTotal(
        key=key,
        label=label,
        input_tokens=sum(row.input_tokens for row in rows),
        output_tokens=sum(row.output_tokens for row in rows),
        cache_read_input_tokens=sum(row.cache_read_input_tokens for row in rows),
        cache_creation_input_tokens=sum(row.cache_creation_input_tokens for row in rows),
        cost_usd=sum(row.cost_usd for row in rows),
        calls=sum(row.calls for row in rows),
    )


def _grouped(rows: Sequence[CostRow], key: Callable[[CostRow], tuple[str, str]]) -> list[CostTotal]:
    groups: dict[tuple[str, str], list[CostRow]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    totals = [_total(group_key, label, members) for (group_key, label), members in groups.items()]
    return sorted(totals, key=lambda total: (-total.cost_usd, total.label))


def costs_page(position: int, since: date | None, until: date | None, rows: list[CostRow]) -> CostsPage:
    return CostsPage(
        position=position,
        since=since,
        until=until,
        rows=rows,
        by_agent=_grouped(rows, lambda row: (str(row.agent_id), row.agent_name)),
        by_model=_grouped(rows, lambda row: (row.model, row.model)),
        total=_total("total", "total", rows),
    )
