"""One DATABASE_URL spelled for asyncpg and for SQLAlchemy, unix sockets included."""

from __future__ import annotations

import pytest

from app.eventstore.urls import asyncpg_dsn, database_name, sqlalchemy_url, with_database

SOCKET = "postgresql://postgres:@/postgres?host=/tmp/o3s/pg"


@pytest.mark.parametrize(
    ("given", "for_asyncpg", "for_sqlalchemy"),
    [
        (
            "postgresql://u:p@db:5432/o3s",
            "postgresql://u:p@db:5432/o3s",
            "postgresql+asyncpg://u:p@db:5432/o3s",
        ),
        ("postgres://u@db/o3s", "postgresql://u@db/o3s", "postgresql+asyncpg://u@db/o3s"),
        ("postgresql+asyncpg://u@db/o3s", "postgresql://u@db/o3s", "postgresql+asyncpg://u@db/o3s"),
        (SOCKET, SOCKET, "postgresql+asyncpg://postgres:@/postgres?host=/tmp/o3s/pg"),
    ],
)
def test_each_client_gets_its_spelling(given: str, for_asyncpg: str, for_sqlalchemy: str) -> None:
    assert asyncpg_dsn(given) == for_asyncpg
    assert sqlalchemy_url(given) == for_sqlalchemy


@pytest.mark.parametrize("bad", ["mysql://u@db/x", "db:5432/o3s", ""])
def test_other_urls_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a PostgreSQL URL"):
        asyncpg_dsn(bad)


def test_switching_database_keeps_the_socket() -> None:
    other = with_database(SOCKET, "bench")
    assert other == "postgresql://postgres:@/bench?host=/tmp/o3s/pg"
    assert database_name(other) == "bench"
