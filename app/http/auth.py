"""Token auth for writes: required whenever the server is reachable beyond loopback."""

from __future__ import annotations

import hmac
import ipaddress

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from app.settings import Settings

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRequired(ValueError):
    """Binding beyond loopback without O3S_TOKEN would let anyone on the network command agents."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_exposure(settings: Settings, host: str) -> None:
    if not is_loopback(host) and not settings.token:
        raise TokenRequired(f"O3S_TOKEN must be set to serve on {host}, which is reachable beyond loopback")


def write_guard(token: str | None) -> object:
    """A Litestar guard: unsafe methods need `Authorization: Bearer <token>` when a token is configured."""

    def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:  # type: ignore[type-arg]
        if token is None or connection.scope.get("method", "GET") in SAFE_METHODS:
            return
        given = connection.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise NotAuthorizedException(
                detail="this server needs a valid bearer token for writes (O3S_TOKEN)"
            )

    return guard
