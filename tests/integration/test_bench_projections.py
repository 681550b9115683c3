"""bench/projections.py --quick still runs end to end and reports every figure, so it cannot rot."""

from __future__ import annotations

from tests.integration.bench_support import quick_bench_report


async def test_quick_projection_bench_reports_every_figure(server_url: str) -> None:
    report = await quick_bench_report(server_url, "-m", "bench.projections")
    assert report["quick"] is True
    assert report["history"]["events"] == 5000
    for figure in ("read_all_rows_per_s", "read_and_decode_events_per_s", "in_memory_fold_events_per_s"):
        assert report["baselines"][figure] > 0
    for section in ("rebuild_all", "rebuild_all_cli", "rebuild_agents_only", "runner_catch_up"):
        assert report[section]["events_per_s"] > 0
    assert sum(report["rebuild_all"]["rows"].values()) > 0
    assert set(report["targets"]) == {"rebuild_events_per_s", "rebuild_met", "rebuild_cli_met"}
