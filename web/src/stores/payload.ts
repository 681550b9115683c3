/** Checked reads of an agent log's free-form payload: agents produce it, so its shape is never trusted. */
import type { AgentLog, FileChange, FilesTouched } from '../api/types'

export function payloadString(log: AgentLog, key: string): string | null {
  const value = log.payload?.[key]
  return typeof value === 'string' && value !== '' ? value : null
}

export function toolName(log: AgentLog): string | null {
  return payloadString(log, 'tool_name')
}

const isString = (value: unknown): value is string => typeof value === 'string'

function isFileChange(value: unknown): value is FileChange {
  return typeof value === 'object' && value !== null && isString((value as FileChange).path) && isString((value as FileChange).diff)
}

/** The files a tool read and changed, or null when the payload has none (or something malformed). */
export function filesOf(log: AgentLog): FilesTouched | null {
  const files = log.payload?.['files']
  if (typeof files !== 'object' || files === null) return null
  const { read, changed } = files as Partial<Record<keyof FilesTouched, unknown>>
  const touched = {
    read: Array.isArray(read) ? read.filter(isString) : [],
    changed: Array.isArray(changed) ? changed.filter(isFileChange) : [],
  }
  return touched.read.length || touched.changed.length ? touched : null
}
