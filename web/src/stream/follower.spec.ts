import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { StreamEvent } from '../api/types'
import { fakeSources } from '../testing/fakeEventSource'
import { StreamFollower, defaultRetryDelay, streamUrl, type FollowState } from './follower'

function follower() {
  const sources = fakeSources()
  const received: StreamEvent[] = []
  const states: [FollowState, number][] = []
  const decodeErrors: string[] = []
  const subject = new StreamFollower({
    url: '/api/stream',
    createSource: sources.create,
    onBatch: (batch) => received.push(...batch),
    onState: (state, attempt) => states.push([state, attempt]),
    onDecodeError: (type) => decodeErrors.push(type),
    schedule: (flush) => flush(),
    retryDelay: () => 1000,
  })
  return { subject, sources, received, states, decodeErrors }
}

const positions = (events: StreamEvent[]) => events.map((event) => event.position)

describe('StreamFollower', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('opens the stream from exactly the snapshot position', () => {
    const { subject, sources } = follower()
    subject.start(41)
    expect(sources.current.url).toBe('/api/stream?from=41')
  })

  it('decodes stored frames with their position and ephemeral ones without', () => {
    const { subject, sources, received } = follower()
    subject.start(0)
    sources.current.open()
    sources.current.emit('system_log', { position: 1, log: { id: 'a' } }, 1)
    sources.current.emit('chat_typing', { is_typing: true })
    expect(received).toEqual([
      { type: 'system_log', position: 1, data: { position: 1, log: { id: 'a' } } },
      { type: 'chat_typing', position: null, data: { is_typing: true } },
    ])
  })

  it('drops frames at or below the position it already holds', () => {
    const { subject, sources, received } = follower()
    subject.start(5)
    sources.current.open()
    for (const id of [4, 5, 6, 6, 7]) sources.current.emit('error', { position: id, message: 'x', level: 'error' }, id)
    expect(positions(received)).toEqual([6, 7])
  })

  it('takes the position from the data when a stored frame has no id line', () => {
    const { subject, sources, received } = follower()
    subject.start(0)
    sources.current.emit('error', { position: 3, message: 'x' })
    sources.current.emit('error', { position: 3, message: 'x' })
    expect(positions(received)).toEqual([3])
    expect(subject.position).toBe(3)
  })

  it('lets the browser retry with Last-Event-ID after a drop and loses or doubles nothing', () => {
    const { subject, sources, received, states } = follower()
    subject.start(10)
    const first = sources.current
    first.open()
    first.emit('error', { position: 11, message: 'a' }, 11)
    first.emit('error', { position: 12, message: 'b' }, 12)
    first.drop()
    expect(states.at(-1)).toEqual(['reconnecting', 1])
    expect(sources.created).toHaveLength(1)
    // The server replays from the header it got (12), plus an overlap a sloppy server might send.
    expect(first.lastEventId).toBe('12')
    first.open()
    for (const id of [12, 13, 14]) first.emit('error', { position: id, message: String(id) }, id)
    expect(positions(received)).toEqual([11, 12, 13, 14])
    expect(states.at(-1)).toEqual(['live', 0])
  })

  it('re-opens a stream the browser gave up on, from the last position, after the backoff', () => {
    const { subject, sources, received } = follower()
    subject.start(0)
    sources.current.open()
    sources.current.emit('error', { position: 7, message: 'a' }, 7)
    sources.current.fail()
    expect(sources.created).toHaveLength(1)
    vi.advanceTimersByTime(999)
    expect(sources.created).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sources.created).toHaveLength(2)
    expect(sources.current.url).toBe('/api/stream?from=7')
    sources.current.open()
    sources.current.emit('error', { position: 8, message: 'b' }, 8)
    expect(positions(received)).toEqual([7, 8])
  })

  it('ignores frames from a source it already replaced', () => {
    const { subject, sources, received } = follower()
    subject.start(0)
    const stale = sources.current
    stale.fail()
    vi.runAllTimers()
    stale.emit('error', { position: 1, message: 'late' }, 1)
    expect(received).toEqual([])
  })

  it('reconnects at once when asked, instead of waiting for the backoff', () => {
    const { subject, sources } = follower()
    subject.start(3)
    sources.current.fail()
    subject.reconnectNow()
    expect(sources.created).toHaveLength(2)
    vi.runAllTimers()
    expect(sources.created).toHaveLength(2)
  })

  it('reports an undecodable frame and keeps going', () => {
    const { subject, sources, received, decodeErrors } = follower()
    subject.start(0)
    sources.current.emit('agent_log', '{not json', 1)
    sources.current.emit('error', { position: 2, message: 'ok' }, 2)
    expect(decodeErrors).toEqual(['agent_log'])
    expect(positions(received)).toEqual([2])
  })

  it('batches frames until the scheduled flush runs', () => {
    const sources = fakeSources()
    const batches: StreamEvent[][] = []
    let pending: (() => void) | null = null
    const subject = new StreamFollower({
      url: '/api/stream',
      createSource: sources.create,
      onBatch: (batch) => batches.push(batch),
      onState: () => {},
      schedule: (flush) => (pending = flush),
    })
    subject.start(0)
    for (const id of [1, 2, 3]) sources.current.emit('error', { position: id, message: '' }, id)
    expect(batches).toEqual([])
    pending!()
    expect(batches.map(positions)).toEqual([[1, 2, 3]])
  })

  it('stops cleanly: no retry after stop', () => {
    const { subject, sources } = follower()
    subject.start(0)
    sources.current.fail()
    subject.stop()
    vi.runAllTimers()
    expect(sources.created).toHaveLength(1)
  })
})

describe('helpers', () => {
  it('backs off exponentially up to ten seconds', () => {
    expect([1, 2, 3, 10].map(defaultRetryDelay)).toEqual([250, 500, 1000, 10_000])
  })
  it('appends from to URLs with or without a query', () => {
    expect(streamUrl('/api/stream', 5)).toBe('/api/stream?from=5')
    expect(streamUrl('/api/stream?agent=a', 5)).toBe('/api/stream?agent=a&from=5')
  })
})
