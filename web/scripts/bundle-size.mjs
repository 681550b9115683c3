// Gzipped size of the JavaScript the built index.html loads first; fails above the 300 KB budget.
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_BYTES = 300 * 1024
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')
const html = readFileSync(join(dist, 'index.html'), 'utf8')
const scripts = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="([^"]+\.js)"/g)].map((match) => match[1])
const sizes = scripts.map((src) => {
  const bytes = readFileSync(join(dist, src.replace(/^\//, '')))
  return { file: src, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length }
})
const total = sizes.reduce((sum, entry) => sum + entry.gzip, 0)
console.log(JSON.stringify({ first_load_js_gzip_bytes: total, budget_bytes: BUDGET_BYTES, files: sizes }, null, 2))
if (total > BUDGET_BYTES) {
  console.error(`first-load JS is ${total} bytes gzipped, over the ${BUDGET_BYTES} budget`)
  process.exit(1)
}
