import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The backend (Litestar) listens on 9403; O3S_BACKEND lets the e2e harness point preview at a fake server.
const backend = process.env.O3S_BACKEND ?? 'http://127.0.0.1:9403'
const proxied = ['/api', '/send_chat', '/load_chat', '/get_', '/list_agents', '/health', '/schema']
const proxy = Object.fromEntries(proxied.map((prefix) => [prefix, { target: backend, changeOrigin: false }]))

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
