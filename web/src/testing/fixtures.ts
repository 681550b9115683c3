/** Builders of wire rows for unit tests; each takes overrides so a test names only what it cares about. */
import type { AgentLog, AgentRow, ChatRow, EventsPage, OrchestratorRow, StateSnapshot, SystemLog, UsageDelta } from '../api/types'

export function orchestratorRow(overrides: Partial<OrchestratorRow> = {}): OrchestratorRow {
  return {
    id: 'orch-1',
    session_id: 'sess-1',
    status: 'idle',
    working_dir: '/work',
    model: 'sonnet',
    backend: 'sim',
    input_tokens: 0,
    output_tokens: 0,
    total_cost: 0,
    ...overrides,
  }
}

export function agentRow(overrides: Partial<AgentRow> = {}): AgentRow {
  return {
    id: 'agent-1',
    name: 'builder',
    model: 'sonnet',
    status: 'idle',
    system_prompt: null,
    template: null,
    working_dir: '/work',
    session_id: 'sess-1',
    input_tokens: 0,
    output_tokens: 0,
    total_cost: 0,
    latest_summary: null,
    log_count: 0,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...overrides,
  }
}

export function agentLog(overrides: Partial<AgentLog> = {}): AgentLog {
  return {
    id: 'log-1',
    agent_id: 'agent-1',
    agent_name: 'builder',
    task_slug: null,
    entry_index: 0,
    event_category: 'hook',
    event_type: 'PreToolUse',
    content: null,
    summary: null,
    payload: { tool_name: 'Read' },
    timestamp: '2025-01-01T00:00:01Z',
    ...overrides,
  }
}

export function systemLog(overrides: Partial<SystemLog> = {}): SystemLog {
  return { id: 'sys-1', level: 'INFO', message: 'started', summary: null, metadata: null, timestamp: '2025-01-01T00:00:00Z', ...overrides }
}

export function chatRow(overrides: Partial<ChatRow> = {}): ChatRow {
  return {
    id: 'chat-1',
    sender_type: 'user',
    receiver_type: 'orchestrator',
    message: 'hello',
    agent_id: null,
    metadata: null,
    created_at: '2025-01-01T00:00:00Z',
    ...overrides,
  }
}

export function stateSnapshot(overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return { position: 0, orchestrator: orchestratorRow(), agents: [], chat: [], slash_commands: [], templates: [], ...overrides }
}

export function eventsPage(overrides: Partial<EventsPage> = {}): EventsPage {
  return { position: 0, events: [], ...overrides }
}

export function usage(overrides: Partial<UsageDelta> = {}): UsageDelta {
  return { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, total_cost: 0, ...overrides }
}
