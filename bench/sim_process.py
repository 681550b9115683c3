"""The offline model server in its own process, so a benchmark's process does only the work it measures."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import socket
import time
from collections.abc import Iterator

from app.runtime.simulator import serve_simulator


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _serve(port: int) -> None:
    # The benchmark's stdout is its JSON: the server's access log goes nowhere.
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    # It stands for a remote service: here it must not take the CPU from the process being measured.
    os.nice(10)
    serve_simulator("127.0.0.1", port, chunk_delay=0.0)


def _wait_listening(process: multiprocessing.process.BaseProcess, port: int) -> None:
    for _ in range(300):
        if not process.is_alive():
            raise RuntimeError(f"the simulator process ended (exit code {process.exitcode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.1):
            return
        time.sleep(0.05)
    raise RuntimeError(f"the simulator never listened on port {port}")


@contextlib.contextmanager
def simulator_process() -> Iterator[str]:
    """Yields the base URL of a `sim` running in a child process; stops it at the end."""
    port = _free_port()
    process = multiprocessing.get_context("spawn").Process(target=_serve, args=(port,), daemon=True)
    process.start()
    try:
        _wait_listening(process, port)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.join(10)
