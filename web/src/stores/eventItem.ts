/** Normalizes stored events into rows of the event stream and decides which rows each filter shows. */
import type { AgentLog, AgentUpdatedFrame, ChatRow, EventRow, SystemLog, UsageDelta } from '../api/types'
import { payloadString, toolName } from './payload'

export type StreamFilter = 'combined' | 'errors' | 'performance'

export type EventItem =
  | (ItemBase & { kind: 'agent_log'; log: AgentLog })
  | (ItemBase & { kind: 'system_log'; log: SystemLog })
  | (ItemBase & { kind: 'chat'; message: ChatRow })
  | (ItemBase & { kind: 'error'; message: string; level: string })
  | (ItemBase & { kind: 'turn'; who: string; turn: FinishedTurn })

/** A finished turn of an agent or the orchestrator: what it cost and how long it took. */
export interface FinishedTurn {
  delta: UsageDelta
  durationMs: number | null
  numTurns: number | null
  isError: boolean
}

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
const WARNING_LEVELS = new Set(['WARNING', 'WARN'])

function haystackOf(...parts: (string | null | undefined)[]): string {
  return parts
    .filter((part): part is string => !!part)
    .join('\n')
    .slice(0, HAYSTACK_LIMIT)
    .toLowerCase()
}

function isErrorPayload(log: AgentLog): boolean {
  return log.payload?.['is_error'] === true || payloadString(log, 'error') !== null
}

function hasPerformanceFigures(payload: Record<string, unknown> | null): boolean {
  return !!payload && PERFORMANCE_KEYS.some((key) => payload[key] !== undefined && payload[key] !== null)
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
    haystack: haystackOf(log.agent_name, log.event_type, toolName(log), log.summary, log.content, payloadString(log, 'error')),
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
    isPerformance: hasPerformanceFigures(log.metadata),
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

export function errorItem(message: string, level: string, agentId: string | null, position: number, timestamp: string): EventItem {
  return {
    kind: 'error',
    key: `p${position}`,
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

export function turnItem(who: string, agentId: string | null, turn: FinishedTurn, position: number, timestamp: string): EventItem {
  return {
    kind: 'turn',
    key: `p${position}`,
    position,
    agentId,
    timestamp,
    isError: turn.isError,
    isPerformance: true,
    haystack: haystackOf(who, 'turn finished', turn.isError ? 'error' : null),
    who,
    turn,
  }
}

/** The row a stored event shows as, or null for one the stream panel does not show. */
export function itemOfRow(row: EventRow): EventItem | null {
  switch (row.type) {
    case 'agent_log':
      return agentLogItem(row.log, row.position)
    case 'system_log':
      return systemLogItem(row.log, row.position)
    case 'orchestrator_chat':
      return chatItem(row.message, row.position)
    case 'agent_updated':
      return turnItem(row.name ?? row.agent_id, row.agent_id, turnOf(row), row.position, '')
    case 'orchestrator_updated':
      return row.delta ? turnItem('orchestrator', null, { delta: row.delta, durationMs: null, numTurns: null, isError: false }, row.position, '') : null
    case 'error':
      return errorItem(row.message, row.level, row.agent_id, row.position, '')
  }
}

export function turnOf(frame: AgentUpdatedFrame): FinishedTurn {
  return { delta: frame.delta, durationMs: frame.duration_ms, numTurns: frame.num_turns, isError: frame.is_error }
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
