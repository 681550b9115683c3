"""bench/runtime.py --quick still runs end to end and reports every figure, so it cannot rot."""

from __future__ import annotations

import pytest

from tests.integration.bench_support import quick_bench_report

pytestmark = pytest.mark.timeout(180)


async def test_quick_runtime_bench_reports_every_figure(server_url: str) -> None:
    report = await quick_bench_report(server_url, "-m", "bench.runtime")
    latency = report["latency"]
    assert latency["hooks"] == latency["hook_to_sse_client_ms"]["samples"] == 8 * 10
    assert latency["hooks_missing_on_stream"] == 0
    assert latency["hook_to_follow_iterator_ms"]["samples"] == latency["hooks"]
    overhead = report["overhead"]
    assert overhead["baseline_bare_cli"]["commands"] == 8
    assert overhead["runtime"]["events_recorded"] > latency["hooks"]
    assert {"overhead_cpu_ms_per_event", "wall_time_ratio_vs_baseline", "cpu_ratio_vs_baseline"} <= set(
        overhead
    )
    assert isinstance(report["meets_target"], bool)
