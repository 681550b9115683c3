/** Builders of wire rows for unit tests; each takes overrides so a test names only what it cares about. */
import type { AgentLogRow, AgentRow, ChatRow, EventsPage, OrchestratorRow, StateSnapshot, SystemLogRow, UsageDelta } from '../api/types'

const T0 = '2025-01-01T00:00:00Z'

export function orchestratorRow(overrides: Partial<OrchestratorRow> = {}): OrchestratorRow {
  return {
    id: 'orch-1',
    session_id: 'sdk-sess-1',
    system_prompt: '',
    status: 'idle',
    working_dir: '/work',
    model: 'sonnet',
    input_tokens: 0,
    output_tokens: 0,
    total_cost: 0,
    agents_cost: 0,
    budget_usd: null,
    archived: false,
    metadata: {},
    created_at: T0,
    updated_at: T0,
    position: 1,
    ...overrides,
  }
}

export function agentRow(overrides: Partial<AgentRow> = {}): AgentRow {
  return {
    id: 'agent-1',
    orchestrator_agent_id: 'orch-1',
    name: 'builder',
    model: 'sonnet',
    system_prompt: '',
    template: null,
    working_dir: '/work',
    status: 'idle',
    session_id: null,
    input_tokens: 0,
    output_tokens: 0,
    total_cost: 0,
    budget_usd: null,
    archived: false,
    latest_summary: null,
    log_count: 0,
    metadata: {},
    created_at: T0,
    updated_at: T0,
    position: 1,
    ...overrides,
  }
}

export function agentLog(overrides: Partial<AgentLogRow> = {}): AgentLogRow {
  return {
    id: 'log-1',
    agent_id: 'agent-1',
    agent_name: 'builder',
    orchestrator_agent_id: 'orch-1',
    session_id: null,
    task_slug: null,
    entry_index: 0,
    event_category: 'hook',
    event_type: 'PreToolUse',
    content: null,
    summary: null,
    payload: { tool_name: 'Read' },
    timestamp: '2025-01-01T00:00:01Z',
    position: 1,
    ...overrides,
  }
}

export function systemLog(overrides: Partial<SystemLogRow> = {}): SystemLogRow {
  return {
    id: 'sys-1',
    orchestrator_agent_id: 'orch-1',
    level: 'INFO',
    message: 'started',
    summary: null,
    metadata: {},
    timestamp: T0,
    position: 1,
    ...overrides,
  }
}

export function chatRow(overrides: Partial<ChatRow> = {}): ChatRow {
  return {
    id: 'chat-1',
    orchestrator_agent_id: 'orch-1',
    sender_type: 'user',
    receiver_type: 'orchestrator',
    message: 'hello',
    agent_id: null,
    summary: null,
    metadata: { type: 'text' },
    created_at: T0,
    position: 1,
    ...overrides,
  }
}

export function stateSnapshot(overrides: Partial<StateSnapshot> = {}): StateSnapshot {
  return { position: 0, orchestrator: orchestratorRow(), agents: [], chat: [], slash_commands: [], templates: [], ...overrides }
}

export function eventsPage(overrides: Partial<EventsPage> = {}): EventsPage {
  return { position: 0, events: [], has_more: false, ...overrides }
}

export function usage(overrides: Partial<UsageDelta> = {}): UsageDelta {
  return { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, total_cost: 0, ...overrides }
}
