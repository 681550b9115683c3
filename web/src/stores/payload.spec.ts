import { describe, expect, it } from 'vitest'
import { agentLog } from '../testing/fixtures'
import { filesOf, resultFigures, toolName } from './payload'

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
    expect(filesOf(agentLog({ payload: {} }))).toBeNull()
  })

  it('read a result row\'s usage and timing, and nothing from a row without usage', () => {
    const payload = { usage: { cost_usd: 0.5, input_tokens: 10, output_tokens: 'x' }, duration_ms: 900, num_turns: 2, is_error: false }
    expect(resultFigures(payload)).toEqual({ cost: 0.5, inputTokens: 10, outputTokens: 0, durationMs: 900, numTurns: 2 })
    expect(resultFigures({ tool_name: 'Read' })).toBeNull()
  })
})
