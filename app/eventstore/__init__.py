"""The PostgreSQL event store (asyncpg): append, read, follow."""
