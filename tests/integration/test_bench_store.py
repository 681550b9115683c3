"""bench/store.py --quick still runs end to end and reports every figure, so the benchmark cannot rot."""

from __future__ import annotations

from tests.integration.bench_support import ROOT, quick_bench_report

BENCH = ROOT / "bench" / "store.py"


async def test_quick_bench_reports_every_figure(server_url: str) -> None:
    report = await quick_bench_report(server_url, str(BENCH))
    assert report["quick"] is True
    for figures in report["appends_events_per_s"].values():
        assert figures["o3s"] > 0
        assert figures["stock"] > 0
    assert set(report["recorder_alone_events_per_s"]) == {"100_per_call", "1000_per_call"}
    assert report["read_all"]["events"]["o3s"] == report["read_all"]["events"]["stock"] >= 5000
    assert report["follow_latency_ms"]["from_append_returned"]["samples"] == 40
    assert all(isinstance(target["met"], bool) for target in report["targets"])
