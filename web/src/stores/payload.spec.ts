import { describe, expect, it } from 'vitest'
import { agentLog } from '../testing/fixtures'
import { filesOf, toolName } from './payload'

describe('payload accessors', () => {
  it('read well-formed files and tool names', () => {
    const log = agentLog({ payload: { tool_name: 'Edit', files: { read: ['a.py'], changed: [{ path: 'b.py', diff: '+x' }] } } })
    expect(toolName(log)).toBe('Edit')
    expect(filesOf(log)).toEqual({ read: ['a.py'], changed: [{ path: 'b.py', diff: '+x' }] })
  })

  it('drop what is malformed instead of failing', () => {
    expect(toolName(agentLog({ payload: { tool_name: 42 } }))).toBeNull()
    expect(filesOf(agentLog({ payload: { files: 'nope' } }))).toBeNull()
    expect(filesOf(agentLog({ payload: { files: { read: [1, 'ok.py'], changed: [{ path: 'x' }, null] } } }))).toEqual({ read: ['ok.py'], changed: [] })
    expect(filesOf(agentLog({ payload: null }))).toBeNull()
  })
})
