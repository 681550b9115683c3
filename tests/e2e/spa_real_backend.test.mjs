// The SPA served by the real backend (`o3s serve`, sim model) in Debian's headless Chromium, with the network
// between them cut mid-run. Runs when O3S_E2E_REAL=1 (starts a server) or O3S_E2E_URL is set (uses that one).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { launchBrowser, openPage } from './harness/browser.mjs'
import { realBackendWanted, startRealBackend } from './harness/realBackend.mjs'
import { spa } from './harness/spaPage.mjs'
import { startTcpProxy } from './harness/tcpProxy.mjs'

const KIND_OF_TYPE = { agent_log: 'agent_log', system_log: 'system_log', orchestrator_chat: 'chat' }
const RUN = 60_000

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until the backend is done: no summary pending and the store's head still for a moment. */
async function settled(url) {
  let last = -1
  for (const deadline = Date.now() + RUN; Date.now() < deadline; await pause(400)) {
    const health = await fetch(`${url}/health`).then((response) => response.json())
    // A web worker without the runtime (O3S_E2E_URL) answers runtime: null; then the head alone tells.
    const busy = health.runtime ? health.runtime.summaries.pending + health.runtime.running_agents : 0
    if (health.position === last && busy === 0) return health.position
    last = health.position
  }
  throw new Error('the backend did not settle')
}

/** What `read` answers once it stops changing: the last frames may still be on their way to the page. */
async function steady(read) {
  let previous = await read()
  for (const deadline = Date.now() + RUN; Date.now() < deadline; ) {
    await pause(500)
    const current = await read()
    if (JSON.stringify(current) === JSON.stringify(previous)) return current
    previous = current
  }
  throw new Error('the page kept changing')
}

/** The rows /get_events holds, as the stream panel shows them: {position, kind, type}. */
async function storedRows(url) {
  const page = await fetch(`${url}/get_events?limit=1000`).then((response) => response.json())
  assert.equal(page.has_more, false)
  return page.events.map((row) => ({
    position: row.position,
    kind: KIND_OF_TYPE[row.type],
    type: row.type === 'orchestrator_chat' ? row.message.metadata.type : row.type === 'agent_log' ? row.log.event_type : row.log.level,
  }))
}

