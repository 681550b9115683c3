/** Owns the live EventSource: loads the snapshot, follows /api/stream from exactly its position, folds every event. */
import { onScopeDispose } from 'vue'
import { api } from '../api/client'
import type { EventsPage } from '../api/types'
import { useFold } from '../stores/fold'
import { useSessionStore } from '../stores/session'
import { useToastsStore } from '../stores/toasts'
import { StreamFollower, type EventSourceLike, type FollowState } from '../stream/follower'

export const STREAM_URL = '/api/stream'
/** How many stored events the stream panel starts with (the backend's page limit); older ones stay on the server. */
export const INITIAL_EVENTS = 1000

export interface EventStreamOptions {
  createSource?: (url: string) => EventSourceLike
  schedule?: (flush: () => void) => void
  retryDelay?: (attempt: number) => number
  /** Delay before loading the snapshot again after a failed load, by attempt number. */
  loadRetryDelay?: (attempt: number) => number
}

const defaultLoadRetryDelay = (attempt: number) => Math.min(15_000, 1000 * 2 ** (attempt - 1))

/**
 * A page cut by its limit (`has_more`) vouches only for positions up to its last row, and the stream brings the rest.
 * A page with nothing more holds every row up to the position it reflects.
 */
export function trustedPage(page: EventsPage): EventsPage {
  if (!page.has_more) return page
  const last = page.events.reduce((top, row) => Math.max(top, row.position), 0)
  return { ...page, position: Math.min(page.position, last) }
}

export function useEventStream(options: EventStreamOptions = {}) {
  const session = useSessionStore()
  const toasts = useToastsStore()
  const fold = useFold()

  const follower = new StreamFollower({
    url: STREAM_URL,
    createSource: options.createSource ?? ((url) => new EventSource(url) as unknown as EventSourceLike),
    schedule: options.schedule,
    retryDelay: options.retryDelay,
    onBatch: (batch) => fold.applyBatch(batch),
    onState: (state: FollowState, attempt: number) => {
      if (state !== 'stopped') session.connection = state
      session.reconnectAttempts = attempt
    },
    onDecodeError: (type) => toasts.push('error', `Unreadable ${type} event skipped`),
  })

  const loadRetryDelay = options.loadRetryDelay ?? defaultLoadRetryDelay
  let loadAttempts = 0
  let loadTimer: ReturnType<typeof setTimeout> | undefined

  /** The session's frames only: a database may hold other sessions. */
  const streamUrlOf = (sessionId: string | null) => (sessionId ? `${STREAM_URL}?orchestrator=${encodeURIComponent(sessionId)}` : STREAM_URL)

  /** Which model backend runs (not part of the session's rows); the header shows none until it is known. */
  async function loadBackend(): Promise<void> {
    try {
      session.backend = (await api.health()).backend
    } catch {
      // the snapshot load reports an unreachable backend; the badge just stays empty
    }
  }

  /**
   * Loads state and recent events, then follows from the older of the two positions so neither misses a frame.
   * A failed load is retried with a growing delay (the backend may still be starting); only the first one toasts.
   */
  async function connect(): Promise<void> {
    clearTimeout(loadTimer)
    session.connection = 'loading'
    session.loadError = null
    try {
      const [state, fetched] = await Promise.all([api.state(), api.events({ limit: INITIAL_EVENTS }), loadBackend()])
      const page = trustedPage(fetched)
      loadAttempts = 0
      fold.applySnapshot(state, page)
      follower.start(Math.min(state.position, page.position), streamUrlOf(state.orchestrator?.id ?? null))
    } catch (error) {
      loadAttempts += 1
      session.connection = 'idle'
      session.loadError = error instanceof Error ? error.message : String(error)
      if (loadAttempts === 1) toasts.reportError(error, 'Loading the session failed')
      loadTimer = setTimeout(() => void connect(), loadRetryDelay(loadAttempts))
    }
  }

  const onOnline = () => follower.reconnectNow()
  if (typeof window !== 'undefined') window.addEventListener('online', onOnline)

  onScopeDispose(() => {
    if (typeof window !== 'undefined') window.removeEventListener('online', onOnline)
    clearTimeout(loadTimer)
    follower.stop()
  })

  return { connect, follower }
}
