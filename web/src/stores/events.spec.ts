import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { agentLogItem, systemLogItem } from './eventItem'
import { agentLog, chatRow, eventsPage, systemLog } from '../testing/fixtures'
import { MAX_ROWS, useEventsStore } from './events'

describe('events store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('filters by agent and text, and keeps filtering rows that arrive later', async () => {
    const events = useEventsStore()
    events.loadSnapshot(eventsPage())
    events.append([
      agentLogItem(agentLog({ agent_id: 'a', content: 'Reading README.md' }), 1),
      agentLogItem(agentLog({ agent_id: 'b', content: 'Reading README.md' }), 2),
      systemLogItem(systemLog({ message: 'readme indexed' }), 3),
    ])
    events.setAgent('a')
    events.setText('readme')
    await nextTick()
    expect(events.visible.map((row) => row.position)).toEqual([1])
    events.append([agentLogItem(agentLog({ agent_id: 'a', content: 'README again' }), 4), agentLogItem(agentLog({ agent_id: 'a', content: 'other' }), 5)])
    expect(events.visible.map((row) => row.position)).toEqual([1, 4])
    events.setAgent(null)
    await nextTick()
    expect(events.visible.map((row) => row.position)).toEqual([1, 2, 3, 4])
  })

  it('matches the tool name of hook events and the performance filter on results', async () => {
    const events = useEventsStore()
    events.append([
      agentLogItem(agentLog({ payload: { tool_name: 'Bash' } }), 1),
      agentLogItem(agentLog({ event_type: 'result', event_category: 'response', payload: { usage: { cost_usd: 0.01 } } }), 2),
    ])
    events.setText('bash')
    await nextTick()
    expect(events.visible.map((row) => row.position)).toEqual([1])
    events.setText('')
    events.setMode('performance')
    await nextTick()
    expect(events.visible.map((row) => row.position)).toEqual([2])
  })

  it('shows the snapshot page in position order, and summaries that come later for rows it shows', () => {
    const events = useEventsStore()
    events.loadSnapshot(
      eventsPage({
        position: 9,
        events: [
          { type: 'orchestrator_chat', position: 7, message: chatRow({ metadata: { type: 'tool_result', is_error: true } }) },
          { type: 'agent_log', position: 3, log: agentLog({ id: 'l3', event_type: 'failed', event_category: 'response' }) },
          { type: 'system_log', position: 4, log: systemLog() },
        ],
      }),
    )
    expect(events.rows.map((row) => [row.position, row.kind, row.type, row.isError])).toEqual([
      [3, 'agent_log', 'failed', true],
      [4, 'system_log', 'INFO', false],
      [7, 'chat', 'tool_result', true],
    ])
    events.setSummary('l3', 'stale: in the snapshot already', 9)
    events.setSummary('l3', 'the CLI crashed', 10)
    expect(events.summaries.get('l3')).toBe('the CLI crashed')
  })

  it('keeps at most MAX_ROWS rows, dropping the oldest', () => {
    const events = useEventsStore()
    const batch = Array.from({ length: MAX_ROWS + 5 }, (_, index) => systemLogItem(systemLog(), index + 1))
    events.append(batch)
    expect(events.rows).toHaveLength(MAX_ROWS)
    expect(events.rows[0]?.position).toBe(6)
    expect(events.visible).toHaveLength(MAX_ROWS)
  })
})
