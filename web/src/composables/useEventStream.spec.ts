import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import type { EventsPage, StateSnapshot } from '../api/types'
import { useEventsStore } from '../stores/events'
import { useSessionStore } from '../stores/session'
import { useToastsStore } from '../stores/toasts'
import { fakeSources } from '../testing/fakeEventSource'
import { agentLog, agentRow, eventsPage, stateSnapshot } from '../testing/fixtures'
import { trustedPage, useEventStream } from './useEventStream'

function backend(state: StateSnapshot, page: EventsPage, status = 200) {
  const health = { status: 'ok', position: state.position, session_id: state.orchestrator?.id ?? null, backend: 'sim' }
  return vi.fn(async (input: string) => {
    const answer = input.startsWith('/api/state') ? state : input.startsWith('/health') ? health : page
    const body = status !== 200 ? { type: 'about:blank', title: 'Unavailable', status, detail: 'db down' } : answer
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  })
}

const STREAM = '/api/stream?orchestrator=orch-1'

const logFrame = (position: number) => ({ position, log: agentLog({ id: `l${position}` }) })

describe('useEventStream', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
    vi.unstubAllGlobals()
  })

  it('loads the snapshot, follows from its position, survives a drop and a restart without loss or doubles', async () => {
    vi.stubGlobal('fetch', backend(stateSnapshot({ position: 7, agents: [agentRow()] }), eventsPage({ position: 9 })))
    const sources = fakeSources()
    const scope = effectScope()
    const stream = scope.run(() => useEventStream({ createSource: sources.create, schedule: (flush) => flush(), retryDelay: () => 10 }))!
    await stream.connect()
    const session = useSessionStore()
    const events = useEventsStore()
    // The older of the two snapshot positions, so the state slice misses nothing between 7 and 9; this session only.
    expect(sources.current.url).toBe(`${STREAM}&from=7`)
    expect(session.backend).toBe('sim')
    sources.current.open()
    expect(session.connection).toBe('live')
    for (const position of [8, 9, 10]) sources.current.emit('agent_log', logFrame(position), position)
    sources.current.drop()
    expect(session.connection).toBe('reconnecting')
    sources.current.open()
    for (const position of [10, 11]) sources.current.emit('agent_log', logFrame(position), position)
    sources.current.fail()
    vi.advanceTimersByTime(10)
    expect(sources.current.url).toBe(`${STREAM}&from=11`)
    sources.current.open()
    for (const position of [11, 12]) sources.current.emit('agent_log', logFrame(position), position)
    expect(events.rows.map((row) => row.position)).toEqual([10, 11, 12])
    expect(session.position).toBe(12)
    scope.stop()
    expect(sources.current.readyState).toBe(2)
  })

  it('toasts a problem+json failure of the snapshot once, and loads again until the backend answers', async () => {
    vi.stubGlobal('fetch', backend(stateSnapshot(), eventsPage(), 503))
    const sources = fakeSources()
    const scope = effectScope()
    const stream = scope.run(() => useEventStream({ createSource: sources.create, loadRetryDelay: () => 100 }))!
    await stream.connect()
    expect(sources.created).toHaveLength(0)
    expect(useToastsStore().toasts[0]).toMatchObject({ kind: 'error', title: 'Loading the session failed: Unavailable (503)', detail: 'db down' })
    expect(useSessionStore().connection).toBe('idle')
    await vi.advanceTimersByTimeAsync(100)
    expect(sources.created).toHaveLength(0)
    expect(useToastsStore().toasts).toHaveLength(1)
    vi.stubGlobal('fetch', backend(stateSnapshot({ position: 4 }), eventsPage({ position: 4 })))
    await vi.advanceTimersByTimeAsync(100)
    expect(sources.current.url).toBe(`${STREAM}&from=4`)
    scope.stop()
  })
})

describe('trustedPage', () => {
  const row = (position: number) => ({ type: 'agent_log' as const, position, log: agentLog() })

  it('trusts a page with nothing more up to its position', () => {
    expect(trustedPage(eventsPage({ position: 9, events: [row(3)], has_more: false })).position).toBe(9)
  })

  it('trusts a cut page only up to its last row, whatever order the rows come in', () => {
    expect(trustedPage(eventsPage({ position: 9, events: [row(5), row(3)], has_more: true })).position).toBe(5)
  })
})
