"""The SPA's wire types (web/src/api/types.ts) agree with the OpenAPI document the app serves."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from app.http.app import create_app
from app.settings import Settings
from read_api.sse import WIRE_TYPES

WEB = Path(__file__).resolve().parents[2] / "web"


async def served_schema(tmp_path: Path) -> bytes:
    """`/schema/openapi.json` as the app answers it. The client is not entered, so no lifespan runs: the
    document needs no database or services."""
    app = create_app(Settings(cwd=tmp_path), "postgresql://127.0.0.1:1/not-used")
    response = await AsyncTestClient(app).get("/schema/openapi.json")
    assert response.status_code == 200, response.text
    return response.content


async def test_the_stream_route_declares_every_frame(tmp_path: Path) -> None:
    schema = json.loads(await served_schema(tmp_path))
    content = schema["paths"]["/api/stream"]["get"]["responses"]["200"]["content"]
    assert content["text/event-stream"]["schema"] == {"$ref": "#/components/schemas/StreamFrames"}
    assert set(schema["components"]["schemas"]["StreamFrames"]["properties"]) == WIRE_TYPES


async def test_the_spa_types_agree_with_the_served_schema(tmp_path: Path) -> None:
    if shutil.which("npm") is None or not (WEB / "node_modules" / "openapi-typescript").is_dir():
        pytest.fail("the SPA's tools are missing: run `make web` (npm ci in web/) first")
    document = tmp_path / "openapi.json"
    document.write_bytes(await served_schema(tmp_path))
    check = await asyncio.create_subprocess_exec(
        *("npm", "--prefix", str(WEB), "run", "--silent", "check:api", "--", "--file", str(document)),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output = (await asyncio.wait_for(check.communicate(), timeout=180))[0].decode()
    assert check.returncode == 0, output
    assert "agree with the schema" in output
