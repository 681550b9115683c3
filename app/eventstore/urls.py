"""One DATABASE_URL, spelled for each client: asyncpg's DSN and SQLAlchemy's async URL."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_SCHEMES = ("postgresql", "postgres")


def _split(url: str) -> tuple[str, str]:
    scheme, separator, rest = url.partition("://")
    base = scheme.split("+", 1)[0]
    if not separator or base not in _SCHEMES:
        raise ValueError(f"not a PostgreSQL URL (expected postgresql://...): {scheme or url!r}")
    return base, rest


def asyncpg_dsn(url: str) -> str:
    """asyncpg wants no driver suffix; unix sockets (`?host=/dir`) pass through as they are."""
    _, rest = _split(url)
    return f"postgresql://{rest}"


def sqlalchemy_url(url: str) -> str:
    """SQLAlchemy's asyncpg dialect reads the same `?host=/dir` query for unix sockets."""
    _, rest = _split(url)
    return f"postgresql+asyncpg://{rest}"


def database_name(url: str) -> str:
    return urlsplit(asyncpg_dsn(url)).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    """The same server and credentials, another database."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
