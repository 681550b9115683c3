/** Follows GET /api/stream from a position: decodes frames, drops duplicates, batches, and reconnects losing nothing. */
import { WIRE_TYPES, type StreamEvent, type WireType } from '../api/types'

/** The part of the browser's EventSource the follower uses, so unit tests can pass a small fake. */
export interface EventSourceLike {
  readonly readyState: number
  onopen: ((this: EventSourceLike, event: Event) => unknown) | null
  onerror: ((this: EventSourceLike, event: Event) => unknown) | null
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void
  close(): void
}

export type FollowState = 'connecting' | 'live' | 'reconnecting' | 'stopped'

export interface FollowerOptions {
  url: string
  createSource: (url: string) => EventSourceLike
  onBatch: (batch: StreamEvent[]) => void
  onState: (state: FollowState, attempt: number) => void
  onDecodeError?: (type: WireType, raw: string) => void
  /** Schedules one flush of queued events; defaults to the next animation frame. */
  schedule?: (flush: () => void) => void
  /** Delay before re-opening a closed stream, by attempt number (1, 2, …). */
  retryDelay?: (attempt: number) => number
}

const CLOSED = 2
const EPHEMERAL: ReadonlySet<WireType> = new Set(['chat_typing', 'chat_stream'])

export const defaultRetryDelay = (attempt: number): number => Math.min(10_000, 250 * 2 ** (attempt - 1))

function nextFrame(flush: () => void): void {
  // requestAnimationFrame pauses in background tabs; the timeout keeps the queue draining there.
  let done = false
  const run = () => {
    if (!done) {
      done = true
      flush()
    }
  }
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run)
  setTimeout(run, 100)
}

export function streamUrl(base: string, from: number): string {
  return `${base}${base.includes('?') ? '&' : '?'}from=${from}`
}

/** A stored frame's position: its `id:` line, else the `position` its data carries. */
function positionOf(lastEventId: string, data: unknown): number | null {
  if (lastEventId !== '' && Number.isFinite(Number(lastEventId))) return Number(lastEventId)
  if (typeof data === 'object' && data !== null && 'position' in data && typeof data.position === 'number') return data.position
  return null
}

export class StreamFollower {
  private source: EventSourceLike | null = null
  private queue: StreamEvent[] = []
  private flushScheduled = false
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | null = null
  private lastPosition = 0
  private url: string
  private readonly schedule: (flush: () => void) => void
  private readonly retryDelay: (attempt: number) => number

  constructor(private readonly options: FollowerOptions) {
    this.schedule = options.schedule ?? nextFrame
    this.retryDelay = options.retryDelay ?? defaultRetryDelay
    this.url = options.url
  }

  /** The last stored position received; a reconnect resumes right after it. */
  get position(): number {
    return this.lastPosition
  }

  /** Follows from just after `fromPosition`; `url` (default: the options') may carry filters such as `?orchestrator=`. */
  start(fromPosition: number, url: string = this.options.url): void {
    this.stop()
    this.url = url
    this.lastPosition = fromPosition
    this.attempt = 0
    this.open('connecting')
  }

  stop(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.source?.close()
    this.source = null
    this.options.onState('stopped', 0)
  }

  /** Re-opens at once (e.g. when the browser comes back online) instead of waiting for the backoff. */
  reconnectNow(): void {
    if (this.retryTimer === null) return
    clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.open('reconnecting')
  }

  private open(state: FollowState): void {
    const source = this.options.createSource(streamUrl(this.url, this.lastPosition))
    this.source = source
    this.options.onState(state, this.attempt)
    source.onopen = () => {
      if (this.source !== source) return
      this.attempt = 0
      this.options.onState('live', 0)
    }
    source.onerror = () => this.failed(source)
    for (const type of WIRE_TYPES) source.addEventListener(type, (event) => this.receive(source, type, event))
  }

  private failed(source: EventSourceLike): void {
    if (this.source !== source) return
    this.attempt += 1
    this.options.onState('reconnecting', this.attempt)
    // CONNECTING: the browser retries by itself and sends Last-Event-ID. CLOSED: it gave up (e.g. an HTTP
    // error while the backend restarts), so re-open ourselves from the last position we hold.
    if (source.readyState !== CLOSED) return
    source.close()
    this.source = null
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      this.open('reconnecting')
    }, this.retryDelay(this.attempt))
  }

  private receive(source: EventSourceLike, type: WireType, event: MessageEvent<string>): void {
    if (this.source !== source) return
    let data: unknown
    try {
      data = JSON.parse(event.data)
    } catch {
      this.options.onDecodeError?.(type, event.data)
      return
    }
    let position: number | null = null
    if (!EPHEMERAL.has(type)) {
      position = positionOf(event.lastEventId, data)
      // Safety net: a replay that overlaps what we hold (snapshot or previous connection) must not double.
      if (position !== null && position <= this.lastPosition) return
      if (position !== null) this.lastPosition = position
    }
    this.queue.push({ type, position, data } as StreamEvent)
    if (!this.flushScheduled) {
      this.flushScheduled = true
      this.schedule(() => this.flush())
    }
  }

  private flush(): void {
    this.flushScheduled = false
    const batch = this.queue
    this.queue = []
    if (batch.length > 0) this.options.onBatch(batch)
  }
}