describe('SPA against the real backend (sim)', { skip: realBackendWanted() ? false : 'set O3S_E2E_REAL=1 or O3S_E2E_URL to run' }, () => {
  let backend, proxy, browser, app, errors

  const waitIdle = (name) =>
    app.page.waitForFunction((agent) => document.querySelector(`[data-agent="${agent}"] .status`)?.textContent === 'idle', name, { timeout: RUN })
  const waitQuiet = () => app.page.getByTestId('typing').waitFor({ state: 'detached', timeout: RUN })

  before(async () => {
    backend = await startRealBackend()
    proxy = await startTcpProxy(backend.url)
    browser = await launchBrowser()
    const opened = await openPage(browser.context, proxy.url)
    app = spa(opened.page)
    errors = opened.errors
    await app.waitLive()
  })

  after(async () => {
    await browser?.close()
    await proxy?.close()
    await backend?.close()
  })

  it('serves the app with the sim backend badge, the session and a live stream', async () => {
    assert.equal(await app.page.getByTestId('backend').innerText(), 'sim')
    const health = await fetch(`${backend.url}/health`).then((response) => response.json())
    assert.equal(await app.page.getByTestId('session-id').innerText(), `${health.session_id.slice(0, 8)}…`)
  })

  it('a chat message makes the orchestrator create an agent whose events stream while cost rises', async () => {
    const costBefore = await app.totalCost()
    await app.sendChat('create an agent named builder, ask builder to write hello.txt containing hi, then report cost')
    await app.agentCard('builder').waitFor({ timeout: RUN })
    await app.page.locator('[data-kind="agent_log"]').first().waitFor({ timeout: RUN })
    await waitIdle('builder')
    await waitQuiet()
    await app.page.waitForFunction((before) => document.querySelector('[data-testid="total-cost"]')?.textContent !== before, costBefore)
    assert.notEqual(await app.page.getByTestId('agent-cost-builder').innerText(), '$0.00')
    // The reply streamed in and was replaced by the stored message; the tool calls are cards with their results.
    await app.page.getByTestId('chat-message').filter({ hasText: 'Here is what happened' }).waitFor()
    assert.equal(await app.page.getByTestId('chat-streaming').count(), 0)
    assert.ok((await app.page.getByTestId('chat-tool-use').count()) >= 3)
    await app.page.getByTestId('tool-result').first().waitFor({ state: 'attached' })
  })

  it('filters by agent, errors, performance and text', async () => {
    const total = await app.eventCount()
    await app.agentCard('builder').click()
    await app.page.waitForFunction((all) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) < all, total)
    const builderId = await app.page.getByTestId('agent-filter').inputValue()
    const rows = await app.streamRows()
    assert.ok(rows.length > 0 && rows.every((row) => row.agentId === builderId), JSON.stringify(rows.slice(0, 5)))
    await app.agentCard('builder').click()
    await app.filter('performance')
    await app.page.locator('[data-type="result"]').first().waitFor()
    assert.ok((await app.eventCount()) < total)
    await app.filter('combined')
    await app.search('hello.txt')
    await app.page.waitForFunction((all) => {
      const shown = Number(document.querySelector('[data-testid="event-count"]')?.textContent)
      return shown > 0 && shown < all
    }, total)
    await app.search('')
  })

  it('opens the Ctrl+K palette with the system info', async () => {
    await app.openPalette()
    assert.match(await app.page.getByTestId('system-info').innerText(), /sim · sonnet/)
    await app.page.keyboard.press('Escape')
    await app.page.getByTestId('palette').waitFor({ state: 'detached' })
  })

  it('misses and doubles nothing when the network drops mid-run, and a reload shows the same rows', async () => {
    await app.page.getByTestId('autoscroll').check()
    await app.sendChat(
      'create an agent named second, create an agent named third, ask second to write a.txt containing one, ask third to write b.txt containing two, then ask second to write c.txt containing three',
    )
    // Cut every connection (the stream's too) while the run streams, twice.
    const streamsBefore = proxy.requests.filter((request) => request.path.startsWith('/api/stream')).length
    for (let cut = 0; cut < 2; cut += 1) {
      await app.page.waitForTimeout(800)
      assert.ok(proxy.cut() > 0)
      await app.page.getByTestId('connection').filter({ hasText: 'reconnecting' }).waitFor({ timeout: RUN })
      await app.waitLive()
    }
    await app.agentCard('third').waitFor({ timeout: RUN })
    await waitIdle('second')
    await waitIdle('third')
    await waitQuiet()
    // A busy agent refuses the third command: the orchestrator's tool result is an error row.
    await app.filter('errors')
    await app.page.locator('[data-type="tool_result"]').first().waitFor()
    await app.filter('combined')

    await settled(backend.url)
    const expected = await storedRows(backend.url)
    const last = expected.at(-1).position
    await app.page.waitForFunction((position) => document.querySelector(`[data-position="${position}"]`) !== null, last, { timeout: RUN })
    const shown = await app.streamRows()
    assert.equal(await app.eventCount(), shown.length, 'a position shown twice')
    // Commands to agents travel as chat frames; the chat table does not keep them, so /get_events has none.
    // The browser resumed each cut stream from the last event it had, and events came after that.
    const resumed = proxy.requests.filter((request) => request.path.startsWith('/api/stream')).slice(streamsBefore)
    assert.ok(resumed.length >= 2, JSON.stringify(resumed))
    const resumedAt = resumed.map((request) => Number(request.headers['last-event-id'] ?? new URL(request.path, backend.url).searchParams.get('from')))
    assert.ok(resumedAt.every((position) => position > 0) && resumedAt[0] < last, JSON.stringify({ resumedAt, last }))
    const commands = shown.filter((row) => row.type === 'command')
    assert.ok(commands.length >= 3, JSON.stringify(commands))
    const stored = shown.filter((row) => row.type !== 'command').map(({ position, kind, type }) => ({ position, kind, type }))
    assert.deepEqual(stored, expected)

    // Loaded afresh, the same rows (without the commands, see above), the same totals and agents.
    await app.waitLive()
    const cards = await steady(() => app.page.locator('[data-agent]').allInnerTexts())
    const cost = await app.totalCost()
    await app.page.reload()
    await app.waitLive()
    await app.page.waitForFunction((position) => document.querySelector(`[data-position="${position}"]`) !== null, last)
    const reloaded = (await app.streamRows()).map(({ position, kind, type }) => ({ position, kind, type }))
    assert.deepEqual(reloaded, expected)
    assert.equal(await app.totalCost(), cost)
    assert.deepEqual(await app.page.locator('[data-agent]').allInnerTexts(), cards)
  })

  it('logged no console errors', () => {
    assert.deepEqual(errors, [])
  })
})
