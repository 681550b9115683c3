"""The Litestar app factory: routes, problem+json errors, the built SPA, and the services' lifespan."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
from litestar import Litestar, Request, Response, Router, get
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import HTTPException, NotFoundException
from litestar.openapi import OpenAPIConfig
from litestar.response import File
from litestar.static_files import create_static_files_router

from app.bootstrap import Services, open_services
from app.http.auth import write_guard
from app.http.commands import CommandController
from app.http.problems import problem_handlers
from app.logs import configure_logging
from app.runtime.backend import resolve_backend
from app.settings import Settings, load_settings
from app.stream.hub import Hub
from read_api.controllers import QueryController
from read_api.stream import stream_events

WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"
API_PREFIXES = ("/api/", "/schema", "/health", "/get_", "/list_", "/load_", "/send_")


@get("/health")
async def health(services: NamedDependency[Services]) -> dict[str, object]:
    """Liveness, the store's last position, the model backend and whether this process runs the agents."""
    runtime = services.runtime.health() if services.runtime else None
    return {
        "status": "ok",
        "position": await services.store.head(),
        "session_id": str(services.session_id) if services.session_id else None,
        "backend": runtime.backend if runtime else resolve_backend(services.settings),
        "runtime": runtime,
    }


def _services(state: State) -> Services:
    services: Services = state.services
    return services


def _pool(state: State) -> asyncpg.Pool:
    return _services(state).pool


def _hub(state: State) -> Hub:
    hub = _services(state).hub
    assert hub is not None, "the live-stream hub opens with the services"
    return hub


def _spa_or_problem(request: Request[Any, Any, Any], error: NotFoundException) -> Response[Any]:
    """Client-side routes of the SPA fall back to index.html; everything else is a problem+json 404."""
    index = WEB_DIST / "index.html"
    wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
    if wants_page and index.is_file() and not request.url.path.startswith(API_PREFIXES):
        return File(index, content_disposition_type="inline")
    answer: Response[Any] = problem_handlers()[HTTPException](request, error)
    return answer


def create_app(
    settings: Settings,
    database_url: str,
    services: Services | None = None,
    session_id: UUID | None = None,
    *,
    run_agents: bool = True,
) -> Litestar:
    """Build the app; pass `services` to reuse ones the caller owns (tests), else they open at startup.

    `run_agents=False` leaves the agent runtime out (a web-only worker, or tests of the HTTP edge).
    """

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            app.state.session_id = services.session_id
            yield
            return
        async with open_services(settings, database_url, session_id, runtime=run_agents) as opened:
            app.state.services = opened
            app.state.session_id = session_id
            yield

    # One router: Litestar's app-level registration clashes on the automatic OPTIONS handler when two
    # controllers share a path (POST and GET /api/agents); a router merges them.
    api = Router(path="/", route_handlers=[health, CommandController, QueryController, stream_events])
    route_handlers: list[Any] = [api]
    if WEB_DIST.is_dir():
        route_handlers.append(
            create_static_files_router(path="/", directories=[WEB_DIST], html_mode=True, name="spa")
        )
    return Litestar(
        route_handlers=route_handlers,
        dependencies={
            "services": Provide(_services, sync_to_thread=False),
            "pool": Provide(_pool, sync_to_thread=False),
            "hub": Provide(_hub, sync_to_thread=False),
            "working_dir": Provide(lambda: settings.cwd, sync_to_thread=False),
        },
        lifespan=[lifespan],
        openapi_config=OpenAPIConfig(title="Orchestrator 3 Stream", version="0.1.0", path="/schema"),
        request_max_body_size=1_048_576,
        guards=[write_guard(settings.token)],  # type: ignore[list-item]
        exception_handlers={**problem_handlers(), NotFoundException: _spa_or_problem},
    )


def create_app_from_env() -> Litestar:
    """Entry point for `uvicorn --factory` workers: the CLI resolved the database and session into env."""
    settings = load_settings()
    configure_logging(settings)
    session = os.environ.get("O3S_SESSION_ID")
    return create_app(settings, os.environ["DATABASE_URL"], session_id=UUID(session) if session else None)
