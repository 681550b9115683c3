"""The event store targets from issue 3, checked against a bench/store.py report."""

from __future__ import annotations

from typing import Any


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    appended, recorded = results["appends_events_per_s"], results["recorder_alone_events_per_s"]
    # From the append call: an upper bound on commit -> iterator, since the commit happens inside the call.
    read, followed = results["read_all"], results["follow_latency_ms"]["from_append_call"]
    checks = [
        *(
            (f"domain appends {name} >= 2x stock", figures["ratio"], 2.0)
            for name, figures in appended.items()
        ),
        ("domain appends, 1 per command, 1 writer >= 2k/s", appended["1_per_command_1_writers"]["o3s"], 2000),
        (
            "domain appends, 100 per command, 1 writer >= 30k/s",
            appended["100_per_command_1_writers"]["o3s"],
            30_000,
        ),
        (
            "recorder 1000/call >= 60% of raw COPY (locked)",
            recorded["1000_per_call"]["ratio_vs_copy_locked"],
            0.6,
        ),
        ("read-all raw >= 300k rows/s", read["raw_rows_per_s"]["o3s"], 300_000),
        ("read-all decoded >= 150k events/s", read["decoded_events_per_s"]["o3s"], 150_000),
    ]
    listed = [
        {"target": name, "value": value, "at_least": floor, "met": value >= floor}
        for name, value, floor in checks
    ]
    p99 = followed["p99"]
    listed.append({"target": "follow p99 < 10 ms", "value": p99, "below": 10.0, "met": p99 < 10.0})
    return listed
