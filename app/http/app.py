"""The Litestar app factory: routes, problem+json errors, the built SPA, and the services' lifespan."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router

from app.bootstrap import Services, open_services
from app.http.auth import write_guard
from app.http.commands import CommandController
from app.http.problems import problem_handlers
from app.logs import configure_logging
from app.settings import Settings, load_settings

WEB_DIST = Path(__file__).resolve().parents[2] / "web" / "dist"


@get("/health", sync_to_thread=False)
async def health(services: Services) -> dict[str, object]:
    """Liveness plus the store's last position, so a client can tell how far the server has come."""
    return {
        "status": "ok",
        "position": await services.store.head(),
        "backend": services.settings.model_backend,
    }


def _provide_services(state: State) -> Services:
    services: Services = state.services
    return services


def create_app(settings: Settings, database_url: str, services: Services | None = None) -> Litestar:
    """Build the app; pass `services` to reuse ones the caller owns (tests), else they open at startup."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        if services is not None:
            app.state.services = services
            yield
            return
        async with open_services(settings, database_url) as opened:
            app.state.services = opened
            yield

    route_handlers: list[object] = [health, CommandController]
    if WEB_DIST.is_dir():
        route_handlers.append(
            create_static_files_router(path="/", directories=[WEB_DIST], html_mode=True, name="spa")
        )
    return Litestar(
        route_handlers=route_handlers,  # type: ignore[arg-type]
        dependencies={"services": Provide(_provide_services, sync_to_thread=False)},
        lifespan=[lifespan],
        openapi_config=OpenAPIConfig(title="Orchestrator 3 Stream", version="0.1.0", path="/schema"),
        request_max_body_size=1_048_576,
        guards=[write_guard(settings.token)],  # type: ignore[list-item]
        exception_handlers=problem_handlers(),
    )


def create_app_from_env() -> Litestar:
    """Entry point for `uvicorn --factory` workers: the CLI resolved the database into the environment."""
    settings = load_settings()
    configure_logging(settings)
    return create_app(settings, os.environ["DATABASE_URL"])
