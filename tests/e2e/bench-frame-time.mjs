// Frame time of the SPA while 1000 events/s arrive, with an empty stream and with 100k rows held; prints JSON.
// Baseline = frames of the same page idling, measured in the same run. `npm --prefix web run bench:frames`.
import { launchBrowser, openPage } from './harness/browser.mjs'
import { startFakeBackend } from './harness/fakeBackend.mjs'
import { agentLog, agentRow } from './harness/fakeScript.mjs'
import { startFrameMeter } from './harness/frameMeter.mjs'
import { startPreview } from './harness/servers.mjs'
import { spa } from './harness/spaPage.mjs'

const RATE = Number(process.env.RATE ?? 1000)
const SECONDS = Number(process.env.SECONDS ?? 5)
const HELD = Number(process.env.HELD ?? 100_000)

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const agent = agentRow('agent-bench', 'bench')
let index = 0
const nextLog = (backend) =>
  backend.append('agent_log', {
    log: agentLog(agent, index++, {
      event_type: index % 3 ? 'PreToolUse' : 'PostToolUse',
      summary: `step ${index}`,
      content: index % 7 ? null : 'a somewhat longer line of tool output that wraps '.repeat(4),
      payload: { tool_name: index % 2 ? 'Read' : 'Bash' },
    }),
  })

async function measure(page, backend, rate, seconds) {
  const meter = await startFrameMeter(page)
  const tickMs = 10
  const perTick = (rate * tickMs) / 1000
  const end = Date.now() + seconds * 1000
  let owed = 0
  while (Date.now() < end) {
    owed += perTick
    for (; owed >= 1; owed -= 1) if (rate > 0) nextLog(backend)
    await pause(tickMs)
  }
  return meter.stop()
}

async function waitForRows(app, count) {
  const started = Date.now()
  await app.page.waitForFunction((target) => Number(document.querySelector('[data-testid="event-count"]')?.textContent) >= target, count, {
    timeout: 180_000,
    polling: 250,
  })
  return Date.now() - started
}

const backend = await startFakeBackend()
const preview = await startPreview(backend.url)
const browser = await launchBrowser()
try {
  const { page, errors } = await openPage(browser.context, preview.url)
  const app = spa(page)
  await app.waitLive()
  backend.append('agent_created', { agent })
  const idle = await measure(page, backend, 0, 2)
  const burstEmpty = await measure(page, backend, RATE, SECONDS)
  const loadStarted = Date.now()
  for (let sent = 0; sent < HELD; sent += 1000) {
    for (let step = 0; step < 1000; step += 1) nextLog(backend)
    await pause(5)
  }
  const rowsExpected = index
  await waitForRows(app, rowsExpected)
  const catchUpMs = Date.now() - loadStarted
  const burstHeld = await measure(page, backend, RATE, SECONDS)
  await app.search('bash')
  const burstFiltered = await measure(page, backend, RATE, SECONDS)
  const ratio = (run) => Math.round((run.p95_ms / Math.max(idle.p95_ms, 1)) * 100) / 100
  console.log(
    JSON.stringify(
      {
        bench: 'spa_frame_time',
        rate_per_s: RATE,
        seconds: SECONDS,
        rows_held: rowsExpected,
        catch_up_ms_for_held_rows: catchUpMs,
        baseline_idle: idle,
        burst_empty: { ...burstEmpty, p95_ratio_vs_idle: ratio(burstEmpty) },
        burst_with_rows_held: { ...burstHeld, p95_ratio_vs_idle: ratio(burstHeld) },
        burst_with_search_filter: { ...burstFiltered, p95_ratio_vs_idle: ratio(burstFiltered) },
        console_errors: errors.length,
      },
      null,
      2,
    ),
  )
} finally {
  await browser.close()
  await preview.close()
  await backend.close()
}
