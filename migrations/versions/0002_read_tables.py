"""Read tables of the projections (original schema, extended), their private lookups, and checkpoints.

No foreign keys between read tables: each projector rebuilds and swaps its tables on its own. Columns
must match the row Structs in projections/ (tests/integration/test_projection_schema.py checks it).
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = [
    """CREATE TABLE projection_checkpoints (
    name text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0,
    stopped_at bigint,
    error text,
    updated_at timestamptz NOT NULL DEFAULT now()
)""",
    """CREATE TABLE orchestrator_agents (
    id uuid PRIMARY KEY,
    session_id text,
    system_prompt text NOT NULL,
    status text NOT NULL,
    working_dir text NOT NULL,
    model text NOT NULL,
    input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    total_cost double precision NOT NULL,
    agents_cost double precision NOT NULL,
    budget_usd double precision,
    archived boolean NOT NULL,
    metadata jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
)""",
    """CREATE TABLE agents (
    id uuid PRIMARY KEY,
    orchestrator_agent_id uuid NOT NULL,
    name text NOT NULL,
    model text NOT NULL,
    system_prompt text NOT NULL,
    template text,
    working_dir text NOT NULL,
    status text NOT NULL,
    session_id text,
    input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    total_cost double precision NOT NULL,
    budget_usd double precision,
    archived boolean NOT NULL,
    latest_summary text,
    log_count bigint NOT NULL,
    metadata jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    position bigint NOT NULL
)""",
    "CREATE INDEX agents_orchestrator_agent_id_idx ON agents (orchestrator_agent_id, created_at)",
    """CREATE TABLE agent_logs (
    id uuid PRIMARY KEY,
    agent_id uuid NOT NULL,
    agent_name text NOT NULL,
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
    """CREATE TABLE agent_log_agents (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    session_id text,
    position bigint NOT NULL
)""",
    """CREATE TABLE agent_log_commands (
    id uuid PRIMARY KEY,
    task_slug text NOT NULL,
    position bigint NOT NULL
)""",
    """CREATE TABLE orchestrator_chat (
    id uuid PRIMARY KEY,
    orchestrator_agent_id uuid NOT NULL,
    sender_type text NOT NULL,
    receiver_type text NOT NULL,
    message text NOT NULL,
    agent_id uuid,
    summary text,
    metadata jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    position bigint NOT NULL
)""",
    "CREATE INDEX orchestrator_chat_position_idx ON orchestrator_chat (position)",
    "CREATE INDEX orchestrator_chat_session_idx ON orchestrator_chat (orchestrator_agent_id, position)",
    """CREATE TABLE system_logs (
    id uuid PRIMARY KEY,
    orchestrator_agent_id uuid,
    level text NOT NULL,
    message text NOT NULL,
    summary text,
    metadata jsonb NOT NULL,
    timestamp timestamptz NOT NULL,
    position bigint NOT NULL
)""",
    "CREATE INDEX system_logs_position_idx ON system_logs (position)",
    """CREATE TABLE system_log_agents (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    orchestrator_agent_id uuid NOT NULL,
    position bigint NOT NULL
)""",
    """CREATE TABLE prompts (
    id uuid PRIMARY KEY,
    agent_id uuid NOT NULL,
    task_slug text NOT NULL,
    author text NOT NULL,
    prompt_text text NOT NULL,
    summary text,
    state text NOT NULL,
    input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    cost double precision NOT NULL,
    timestamp timestamptz NOT NULL,
    finished_at timestamptz,
    position bigint NOT NULL
)""",
    "CREATE INDEX prompts_agent_id_idx ON prompts (agent_id, position)",
    """CREATE TABLE cost_rollup (
    day date NOT NULL,
    agent_id uuid NOT NULL,
    model text NOT NULL,
    orchestrator_agent_id uuid NOT NULL,
    agent_name text NOT NULL,
    input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    cache_read_input_tokens bigint NOT NULL,
    cache_creation_input_tokens bigint NOT NULL,
    cost_usd double precision NOT NULL,
    calls bigint NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (day, agent_id, model)
)""",
    "CREATE INDEX cost_rollup_session_idx ON cost_rollup (orchestrator_agent_id, day)",
    """CREATE TABLE cost_rollup_spenders (
    id uuid PRIMARY KEY,
    orchestrator_agent_id uuid NOT NULL,
    name text NOT NULL,
    model text NOT NULL,
    position bigint NOT NULL
)""",
]

DROPPED = [
    "cost_rollup_spenders",
    "cost_rollup",
    "prompts",
    "system_log_agents",
    "system_logs",
    "orchestrator_chat",
    "agent_log_commands",
    "agent_log_agents",
    "agent_logs",
    "agents",
    "orchestrator_agents",
    "projection_checkpoints",
]


def upgrade() -> None:
    # asyncpg prepares each statement, so one SQL command per op.execute.
    for statement in TABLES:
        op.execute(statement)


def downgrade() -> None:
    for table in DROPPED:
        op.execute(f"DROP TABLE {table}")
