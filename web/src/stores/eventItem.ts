/** Normalizes stored events into rows of the event stream and decides which rows each filter shows. */
import type { AgentLogRow, ChatRow, EventRow, SystemLogRow } from '../api/types'
import { payloadString, toolName } from './payload'

export type StreamFilter = 'combined' | 'errors' | 'performance'

/**
 * A row of the event stream. Stored rows (agent logs, chat, system logs) look the same whether they came from
 * /get_events or live; `error` rows are notices with no stored row of their own, shown only live.
 */
export type EventItem =
  | (ItemBase & { kind: 'agent_log'; log: AgentLogRow })
  | (ItemBase & { kind: 'system_log'; log: SystemLogRow })
  | (ItemBase & { kind: 'chat'; message: ChatRow })
  | (ItemBase & { kind: 'error'; message: string; level: string })

interface ItemBase {
  key: string
  /** The stored row's own kind: a hook or block name, a log level, or the chat row's metadata.type. */
  type: string
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
const FAILURE_TYPES = new Set(['PostToolUseFailure', 'failed'])
const PERFORMANCE_TYPES = new Set(['result', 'Stop', 'SubagentStop', 'PreCompact'])
const PERFORMANCE_KEYS = ['total_cost_usd', 'cost', 'duration_ms', 'usage', 'input_tokens', 'output_tokens']
const WARNING_LEVELS = new Set(['WARNING', 'WARN'])

function haystackOf(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => !!part)
    .join('\n')
    .slice(0, HAYSTACK_LIMIT)
    .toLowerCase()
}

function isErrorPayload(log: AgentLogRow): boolean {
  return log.payload['is_error'] === true || payloadString(log, 'error') !== null
}

function hasPerformanceFigures(payload: Record<string, unknown>): boolean {
  return PERFORMANCE_KEYS.some((key) => payload[key] !== undefined && payload[key] !== null)
}

export function agentLogItem(log: AgentLogRow, position: number): EventItem {
  return {
    kind: 'agent_log',
    key: `p${position}`,
    type: log.event_type,
    position,
    agentId: log.agent_id,
    timestamp: log.timestamp,
    isError: FAILURE_TYPES.has(log.event_type) || isErrorPayload(log),
    isPerformance: PERFORMANCE_TYPES.has(log.event_type) || hasPerformanceFigures(log.payload),
    haystack: haystackOf(log.agent_name, log.event_type, toolName(log), log.summary, log.content, payloadString(log, 'error')),
    log,
  }
}

export function systemLogItem(log: SystemLogRow, position: number): EventItem {
  const agentId = log.metadata['agent_id']
  return {
    kind: 'system_log',
    key: `p${position}`,
    type: log.level,
    position,
    agentId: typeof agentId === 'string' ? agentId : null,
    timestamp: log.timestamp,
    isError: ERROR_LEVELS.has(log.level.toUpperCase()),
    isPerformance: hasPerformanceFigures(log.metadata),
    haystack: haystackOf(log.level, log.summary, log.message),
    log,
  }
}

export function chatItem(message: ChatRow, position: number): EventItem {
  const type = typeof message.metadata['type'] === 'string' ? message.metadata['type'] : 'text'
  return {
    kind: 'chat',
    key: `p${position}`,
    type,
    position,
    agentId: message.agent_id,
    timestamp: message.created_at,
    isError: message.metadata['is_error'] === true,
    isPerformance: false,
    haystack: haystackOf(message.sender_type, message.receiver_type, type, message.message),
    message,
  }
}

export function errorItem(message: string, level: string, agentId: string | null, position: number, timestamp: string): EventItem {
  return {
    kind: 'error',
    key: `p${position}`,
    type: level,
    position,
    agentId,
    timestamp,
    // Budget thresholds arrive as warnings: worth seeing under Errors too, they stop agents next.
    isError: ERROR_LEVELS.has(level.toUpperCase()) || WARNING_LEVELS.has(level.toUpperCase()) || level === '',
    isPerformance: false,
    haystack: haystackOf('error', level, message),
    message,
    level,
  }
}

/** The row a stored event shows as. */
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
