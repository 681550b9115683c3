// The built SPA under `vite preview`, in Debian's headless Chromium, against the in-process fake backend.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { launchBrowser, openPage } from './harness/browser.mjs'
import { startFakeBackend, streamRowPositions } from './harness/fakeBackend.mjs'
import { agentLog, agentRow } from './harness/fakeScript.mjs'
import { startPreview } from './harness/servers.mjs'
import { spa } from './harness/spaPage.mjs'

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

describe('SPA against a fake backend', () => {
  let backend, preview, browser, app, errors, failedRequests

  before(async () => {
    backend = await startFakeBackend()
    preview = await startPreview(backend.url)
    browser = await launchBrowser()
    const opened = await openPage(browser.context, preview.url)
    app = spa(opened.page)
    errors = opened.errors
    failedRequests = opened.failedRequests
    await app.waitLive()
  })

  after(async () => {
    await browser?.close()
    await preview?.close()
    await backend?.close()
  })

  it('shows the session, the sim backend and a live connection', async () => {
    assert.equal(await app.page.getByTestId('backend').innerText(), 'sim')
    assert.match(await app.page.getByTestId('session-id').innerText(), /^sess-e2e/)
    assert.equal(await app.connection(), 'live')
    assert.equal(await app.totalCost(), '$0.00')
  })

  it('sends a chat message; the reply streams in, an agent appears, its events stream and cost rises', async () => {
    await app.sendChat('build the demo')
    await app.page.getByTestId('chat-message').filter({ hasText: 'On it: creating a builder agent.' }).waitFor()
    await app.agentCard('builder').waitFor()
    await app.page.getByText('Edited README.md').first().waitFor()
    assert.equal(await app.chatInput().inputValue(), '')
    await app.page.getByTestId('chat-thinking').first().click()
    await app.page.getByTestId('chat-thinking').getByText('The user said: build the demo').waitFor()
    assert.equal(await app.page.getByTestId('chat-tool-use').count(), 1)
    await app.page.waitForFunction(() => document.querySelector('[data-testid="total-cost"]')?.textContent !== '$0.00')
    assert.equal(await app.totalCost(), '$0.0143')
    assert.equal(await app.page.getByTestId('agent-cost-builder').innerText(), '$0.0123')
    assert.equal(await app.page.getByTestId('typing').count(), 0)
  })

  it('renders what agents print as text, never as HTML', async () => {
    await app.page.getByTestId('file-toggle').first().click()
    await app.page.getByTestId('diff').waitFor()
    assert.match(await app.page.getByTestId('diff').innerText(), /\+<img src=x onerror="window.__xss=1">/)
    await app.page.getByText('<script>window.__xss=1</script>').waitFor()
    assert.equal(await app.page.evaluate(() => window.__xss), undefined)
    assert.equal(await app.page.locator('[data-testid="event-list"] img, [data-testid="event-list"] script').count(), 0)
  })

  it('filters the stream: errors, performance, text search, agent', async () => {
    const all = await app.eventCount()
    await app.filter('errors')
    await app.page.waitForFunction(() => document.querySelector('[data-testid="event-count"]')?.textContent === '1')
    assert.equal(await app.page.locator('[data-kind="agent_log"]').innerText().then((text) => text.includes('PostToolUseFailure')), true)
    await app.filter('performance')
    // The builder's finished turn (its `result` row); the orchestrator's turns are in the header, not rows.
    await app.page.waitForFunction(() => document.querySelector('[data-testid="event-count"]')?.textContent === '1')
    assert.equal(await app.page.locator('[data-type="result"]').count(), 1)
    await app.filter('combined')
    await app.search('bash failed')
    await app.page.waitForFunction(() => document.querySelector('[data-testid="event-count"]')?.textContent === '1')
    await app.search('')
    await app.page.waitForFunction((total) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) === total, all)
    await app.agentCard('builder').click()
    await app.page.waitForFunction((total) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) < total, all)
    assert.equal(await app.eventCount(), 4)
    await app.agentCard('builder').click()
    await app.page.waitForFunction((total) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) === total, all)
  })

  it('opens the Ctrl+K palette with system info and badges; a problem+json error shows as a toast', async () => {
    await app.openPalette()
    assert.match(await app.page.getByTestId('system-info').innerText(), /sess-e2e-0001/)
    assert.deepEqual(await app.page.getByTestId('slash-badge').allInnerTexts(), ['/plan', '/review'])
    assert.deepEqual(await app.page.getByTestId('template-badge').allInnerTexts(), ['tester'])
    await app.page.getByTestId('palette-input').fill('create')
    await app.page.keyboard.press('Enter')
    await app.page.getByTestId('create-agent-form').getByRole('textbox').first().fill('builder')
    await app.page.keyboard.press('Enter')
    await app.page.getByTestId('toast').filter({ hasText: 'Agent exists (409)' }).waitFor()
    await app.page.keyboard.press('Escape')
    await app.page.keyboard.press('Escape')
    await app.page.getByTestId('palette').waitFor({ state: 'detached' })
  })

  it('commands an agent from the palette with the keyboard alone', async () => {
    await app.openPalette()
    await app.page.keyboard.type('command build')
    await app.page.keyboard.press('ArrowDown')
    await app.page.keyboard.press('ArrowUp')
    await app.page.keyboard.press('Enter')
    await app.page.getByTestId('agent-command-input').waitFor()
    await app.page.keyboard.type('write notes.md')
    await app.page.keyboard.press('Enter')
    await app.page.getByTestId('toast').filter({ hasText: 'Command sent to builder' }).waitFor()
    await app.page.getByTestId('palette').waitFor({ state: 'detached' })
    const sent = backend.requests.filter((request) => request.path === '/api/agents/builder/commands')
    assert.deepEqual(sent.map((request) => request.body), [{ prompt: 'write notes.md' }])
  })

  it('keeps the typed message when sending fails', async () => {
    await app.sendChat('please fail this one')
    await app.page.getByTestId('toast').filter({ hasText: 'Orchestrator unavailable' }).waitFor()
    assert.equal(await app.chatInput().inputValue(), 'please fail this one')
    await app.chatInput().fill('')
  })

  it('completes slash commands in the send box', async () => {
    await app.chatInput().fill('/re')
    await app.page.getByRole('option', { name: /\/review/ }).waitFor()
    await app.chatInput().press('Tab')
    assert.equal(await app.chatInput().inputValue(), '/review ')
    await app.chatInput().fill('')
  })

  it('loses and doubles nothing when the SSE connection is killed mid-run', async () => {
    const agent = agentRow('agent-burst', 'burster')
    backend.append('agent_created', { agent })
    const before = backend.log.length
    const burst = (async () => {
      for (let index = 0; index < 300; index += 1) {
        backend.append('agent_log', { log: agentLog(agent, index, { summary: `burst ${index}` }) })
        if (index % 10 === 0) await pause(5)
        if (index === 100 || index === 200) {
          // Cut a live connection each time: wait for the browser to be back from the previous cut.
          while (backend.openStreams === 0) await pause(20)
          backend.killStreams()
        }
      }
    })()
    await burst
    const expected = streamRowPositions(backend.log)
    await app.page
      .waitForFunction((count) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) >= count, expected.length, { timeout: 15_000 })
      .catch(async (error) => {
        throw new Error(`${error.message}; shows ${await app.eventCount()} of ${expected.length}; stream requests ${JSON.stringify(backend.requests)}`)
      })
    await pause(300)
    assert.equal(await app.eventCount(), expected.length)
    assert.deepEqual(await app.streamPositions(), expected)
    const resumed = backend.requests.filter((request) => request.path === '/api/stream' && request.lastEventId !== null)
    assert.ok(resumed.length >= 2, `expected browser reconnects with Last-Event-ID, got ${JSON.stringify(backend.requests)}`)
    assert.ok(resumed.every((request) => request.from > before - 1))
    assert.equal(await app.page.locator('[data-agent="burster"]').innerText().then((text) => text.includes('300 ev')), true)
    await app.waitLive()
  })

  it('logged no console errors, and only the failures the tests provoked', () => {
    assert.deepEqual(errors, [])
    assert.deepEqual(failedRequests, [409, 503])
  })
})

describe('SPA on a narrow screen', () => {
  it('switches panels with tabs', async () => {
    const backend = await startFakeBackend()
    const preview = await startPreview(backend.url)
    const browser = await launchBrowser({ viewport: { width: 480, height: 860 } })
    try {
      const { page, errors, failedRequests } = await openPage(browser.context, preview.url)
      await spa(page).waitLive()
      assert.equal(await page.getByTestId('chat-input').isVisible(), false)
      await page.getByRole('button', { name: 'Chat', exact: true }).click()
      assert.equal(await page.getByTestId('chat-input').isVisible(), true)
      assert.equal(await page.getByTestId('event-search').isVisible(), false)
      assert.deepEqual(errors, [])
      assert.deepEqual(failedRequests, [])
    } finally {
      await browser.close()
      await preview.close()
      await backend.close()
    }
  })
})
