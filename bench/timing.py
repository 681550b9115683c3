"""Small measuring helpers shared by the benchmarks."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess


def percentiles_ms(seconds: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return {"p50": round(cuts[49] * 1000, 3), "p99": round(cuts[98] * 1000, 3), "samples": len(seconds)}


def ratio(value: float, baseline: float) -> float:
    return round(value / baseline, 2) if baseline else float("nan")


def machine() -> dict[str, object]:
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(
                (line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), ""
            )
    except OSError:
        model = platform.processor()
    try:
        memory = subprocess.run(["free", "-g"], capture_output=True, text=True, check=False).stdout.split()
        ram = f"{memory[memory.index('Mem:') + 1]} GiB"
    except (OSError, ValueError, IndexError):
        ram = "unknown"
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
    }
