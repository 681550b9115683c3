/** Normalizes stored events into rows of the event stream and decides which rows each filter shows. */
import type { AgentLog, ChatRow, EventRow, JsonValue, SystemLog } from '../api/types'

export type StreamFilter = 'combined' | 'errors' | 'performance'

export type EventItem =
  | (ItemBase & { kind: 'agent_log'; log: AgentLog })
  | (ItemBase & { kind: 'system_log'; log: SystemLog })
  | (ItemBase & { kind: 'chat'; message: ChatRow })
  | (ItemBase & { kind: 'error'; message: string })

interface ItemBase {
  key: string
  position: number
  agentId: string | null
  timestamp: string
  isError: boolean
  isPerformance: boolean
  /** Lower-cased text the search box matches against, capped so 100k rows stay light. */
  haystack: string
}

const HAYSTACK_LIMIT = 4000
const ERROR_LEVELS = new Set(['ERROR', 'CRITICAL'])
const FAILURE_TYPES = new Set(['PostToolUseFailure'])
const PERFORMANCE_TYPES = new Set(['result', 'Stop', 'SubagentStop', 'PreCompact'])
const PERFORMANCE_KEYS = ['total_cost_usd', 'cost', 'duration_ms', 'usage', 'input_tokens', 'output_tokens']

function haystackOf(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => !!part)
    .join('\n')
    .slice(0, HAYSTACK_LIMIT)
    .toLowerCase()
}

function isErrorPayload(log: AgentLog): boolean {
  const payload = log.payload
  if (!payload) return false
  return payload['is_error'] === true || (typeof payload['error'] === 'string' && payload['error'] !== '')
}

function hasPerformanceFigures(payload: AgentLog['payload']): boolean {
  return !!payload && PERFORMANCE_KEYS.some((key) => payload[key] !== undefined && payload[key] !== null)
}

function toolName(log: AgentLog): string | null {
  const name = log.payload?.tool_name
  return typeof name === 'string' ? name : null
}

export function agentLogItem(log: AgentLog, position: number): EventItem {
  return {
    kind: 'agent_log',
    key: `p${position}`,
    position,
    agentId: log.agent_id,
    timestamp: log.timestamp,
    isError: FAILURE_TYPES.has(log.event_type) || isErrorPayload(log),
    isPerformance: PERFORMANCE_TYPES.has(log.event_type) || hasPerformanceFigures(log.payload),
    haystack: haystackOf(log.agent_name, log.event_type, toolName(log), log.summary, log.content),
    log,
  }
}

export function systemLogItem(log: SystemLog, position: number): EventItem {
  const agentId = log.metadata?.['agent_id']
  return {
    kind: 'system_log',
    key: `p${position}`,
    position,
    agentId: typeof agentId === 'string' ? agentId : null,
    timestamp: log.timestamp,
    isError: ERROR_LEVELS.has(log.level.toUpperCase()),
    isPerformance: hasPerformanceFigures(log.metadata as Record<string, JsonValue> | null),
    haystack: haystackOf(log.level, log.summary, log.message),
    log,
  }
}

export function chatItem(message: ChatRow, position: number): EventItem {
  return {
    kind: 'chat',
    key: `p${position}`,
    position,
    agentId: message.agent_id,
    timestamp: message.created_at,
    isError: false,
    isPerformance: false,
    haystack: haystackOf(message.sender_type, message.message),
    message,
  }
}

export function errorItem(message: string, position: number, timestamp: string): EventItem {
  return {
    kind: 'error',
    key: `p${position}`,
    position,
    agentId: null,
    timestamp,
    isError: true,
    isPerformance: false,
    haystack: haystackOf('error', message),
    message,
  }
}

export function itemOfRow(row: EventRow): EventItem {
  switch (row.type) {
    case 'agent_log':
      return agentLogItem(row.log, row.position)
    case 'system_log':
      return systemLogItem(row.log, row.position)
    case 'orchestrator_chat':
      return chatItem(row.message, row.position)
  }
}

export interface FilterState {
  mode: StreamFilter
  agentId: string | null
  text: string
}

export function matcher(filter: FilterState): (item: EventItem) => boolean {
  const needle = filter.text.trim().toLowerCase()
  const { mode, agentId } = filter
  return (item) =>
    (mode === 'combined' || (mode === 'errors' ? item.isError : item.isPerformance)) &&
    (agentId === null || item.agentId === agentId) &&
    (needle === '' || item.haystack.includes(needle))
}
