/** Checked reads of an agent log's free-form payload: agents produce it, so its shape is never trusted. */
import type { AgentLogRow, FileChange, FilesTouched } from '../api/types'

export function payloadString(log: AgentLogRow, key: string): string | null {
  const value = log.payload[key]
  return typeof value === 'string' && value !== '' ? value : null
}

export function toolName(log: AgentLogRow): string | null {
  return payloadString(log, 'tool_name')
}

const isString = (value: unknown): value is string => typeof value === 'string'

function isFileChange(value: unknown): value is FileChange {
  return typeof value === 'object' && value !== null && isString((value as FileChange).path) && isString((value as FileChange).diff)
}

/** The files a tool read and changed, or null when the payload has none (or something malformed). */
export function filesOf(log: AgentLogRow): FilesTouched | null {
  const files = log.payload['files']
  if (typeof files !== 'object' || files === null) return null
  const { read, changed } = files as Partial<Record<keyof FilesTouched, unknown>>
  const touched = {
    read: Array.isArray(read) ? read.filter(isString) : [],
    changed: Array.isArray(changed) ? changed.filter(isFileChange) : [],
  }
  return touched.read.length || touched.changed.length ? touched : null
}

export interface ResultFigures {
  cost: number
  inputTokens: number
  outputTokens: number
  durationMs: number | null
  numTurns: number | null
}

const numberOr = <T>(value: unknown, fallback: T): number | T => (typeof value === 'number' && Number.isFinite(value) ? value : fallback)

/** A finished turn's usage and timing from its `result` row's payload, or null when it carries none. */
export function resultFigures(payload: Record<string, unknown>): ResultFigures | null {
  const usage = payload['usage']
  if (typeof usage !== 'object' || usage === null) return null
  const figures = usage as Record<string, unknown>
  return {
    cost: numberOr(figures['cost_usd'], 0),
    inputTokens: numberOr(figures['input_tokens'], 0),
    outputTokens: numberOr(figures['output_tokens'], 0),
    durationMs: numberOr(payload['duration_ms'], null),
    numTurns: numberOr(payload['num_turns'], null),
  }
}
