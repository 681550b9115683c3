// Takes a screenshot of the SPA after a scripted run: `node tests/e2e/screenshot.mjs out.png [URL]`.
// Without URL it runs the fake backend and vite preview; with URL (e.g. a running `o3s serve`) it shoots that.
import { launchBrowser, openPage } from './harness/browser.mjs'
import { startFakeBackend } from './harness/fakeBackend.mjs'
import { startPreview } from './harness/servers.mjs'
import { spa } from './harness/spaPage.mjs'

const [out = 'o3s.png', target] = process.argv.slice(2)
const backend = target ? null : await startFakeBackend()
const preview = target ? null : await startPreview(backend.url)
const browser = await launchBrowser({ viewport: { width: 1440, height: 860 } })
try {
  const { page } = await openPage(browser.context, target ?? preview.url)
  const app = spa(page)
  await app.waitLive()
  if (!target) {
    await app.sendChat('Build the demo and show me the README diff')
    await app.agentCard('builder').waitFor()
    await page.getByText('Edited README.md').first().waitFor()
  }
  // Show what rows and cards can unfold: the newest file diff, and the newest thinking and tool card of the chat.
  for (const testId of ['file-toggle', 'chat-thinking', 'chat-tool-use']) {
    const last = page.getByTestId(testId).last()
    if (await last.count()) await last.click()
  }
  await page.waitForTimeout(400)
  await page.screenshot({ path: out })
  console.log(out)
} finally {
  await browser.close()
  await preview?.close()
  await backend?.close()
}
