import { describe, expect, it } from 'vitest'
import { accept, completions, slashQuery } from './slashCompletion'

const commands = [
  { name: 'plan', description: '', argument_hint: '' },
  { name: '/build', description: '', argument_hint: '' },
  { name: 'replan', description: '', argument_hint: '' },
]

describe('slash completion', () => {
  it('completes only while the first word is being typed', () => {
    expect(slashQuery('/pl')).toBe('pl')
    expect(slashQuery('/')).toBe('')
    expect(slashQuery('/plan now')).toBeNull()
    expect(slashQuery('hello /plan')).toBeNull()
  })

  it('ranks prefix matches before inner matches', () => {
    expect(completions(commands, '/pl').map((command) => command.name)).toEqual(['plan', 'replan'])
    expect(completions(commands, '/').map((command) => command.name)).toEqual(['plan', '/build', 'replan'])
    expect(completions(commands, 'plain text')).toEqual([])
  })

  it('accepts a command as its slash form followed by a space', () => {
    expect(accept({ name: '/build', description: '', argument_hint: '' })).toBe('/build ')
    expect(accept({ name: 'plan', description: '', argument_hint: '' })).toBe('/plan ')
  })
})
