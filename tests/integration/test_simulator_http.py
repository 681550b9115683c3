"""The simulator over plain HTTP: the `/_sim/` control API, fault shapes, and non-streaming answers."""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.runtime.simulator import Simulator, run_simulator
from tests.unit.sim_requests import WORKER_TOOLS, request_body

pytestmark = pytest.mark.timeout(30)


@pytest.fixture(scope="module")
async def sim() -> AsyncIterator[Simulator]:
    async with run_simulator() as simulator:
        yield simulator


@pytest.fixture
async def http(sim: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sim.base_url, timeout=httpx.Timeout(5, read=1)) as client:
        await client.delete("/_sim/faults")
        yield client


def worker_request(prompt: str, *, stream: bool = True) -> dict[str, Any]:
    return request_body(prompt, WORKER_TOOLS) | {"stream": stream}


async def test_a_non_streaming_request_gets_one_json_message(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/v1/messages?beta=true", json=worker_request("write a.txt containing x", stream=False)
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    message = response.json()
    assert message["stop_reason"] == "tool_use"
    assert message["content"][0]["input"] == {"file_path": "/work/here/a.txt", "content": "x"}


async def test_a_streaming_request_gets_server_sent_events(http: httpx.AsyncClient) -> None:
    response = await http.post("/v1/messages", json=worker_request("hello"))

    assert response.headers["content-type"] == "text/event-stream"
    names = [
        line.removeprefix("event: ") for line in response.text.splitlines() if line.startswith("event: ")
    ]
    assert names[0] == "message_start"
    assert names[-2:] == ["message_delta", "message_stop"]
    assert "text_delta" in response.text


async def test_faults_injected_over_http_hit_the_next_requests_of_their_role(
    sim: Simulator, http: httpx.AsyncClient
) -> None:
    injected = await http.post("/_sim/faults", json={"kind": "rate_limited", "count": 2, "role": "worker"})
    assert injected.json() == [{"kind": "rate_limited", "remaining": 2, "role": "worker"}]

    statuses = [(await http.post("/v1/messages", json=worker_request("hello"))).status_code for _ in range(3)]
    summary = await http.post("/v1/messages", json=request_body("Summarize: x", []))

    assert statuses == [429, 429, 200]
    assert summary.status_code == 200
    assert (await http.get("/_sim/faults")).json() == []
    logged = (await http.get("/_sim/requests")).json()
    assert [entry["outcome"] for entry in logged[-4:]] == ["rate_limited", "rate_limited", "stream", "stream"]
    assert logged[-1]["role"] == "summary"
    assert "tools" not in logged[-1]["body"]


async def test_an_error_body_follows_the_api_shape(sim: Simulator, http: httpx.AsyncClient) -> None:
    sim.inject_fault("overloaded")

    response = await http.post("/v1/messages", json=worker_request("hello"))

    assert response.status_code == 529
    assert response.json()["error"]["type"] == "overloaded_error"


async def test_a_stall_sends_the_start_then_nothing(sim: Simulator, http: httpx.AsyncClient) -> None:
    sim.inject_fault("stall")
    received = await read_until_timeout(http, worker_request("hello"))

    assert b"event: message_start" in received
    assert b"content_block" not in received


async def read_until_timeout(http: httpx.AsyncClient, body: dict[str, Any]) -> bytes:
    received = bytearray()
    try:
        async with http.stream("POST", "/v1/messages", json=body) as response:
            async for chunk in response.aiter_bytes():
                received += chunk
    except httpx.ReadTimeout:
        return bytes(received)
    raise AssertionError("the stream ended instead of stalling")


async def test_a_hang_sends_no_response_at_all(sim: Simulator, http: httpx.AsyncClient) -> None:
    sim.inject_fault("hang")

    with pytest.raises(httpx.ReadTimeout):
        await http.post("/v1/messages", json=worker_request("hello"))


async def test_a_malformed_stream_carries_a_frame_that_is_not_json(
    sim: Simulator, http: httpx.AsyncClient
) -> None:
    sim.inject_fault("malformed")

    response = await http.post("/v1/messages", json=worker_request("hello"))

    data = [line.removeprefix("data: ") for line in response.text.splitlines() if line.startswith("data: ")]
    with pytest.raises(json.JSONDecodeError):
        json.loads(data[0])


async def test_a_trigger_phrase_fails_only_the_request_that_starts_with_it(http: httpx.AsyncClient) -> None:
    failing = await http.post("/v1/messages", json=worker_request("simulate a server error"))
    fine = await http.post("/v1/messages", json=worker_request("please simulate a server error"))

    assert failing.status_code == 500
    assert fine.status_code == 200


async def test_bad_control_requests_and_unknown_paths_are_refused(http: httpx.AsyncClient) -> None:
    assert (await http.post("/_sim/faults", json={"kind": "explode"})).status_code == 400
    assert (await http.post("/_sim/faults", json={"kind": "hang", "count": 0})).status_code == 400
    assert (await http.get("/v1/models")).status_code == 404
    assert (await http.head("/api/hello")).status_code == 200
    scenarios = (await http.get("/_sim/scenarios")).json()
    assert "write hello.txt containing hi" in scenarios["worker"]


async def test_serve_simulator_serves_another_process() -> None:
    port = free_port()
    code = f"from app.runtime.simulator import serve_simulator; serve_simulator(port={port})"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=Path(__file__).parents[2], stderr=asyncio.subprocess.DEVNULL
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as http:
            await wait_until_serving(http)
            await http.post("/_sim/faults", json={"kind": "server_error"})

            failed = await http.post("/v1/messages", json=worker_request("hello", stream=False))
            answered = await http.post("/v1/messages", json=worker_request("hello", stream=False))

            assert failed.status_code == 500
            assert answered.json()["content"][0]["text"].startswith("Hello!")
    finally:
        process.terminate()
        await process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def wait_until_serving(http: httpx.AsyncClient) -> None:
    for _ in range(200):
        try:
            await http.get("/health")
        except httpx.TransportError:
            await asyncio.sleep(0.05)
        else:
            return
    raise AssertionError("the simulator process did not start")


async def test_a_broken_scenario_answers_a_500_that_names_the_problem(tmp_path: Path) -> None:
    (tmp_path / "count.yaml").write_text(
        "role: worker\nrules:\n  - {match: 'show (?P<n>\\w+) lines', tool: Read, input: {limit: '{n:int}'}}\n"
    )
    async with run_simulator(scenarios_dir=tmp_path) as sim, httpx.AsyncClient(base_url=sim.base_url) as http:
        response = await http.post("/v1/messages", json=worker_request("show five lines"))

    assert response.status_code == 500
    assert "scenario error" in response.json()["error"]["message"]
    assert sim.requests[-1].outcome == "scenario_error"
