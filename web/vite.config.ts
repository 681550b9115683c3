import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'
import type { ProxyOptions } from 'vite'

// The backend (Litestar) listens on 9403; O3S_BACKEND lets the e2e harness point preview at a fake server.
const backend = process.env.O3S_BACKEND ?? 'http://127.0.0.1:9403'
const proxied = ['/api', '/send_chat', '/load_chat', '/get_', '/list_agents', '/health', '/schema']

const proxyOptions: ProxyOptions = {
  target: backend,
  changeOrigin: false,
  // When the backend drops a stream (restart, slow-subscriber cut), drop the browser's side too, so its
  // EventSource reconnects with Last-Event-ID instead of hanging on a half-dead proxied response.
  configure: (server) =>
    server.on('proxyRes', (upstream, _request, response) => {
      upstream.on('close', () => {
        if (!response.writableEnded) response.destroy()
      })
    }),
}
const proxy = Object.fromEntries(proxied.map((prefix) => [prefix, proxyOptions]))

export default defineConfig({
  plugins: [vue()],
  server: { host: '127.0.0.1', port: 5175, strictPort: true, proxy },
  preview: { host: '127.0.0.1', port: 4175, proxy },
  build: { target: 'es2022', sourcemap: false },
  test: {
    include: ['src/**/*.spec.ts', 'scripts/**/*.spec.ts'],
    environment: 'node',
  },
})
