// The SPA served by the real backend (`o3s serve`, sim model) in Debian's headless Chromium, with the network
// between them cut mid-run. Runs when O3S_E2E_REAL=1 (starts a server) or O3S_E2E_URL is set (uses that one).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { launchBrowser, openPage } from './harness/browser.mjs'
import { realBackendWanted, startRealBackend } from './harness/realBackend.mjs'
import { spa } from './harness/spaPage.mjs'
import { startTcpProxy } from './harness/tcpProxy.mjs'

const STORED_ROW_KINDS = new Set(['agent_log', 'system_log', 'chat'])
const KIND_OF_TYPE = { agent_log: 'agent_log', system_log: 'system_log', orchestrator_chat: 'chat' }
const count = (page) => page.getByTestId('event-count').innerText().then(Number)

describe('SPA against the real backend (sim)', { skip: realBackendWanted() ? false : 'set O3S_E2E_REAL=1 or O3S_E2E_URL to run' }, () => {
  let backend, proxy, browser, app, errors

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

  it('serves the app with the sim backend badge and a live stream', async () => {
    assert.equal(await app.page.getByTestId('backend').innerText(), 'sim')
  })

  it('a chat message makes the orchestrator create an agent whose events stream while cost rises', async () => {
    const costBefore = await app.totalCost()
    await app.sendChat('create an agent named builder, then ask builder to write hello.txt containing hi')
    await app.agentCard('builder').waitFor({ timeout: 90_000 })
    await app.page.locator('[data-kind="agent_log"]').first().waitFor({ timeout: 90_000 })
    await app.page.waitForFunction((before) => document.querySelector('[data-testid="total-cost"]')?.textContent !== before, costBefore, {
      timeout: 90_000,
    })
  })

  it('filters by agent, errors and text', async () => {
    const total = await count(app.page)
    await app.agentCard('builder').click()
    await app.page.waitForFunction((all) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) < all, total)
    const builderId = await app.page.getByTestId('agent-filter').inputValue()
    const rows = await app.streamRows()
    assert.ok(rows.length > 0 && rows.every((row) => row.agentId === builderId), JSON.stringify(rows.slice(0, 5)))
    await app.agentCard('builder').click()
    await app.filter('errors')
    await app.page.waitForFunction((all) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) < all, total)
    await app.filter('combined')
    await app.search('hello.txt')
    await app.page.waitForFunction(() => Number(document.querySelector('[data-testid="event-count"]')?.textContent) > 0)
    await app.search('')
  })

  it('opens the Ctrl+K palette with the system info', async () => {
    await app.openPalette()
    await app.page.getByTestId('system-info').waitFor()
    await app.page.keyboard.press('Escape')
  })

  it('misses and doubles nothing when the network drops mid-run', async () => {
    await app.page.getByTestId('autoscroll').check()
    await app.sendChat('create an agent named second, then ask second to write a.txt containing one, then ask second to write b.txt containing two')
    // Cut the connections while the run is streaming, twice.
    for (const delay of [1500, 1500]) {
      await app.page.waitForTimeout(delay)
      proxy.cut()
      await app.page.getByTestId('connection').filter({ hasText: 'live' }).waitFor({ timeout: 30_000 })
    }
    await app.agentCard('second').waitFor({ timeout: 90_000 })
    await app.page.waitForFunction(() => document.querySelector('[data-agent="second"] .status')?.textContent === 'idle', null, { timeout: 120_000 })
    const stored = await fetch(`${backend.url}/get_events?limit=100000`).then((response) => response.json())
    const expected = stored.events.map((event) => ({ position: event.position, kind: KIND_OF_TYPE[event.type] }))
    await app.page.waitForFunction((last) => Number(document.querySelector('[data-testid="connection"]')?.title.replace('position ', '')) >= last, stored.position)
    const shown = (await app.streamRows()).filter((row) => STORED_ROW_KINDS.has(row.kind)).map(({ position, kind }) => ({ position, kind }))
    assert.deepEqual(shown, expected)
  })

  it('logged no console errors', () => {
    assert.deepEqual(errors, [])
  })
})
