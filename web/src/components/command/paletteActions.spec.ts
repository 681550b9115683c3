import { describe, expect, it } from 'vitest'
import { agentRow } from '../../testing/fixtures'
import { filterActions, paletteActions } from './paletteActions'

describe('palette actions', () => {
  const actions = paletteActions([agentRow({ name: 'builder', status: 'executing' }), agentRow({ id: 'b', name: 'tester', status: 'idle' })])

  it('offers interrupt only for agents at work', () => {
    expect(actions.map((action) => action.id)).toEqual([
      'create',
      'command:builder',
      'interrupt:builder',
      'delete:builder',
      'command:tester',
      'delete:tester',
      'token',
    ])
  })

  it('matches every typed word anywhere in the label', () => {
    expect(filterActions(actions, 'del build').map((action) => action.id)).toEqual(['delete:builder'])
    expect(filterActions(actions, '  ')).toHaveLength(actions.length)
    expect(filterActions(actions, 'nothing')).toEqual([])
  })
})
