"""`o3s serve` as a user runs it: a real process, a real database, clean stops."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _health(port: int, deadline: float) -> dict[str, object]:
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as answer:
                body: dict[str, object] = json.load(answer)
                return body
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=REPO,
        env={**os.environ, "O3S_MODEL_BACKEND": "sim", **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "o3s"


def _postgres_running(data: Path) -> bool:
    pid_file = data / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_serves_health_with_the_store_position_and_stops_on_sigterm(database_url: str) -> None:
    port = _free_port()
    server = _serve({"DATABASE_URL": database_url}, port)
    try:
        body = _health(port, time.monotonic() + 30)
        assert body["status"] == "ok"
        assert isinstance(body["position"], int)
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=20) == 0


def test_embedded_postgres_keeps_its_data_across_restarts_and_stops_with_the_server(data_dir: Path) -> None:
    env = {"DATABASE_URL": "", "O3S_DATA_DIR": str(data_dir)}
    for signal_to_send in (signal.SIGTERM, signal.SIGINT):
        port = _free_port()
        server = _serve(env, port)
        try:
            _health(port, time.monotonic() + 60)
            assert _postgres_running(data_dir)
        finally:
            server.send_signal(signal_to_send)
            output, _ = server.communicate(timeout=30)
        assert server.returncode == 0, output
        assert not _postgres_running(data_dir), "embedded PostgreSQL outlived the server"
    assert (data_dir / "pg" / "PG_VERSION").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://postgres@127.0.0.1:1/nowhere", "cannot reach the database"),
        ("postgresql://postgres@127.0.0.1:5432/o3s_no_such_database", "refused us"),
        ("mysql://root@127.0.0.1/test", "must start with postgresql://"),
    ],
)
def test_a_bad_database_url_is_one_clear_line_and_a_nonzero_exit(url: str, expected: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(_free_port())],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--session", "not-a-uuid"], {}, "--session 'not-a-uuid' is not a session id"),
        (["--session", "00000000-0000-4000-8000-000000000000"], {}, "00000000-0000-4000-8000-000000000000"),
        ([], {"O3S_PORT": "eighty"}, "O3S_PORT='eighty' is invalid"),
        (["--host", "0.0.0.0"], {}, "O3S_TOKEN must be set"),
    ],
)
def test_bad_options_are_one_clear_line(
    args: list[str], env: dict[str, str], expected: str, database_url: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", "serve", *args],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": database_url, "O3S_TOKEN": "", **env},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
