"""bench/stream.py --quick still runs end to end and reports every figure, so the benchmark cannot rot."""

from __future__ import annotations

from tests.integration.bench_support import ROOT, quick_bench_report

BENCH = ROOT / "bench" / "stream.py"


async def test_quick_stream_bench_reports_every_figure(server_url: str) -> None:
    report = await quick_bench_report(server_url, str(BENCH))
    assert [baseline["rate"] for baseline in report["follow_baseline"]] == [200]
    assert report["follow_baseline"][0]["samples"] > 0
    replay = report["replay"]
    assert replay["frames"] == replay["events"] > 3_000
    assert replay["sse_client_per_s"] > 0
    assert [(run["clients"], run["rate"]) for run in report["latency"]] == [(1, 200), (20, 200)]
    for run in report["latency"]:
        assert run["clients_complete"] == run["clients"]
        assert run["clients_dropped"] == 0
        assert run["samples"] > 0
        assert 0 < run["p50_ms"] <= run["p99_ms"] <= run["max_ms"]
        assert run["cpu_cores_used"]["server"] > 0
