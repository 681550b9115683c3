"""Running a bench in its --quick mode against the test server and reading the JSON report it prints."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


async def quick_bench_report(server_url: str, *program: str) -> dict[str, Any]:
    """`program` follows the interpreter (a script path, or `-m` and a module); a failed run fails the test
    with the end of the bench's stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *program,
        "--quick",
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": server_url},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()[-2000:]
    report: dict[str, Any] = json.loads(out)
    return report
