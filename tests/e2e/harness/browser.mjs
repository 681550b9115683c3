// Launches Debian's Chromium through playwright-core (no browser download) and opens pages that record console errors.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WEB_DIR } from './paths.mjs'

const require = createRequire(join(WEB_DIR, 'package.json'))
const { chromium } = require('playwright-core')

export const CHROMIUM = process.env.O3S_CHROMIUM ?? '/usr/bin/chromium'

// Without the background-networking flags Chromium keeps dialling Google on this closed network.
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function ensureChromium() {
  execFileSync('bash', [join(WEB_DIR, 'scripts', 'ensure-chromium.sh')], { stdio: 'inherit' })
}

/** A headless browser with a fresh profile; `close()` removes the profile. */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  ensureChromium()
  const profile = mkdtempSync(join(tmpdir(), 'o3s-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
  })
  return {
    context,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/**
 * Opens `url`. Console errors and uncaught exceptions go to `errors`; HTTP error answers (which Chromium also logs
 * to the console) go to `failedRequests` as status codes, so a test can tell provoked failures from real ones.
 */
export async function openPage(context, url) {
  const page = await context.newPage()
  const errors = []
  const failedRequests = []
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text())
  })
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(response.status())
  })
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(url)
  return { page, errors, failedRequests }
}
