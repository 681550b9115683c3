import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AgentUpdatedFrame, StreamEvent, UsageDelta } from '../api/types'
import { agentLog, agentRow, chatRow, eventsPage, orchestratorRow, stateSnapshot, systemLog, usage } from '../testing/fixtures'
import { PULSE_QUIET_MS, useAgentsStore } from './agents'
import { useChatStore } from './chat'
import { useEventsStore } from './events'
import { useFold } from './fold'
import { useSessionStore } from './session'

function setup() {
  setActivePinia(createPinia())
  return { fold: useFold(), agents: useAgentsStore(), events: useEventsStore(), chat: useChatStore(), session: useSessionStore() }
}

const stored = <E extends StreamEvent>(event: E) => event
const SESSION = 'orch-1'

/** An agent's finished turn as the backend frames it: the delta, and the `result` row agent_logs gets. */
function turn(position: number, delta: UsageDelta, agentId = 'agent-1'): StreamEvent {
  const data: AgentUpdatedFrame = {
    position,
    agent_id: agentId,
    name: 'builder',
    delta,
    duration_ms: 900,
    num_turns: 2,
    is_error: false,
    log: agentLog({ id: `r${position}`, agent_id: agentId, event_category: 'response', event_type: 'result', content: 'done', position, payload: { usage: { cost_usd: delta.total_cost }, duration_ms: 900, num_turns: 2, is_error: false } }),
  }
  return { type: 'agent_updated', position, data }
}

