"""agent_logs rows name their orchestrator session, for session-scoped event pages.

Read tables are derived: rather than back-fill, the migration recreates the projector's tables empty and
moves its checkpoint back to 0, so the runner projects them again from the store.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STATEMENTS = [
    "DROP TABLE agent_logs",
    "DROP TABLE agent_log_agents",
    "TRUNCATE agent_log_commands",
    """CREATE TABLE agent_logs (
    id uuid PRIMARY KEY,
    agent_id uuid NOT NULL,
    agent_name text NOT NULL,
    orchestrator_agent_id uuid NOT NULL,
    session_id text,
    task_slug text,
    entry_index bigint NOT NULL,
    event_category text NOT NULL,
    event_type text NOT NULL,
    content text,
    summary text,
    payload jsonb NOT NULL,
    timestamp timestamptz NOT NULL,
    position bigint NOT NULL
)""",
    "CREATE INDEX agent_logs_position_idx ON agent_logs (position)",
    "CREATE INDEX agent_logs_agent_id_idx ON agent_logs (agent_id, position)",
    "CREATE INDEX agent_logs_session_idx ON agent_logs (orchestrator_agent_id, position)",
    """CREATE TABLE agent_log_agents (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    orchestrator_agent_id uuid NOT NULL,
    session_id text,
    position bigint NOT NULL
)""",
    "CREATE INDEX system_logs_session_idx ON system_logs (orchestrator_agent_id, position)",
    """UPDATE projection_checkpoints SET position = 0, stopped_at = NULL, error = NULL
    WHERE name = 'agent_logs'""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX system_logs_session_idx")
    op.execute("DROP INDEX agent_logs_session_idx")
    op.execute("ALTER TABLE agent_logs DROP COLUMN orchestrator_agent_id")
    op.execute("ALTER TABLE agent_log_agents DROP COLUMN orchestrator_agent_id")
