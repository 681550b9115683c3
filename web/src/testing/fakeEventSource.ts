/** A hand-written EventSource stand-in for unit tests: the test plays the server, frame by frame. */
import type { EventSourceLike } from '../stream/follower'

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

export class FakeEventSource implements EventSourceLike {
  readyState = CONNECTING
  onopen: EventSourceLike['onopen'] = null
  onerror: EventSourceLike['onerror'] = null
  /** What a browser would send as Last-Event-ID on its own reconnect. */
  lastEventId = ''
  private readonly listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>()

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  close(): void {
    this.readyState = CLOSED
  }

  open(): void {
    this.readyState = OPEN
    this.onopen?.call(this, new Event('open'))
  }

  /** Delivers one frame; `id` undefined means no `id:` line (the browser then keeps the previous one). */
  emit(type: string, data: unknown, id?: number): void {
    if (id !== undefined) this.lastEventId = String(id)
    const event = { data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId: this.lastEventId } as MessageEvent<string>
    for (const listener of this.listeners.get(type) ?? []) listener(event)
  }

  /** The connection drops and the browser will retry by itself (readyState CONNECTING). */
  drop(): void {
    this.readyState = CONNECTING
    this.onerror?.call(this, new Event('error'))
  }

  /** The browser gives up (e.g. the server answered 502): readyState CLOSED, no retry of its own. */
  fail(): void {
    this.readyState = CLOSED
    this.onerror?.call(this, new Event('error'))
  }
}

/** Records every source created, so a test can reach the current "server connection". */
export function fakeSources() {
  const created: FakeEventSource[] = []
  return {
    created,
    create: (url: string) => {
      const source = new FakeEventSource(url)
      created.push(source)
      return source
    },
    get current(): FakeEventSource {
      const last = created[created.length - 1]
      if (!last) throw new Error('no EventSource was opened')
      return last
    },
  }
}
