// Measures frame intervals and long tasks inside the page, to judge how smooth the UI stays under load.

/** Starts recording; call the returned `stop()` to get stats of what happened since. */
export async function startFrameMeter(page) {
  await page.evaluate(() => {
    const meter = { frames: [], longTasks: [], running: true }
    window.__frameMeter = meter
    let last = performance.now()
    const tick = (now) => {
      if (!meter.running) return
      meter.frames.push(now - last)
      last = now
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
    try {
      meter.observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) meter.longTasks.push(entry.duration)
      })
      meter.observer.observe({ type: 'longtask', buffered: false })
    } catch {
      // longtask is Chromium-only; frames alone still tell the story
    }
  })
  return {
    stop: async () => {
      const raw = await page.evaluate(() => {
        const meter = window.__frameMeter
        meter.running = false
        meter.observer?.disconnect()
        return { frames: meter.frames.slice(1), longTasks: meter.longTasks }
      })
      return summarize(raw)
    },
  }
}

function percentile(sorted, fraction) {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]
}

export function summarize({ frames, longTasks }) {
  const sorted = [...frames].sort((a, b) => a - b)
  const round = (value) => Math.round(value * 100) / 100
  return {
    frames: frames.length,
    p50_ms: round(percentile(sorted, 0.5)),
    p95_ms: round(percentile(sorted, 0.95)),
    max_ms: round(sorted.at(-1) ?? 0),
    over_50ms: frames.filter((frame) => frame > 50).length,
    long_tasks: longTasks.length,
    long_task_ms: round(longTasks.reduce((sum, duration) => sum + duration, 0)),
  }
}