describe('fold', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('folds an agent through its life: created, status, summary, turns adding cost, deleted', () => {
    const { fold, agents, events, session } = setup()
    fold.applySnapshot(stateSnapshot({ position: 10 }), eventsPage({ position: 10 }))
    const delta = usage({ total_cost: 0.125, input_tokens: 50, output_tokens: 3 })
    fold.applyBatch([
      { type: 'agent_created', position: 11, data: { position: 11, agent: agentRow() } },
      { type: 'agent_status_changed', position: 12, data: { position: 12, agent_id: 'agent-1', name: 'builder', old_status: 'idle', new_status: 'executing', reason: 'commanded', timestamp: '' } },
      { type: 'agent_summary_update', position: 13, data: { position: 13, agent_id: 'agent-1', summary: 'reading files', subject_id: 'x', subject_kind: 'hook' } },
      turn(14, delta),
      turn(15, delta),
    ])
    expect(agents.list).toHaveLength(1)
    expect(agents.list[0]).toMatchObject({ status: 'executing', latest_summary: 'reading files', total_cost: 0.25, log_count: 2 })
    expect(agents.totals).toEqual({ cost: 0.25, input: 100, output: 6 })
    expect(session.orchestrator?.agents_cost).toBe(0.25)
    // Finished turns are the stored `result` rows, under Performance, as after a reload.
    expect(events.rows.map((row) => [row.kind, row.type, row.isPerformance])).toEqual([
      ['agent_log', 'result', true],
      ['agent_log', 'result', true],
    ])
    agents.select('agent-1')
    fold.applyBatch([{ type: 'agent_deleted', position: 16, data: { position: 16, agent_id: 'agent-1', name: 'builder' } }])
    expect(agents.list).toEqual([])
    expect(agents.selectedId).toBeNull()
    // What a deleted agent spent still counts.
    expect(agents.totals.cost).toBe(0.25)
  })

  it('ignores stream events the state snapshot already contains', () => {
    const { fold, agents, session } = setup()
    fold.applySnapshot(
      stateSnapshot({ position: 20, agents: [agentRow({ total_cost: 1 })], orchestrator: orchestratorRow({ total_cost: 2, agents_cost: 1 }) }),
      eventsPage({ position: 18 }),
    )
    const delta = usage({ total_cost: 0.5, input_tokens: 10 })
    fold.applyBatch([
      turn(19, delta),
      { type: 'orchestrator_updated', position: 20, data: { position: 20, session_id: SESSION, working_dir: null, model: null, delta } },
    ])
    expect(agents.list[0]?.total_cost).toBe(1)
    expect(session.orchestrator).toMatchObject({ total_cost: 2, agents_cost: 1 })
    fold.applyBatch([{ type: 'orchestrator_updated', position: 21, data: { position: 21, session_id: SESSION, model: 'opus', working_dir: null, delta } }])
    expect(session.orchestrator).toMatchObject({ total_cost: 2.5, input_tokens: 10, model: 'opus', working_dir: '/work' })
    expect(session.position).toBe(21)
  })

  it('adds to the event stream only what its own snapshot lacks', () => {
    const { fold, events, agents } = setup()
    fold.applySnapshot(
      stateSnapshot({ position: 3, agents: [agentRow()] }),
      eventsPage({ position: 5, events: [{ type: 'agent_log', position: 4, log: agentLog({ id: 'l4' }) }, { type: 'system_log', position: 5, log: systemLog() }] }),
    )
    fold.applyBatch([
      { type: 'agent_log', position: 4, data: { position: 4, log: agentLog({ id: 'l4' }) } },
      { type: 'system_log', position: 5, data: { position: 5, log: systemLog() } },
      { type: 'agent_log', position: 6, data: { position: 6, log: agentLog({ id: 'l6' }) } },
    ])
    expect(events.rows.map((row) => row.position)).toEqual([4, 5, 6])
    // The agents slice (snapshot at 3) counts both logs it had not seen.
    expect(agents.list[0]?.log_count).toBe(2)
  })

  it('pulses an agent while its events arrive and stops 300 ms after the last', () => {
    const { fold, agents } = setup()
    fold.applySnapshot(stateSnapshot({ agents: [agentRow()] }), eventsPage())
    fold.applyBatch([{ type: 'agent_log', position: 1, data: { position: 1, log: agentLog() } }])
    expect(agents.pulsing['agent-1']).toBe(true)
    vi.advanceTimersByTime(PULSE_QUIET_MS - 50)
    fold.applyBatch([{ type: 'agent_log', position: 2, data: { position: 2, log: agentLog() } }])
    vi.advanceTimersByTime(PULSE_QUIET_MS - 50)
    expect(agents.pulsing['agent-1']).toBe(true)
    vi.advanceTimersByTime(50)
    expect(agents.pulsing['agent-1']).toBeUndefined()
  })

  it('streams chat text by block, then replaces it with the stored message; blocks become the rows the chat table has', () => {
    const { fold, chat, events, session } = setup()
    fold.applySnapshot(stateSnapshot({ chat: [chatRow()] }), eventsPage())
    fold.applyBatch([
      stored({ type: 'orchestrator_chat', position: 1, data: { position: 1, message: chatRow({ id: 'm1', position: 1 }) } }),
      { type: 'chat_typing', position: null, data: { is_typing: true, session_id: SESSION } },
      { type: 'chat_stream', position: null, data: { block_id: 'b1', chunk: 'Hel', session_id: SESSION } },
      { type: 'chat_stream', position: null, data: { block_id: 'b1', chunk: 'lo!', session_id: SESSION } },
    ])
    expect(session.orchestrator?.status).toBe('executing')
    expect(chat.typing).toBe(true)
    expect(chat.streaming).toEqual([{ blockId: 'b1', text: 'Hello!' }])
    const reply = chatRow({ id: 'b1', sender_type: 'orchestrator', receiver_type: 'user', message: 'Hello!', position: 2 })
    fold.applyBatch([
      stored({ type: 'orchestrator_chat', position: 2, data: { position: 2, message: reply } }),
      { type: 'thinking_block', position: 3, data: { position: 3, id: 't1', thinking: 'hmm', reply_to: 'm1', timestamp: '' } },
      { type: 'tool_use_block', position: 4, data: { position: 4, id: 'u1', tool_use_id: 'x', tool_name: 'mcp__mgmt__create_agent', tool_input: { name: 'a' }, reply_to: 'm1', timestamp: '' } },
      { type: 'chat_typing', position: null, data: { is_typing: false, session_id: SESSION } },
    ])
    expect(chat.streaming).toEqual([])
    expect(chat.typing).toBe(false)
    expect(chat.items.map((item) => item.kind)).toEqual(['text', 'text', 'text', 'thinking', 'tool_use'])
    expect(events.rows.map((row) => [row.position, row.kind, row.type])).toEqual([
      [1, 'chat', 'text'],
      [2, 'chat', 'text'],
      [3, 'chat', 'thinking'],
      [4, 'chat', 'tool_use'],
    ])
    const toolRow = events.rows[3]
    expect(toolRow?.kind === 'chat' && toolRow.message).toMatchObject({ orchestrator_agent_id: SESSION, message: 'mcp__mgmt__create_agent', metadata: { tool_input: { name: 'a' } } })
  })

  it('shows commands to agents in the event stream, not in the chat', () => {
    const { fold, chat, events } = setup()
    fold.applySnapshot(stateSnapshot(), eventsPage())
    const command = chatRow({ id: 'c1', sender_type: 'orchestrator', receiver_type: 'agent', agent_id: 'agent-1', message: 'write a.txt', metadata: { type: 'command' } })
    fold.applyBatch([stored({ type: 'orchestrator_chat', position: 1, data: { position: 1, message: command } })])
    expect(chat.items).toEqual([])
    expect(events.rows.map((row) => [row.kind, row.type, row.agentId])).toEqual([['chat', 'command', 'agent-1']])
  })

  it('shows failures, failed tools and error logs under the Errors filter', async () => {
    const { fold, events, agents } = setup()
    fold.applySnapshot(stateSnapshot({ agents: [agentRow()] }), eventsPage())
    const failed = agentLog({ id: 'f3', event_category: 'response', event_type: 'failed', content: 'the CLI crashed', payload: {} })
    fold.applyBatch([
      { type: 'agent_log', position: 1, data: { position: 1, log: agentLog({ event_type: 'PostToolUseFailure' }) } },
      { type: 'agent_log', position: 2, data: { position: 2, log: agentLog({ event_type: 'PostToolUse' }) } },
      { type: 'error', position: 3, data: { position: 3, message: 'agent builder failed', level: 'error', agent_id: 'agent-1', log: failed } },
      { type: 'system_log', position: 4, data: { position: 4, log: systemLog({ level: 'ERROR' }) } },
      { type: 'error', position: 5, data: { position: 5, message: 'boom', level: 'error', agent_id: null, log: null } },
    ])
    events.setMode('errors')
    await Promise.resolve()
    expect(events.visible.map((row) => [row.position, row.kind])).toEqual([
      [1, 'agent_log'],
      [3, 'agent_log'],
      [4, 'system_log'],
      [5, 'error'],
    ])
    expect(events.errorCount).toBe(4)
    expect(agents.list[0]?.log_count).toBe(3)
  })
})
