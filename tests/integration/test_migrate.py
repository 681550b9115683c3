"""Migrations: several processes migrating one fresh database at once all succeed, and it ends at head."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from app.migrate import alembic_config, migrate
from tests.database import create_database, drop_database

REPO = Path(__file__).resolve().parents[2]
# Each child imports everything, says ready, and migrates only when told: the three really overlap.
MIGRATE_ON_GO = """
import asyncio, sys
from app.migrate import migrate
print("ready", flush=True)
sys.stdin.readline()
asyncio.run(migrate(sys.argv[1]))
"""


@pytest.fixture
async def fresh_database(server_url: str) -> AsyncIterator[str]:
    name = f"o3s_test_migrate_{uuid.uuid4().hex[:8]}"
    url = await create_database(server_url, name)
    yield url
    await drop_database(server_url, name)


async def migrated_revision(url: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        revision: str = await conn.fetchval("SELECT version_num FROM alembic_version")
        assert await conn.fetchval("SELECT to_regclass('events') IS NOT NULL")
    finally:
        await conn.close()
    return revision


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def test_three_processes_migrating_at_once(fresh_database: str, tmp_path: Path) -> None:
    # Run from an unrelated cwd: the alembic config must be found relative to the package.
    pipe = asyncio.subprocess.PIPE
    processes = [
        await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", MIGRATE_ON_GO, fresh_database),
            cwd=tmp_path,
            env={"PYTHONPATH": str(REPO)},
            stdin=pipe,
            stdout=pipe,
            stderr=pipe,
        )
        for _ in range(3)
    ]
    for process in processes:
        assert process.stdout is not None
        assert await process.stdout.readline() == b"ready\n"
    results = await asyncio.gather(*(process.communicate(b"go\n") for process in processes))
    assert [process.returncode for process in processes] == [0, 0, 0], [err.decode() for _, err in results]
    assert await migrated_revision(fresh_database) == head_revision()


async def test_concurrent_migrations_in_one_process(fresh_database: str) -> None:
    await asyncio.gather(*(migrate(fresh_database) for _ in range(3)))
    assert await migrated_revision(fresh_database) == head_revision()


async def test_migrating_again_changes_nothing(database_url: str) -> None:
    await migrate(database_url)
    assert await migrated_revision(database_url) == head_revision()
