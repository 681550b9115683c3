import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StreamEvent } from '../api/types'
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

describe('fold', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('folds an agent through its life: created, status, summary, turns adding cost, deleted', () => {
    const { fold, agents, events } = setup()
    fold.applySnapshot(stateSnapshot({ position: 10 }), eventsPage({ position: 10 }))
    const turn = (position: number, cost: number) =>
      ({
        type: 'agent_updated',
        position,
        data: { position, agent_id: 'agent-1', name: 'builder', delta: usage({ total_cost: cost, input_tokens: 50, output_tokens: 3 }), duration_ms: 900, num_turns: 2, is_error: false },
      }) as const
    fold.applyBatch([
      { type: 'agent_created', position: 11, data: { position: 11, agent: agentRow() } },
      { type: 'agent_status_changed', position: 12, data: { position: 12, agent_id: 'agent-1', name: 'builder', old_status: 'idle', new_status: 'executing', reason: 'commanded', timestamp: '' } },
      { type: 'agent_summary_update', position: 13, data: { position: 13, agent_id: 'agent-1', summary: 'reading files', subject_id: 'x', subject_kind: 'hook' } },
      turn(14, 0.125),
      turn(15, 0.125),
    ])
    expect(agents.list).toHaveLength(1)
    expect(agents.list[0]).toMatchObject({ status: 'executing', latest_summary: 'reading files', total_cost: 0.25 })
    expect(agents.totals).toEqual({ cost: 0.25, input: 100, output: 6 })
    // Finished turns are rows of the stream, under Performance.
    expect(events.rows.map((row) => [row.kind, row.isPerformance])).toEqual([
      ['turn', true],
      ['turn', true],
    ])
    agents.select('agent-1')
    fold.applyBatch([{ type: 'agent_deleted', position: 15, data: { position: 15, agent_id: 'agent-1', name: 'builder' } }])
    expect(agents.list).toEqual([])
    expect(agents.selectedId).toBeNull()
  })

  it('ignores stream events the state snapshot already contains', () => {
    const { fold, agents, session } = setup()
    fold.applySnapshot(
      stateSnapshot({ position: 20, agents: [agentRow({ total_cost: 1 })], orchestrator: orchestratorRow({ total_cost: 2 }) }),
      eventsPage({ position: 18 }),
    )
    const delta = usage({ total_cost: 0.5, input_tokens: 10 })
    fold.applyBatch([
      { type: 'agent_updated', position: 19, data: { position: 19, agent_id: 'agent-1', name: 'builder', delta, duration_ms: 1, num_turns: 1, is_error: false } },
      { type: 'orchestrator_updated', position: 20, data: { position: 20, session_id: 'sess-1', working_dir: null, model: null, delta } },
    ])
    expect(agents.list[0]?.total_cost).toBe(1)
    expect(session.orchestrator?.total_cost).toBe(2)
    fold.applyBatch([{ type: 'orchestrator_updated', position: 21, data: { position: 21, session_id: 'sess-1', model: 'opus', working_dir: null, delta } }])
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

  it('streams chat text by block, then replaces it with the stored message', () => {
    const { fold, chat, events } = setup()
    fold.applySnapshot(stateSnapshot({ chat: [chatRow()] }), eventsPage())
    fold.applyBatch([
      { type: 'chat_typing', position: null, data: { is_typing: true } },
      { type: 'chat_stream', position: null, data: { block_id: 'b1', chunk: 'Hel' } },
      { type: 'chat_stream', position: null, data: { block_id: 'b1', chunk: 'lo!' } },
    ])
    expect(chat.typing).toBe(true)
    expect(chat.streaming).toEqual([{ blockId: 'b1', text: 'Hello!' }])
    const reply = chatRow({ id: 'b1', sender_type: 'orchestrator', receiver_type: 'user', message: 'Hello!' })
    fold.applyBatch([
      stored({ type: 'orchestrator_chat', position: 1, data: { position: 1, message: reply } }),
      { type: 'thinking_block', position: 2, data: { position: 2, id: 't1', thinking: 'hmm', reply_to: null, timestamp: '' } },
      { type: 'tool_use_block', position: 3, data: { position: 3, id: 'u1', tool_use_id: 'x', tool_name: 'mcp__mgmt__create_agent', tool_input: { name: 'a' }, reply_to: null, timestamp: '' } },
      { type: 'chat_typing', position: null, data: { is_typing: false } },
    ])
    expect(chat.streaming).toEqual([])
    expect(chat.items.map((item) => item.kind)).toEqual(['text', 'text', 'thinking', 'tool_use'])
    expect(events.rows.map((row) => row.kind)).toEqual(['chat'])
  })

  it('shows error frames and failed tools under the Errors filter', () => {
    const { fold, events } = setup()
    fold.applySnapshot(stateSnapshot(), eventsPage())
    fold.applyBatch([
      { type: 'agent_log', position: 1, data: { position: 1, log: agentLog({ event_type: 'PostToolUseFailure' }) } },
      { type: 'agent_log', position: 2, data: { position: 2, log: agentLog({ event_type: 'PostToolUse' }) } },
      { type: 'error', position: 3, data: { position: 3, message: 'boom', level: 'error', agent_id: null } },
      { type: 'system_log', position: 4, data: { position: 4, log: systemLog({ level: 'ERROR' }) } },
    ])
    events.setMode('errors')
    return Promise.resolve().then(() => {
      expect(events.visible.map((row) => row.position)).toEqual([1, 3, 4])
      expect(events.errorCount).toBe(3)
    })
  })
})
