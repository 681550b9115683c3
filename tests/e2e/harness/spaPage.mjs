// A page object over the SPA: what a person sees and does, in terms both the fake and the real backend tests share.

export function spa(page) {
  return {
    page,
    connection: () => page.getByTestId('connection').innerText(),
    waitLive: () => page.getByTestId('connection').filter({ hasText: 'live' }).waitFor(),
    agentNames: () => page.locator('[data-agent]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-agent'))),
    agentCard: (name) => page.locator(`[data-agent="${name}"]`),
    totalCost: () => page.getByTestId('total-cost').innerText(),
    eventCount: async () => Number(await page.getByTestId('event-count').innerText()),
    chatInput: () => page.getByTestId('chat-input'),
    async sendChat(text) {
      await page.getByTestId('chat-input').fill(text)
      await page.getByTestId('chat-input').press('Enter')
    },
    filter: (mode) => page.locator(`[data-filter="${mode}"]`).click(),
    search: (text) => page.getByTestId('event-search').fill(text),
    async openPalette() {
      await page.keyboard.press('Control+k')
      await page.getByTestId('palette').waitFor()
    },
    /** Positions of every row in the virtualized stream, scrolling it top to bottom to render them all. */
    async streamPositions() {
      return (await this.streamRows()).map((row) => row.position)
    },
    /** Every row of the virtualized stream as {position, kind, type, agentId}, in position order. */
    async streamRows() {
      return page.getByTestId('event-list').evaluate(async (list) => {
        const seen = new Map()
        const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
        list.scrollTop = 0
        await frame()
        for (;;) {
          for (const row of list.querySelectorAll('[data-position]')) {
            const position = Number(row.getAttribute('data-position'))
            seen.set(position, { position, kind: row.getAttribute('data-kind'), type: row.getAttribute('data-type'), agentId: row.getAttribute('data-agent-id') })
          }
          if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break
          list.scrollTop += Math.max(50, list.clientHeight - 50)
          await frame()
        }
        return [...seen.values()].sort((a, b) => a.position - b.position)
      })
    },
    /** Counts rows rendered twice for one position on screen now (a doubled event would show twice). */
    duplicateRowsOnScreen: () =>
      page.getByTestId('event-list').evaluate((list) => {
        const positions = [...list.querySelectorAll('[data-position]')].map((row) => row.getAttribute('data-position'))
        return positions.length - new Set(positions).size
      }),
  }
}
