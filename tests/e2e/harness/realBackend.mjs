// Runs the real backend (`o3s serve`, sim model) on a fresh database and a free port, serving web/dist.
// Or, with O3S_E2E_URL set, uses a server that is already running there.
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_DIR } from './paths.mjs'
import { freePort, waitForHttp } from './servers.mjs'

const PYTHON = join(REPO_DIR, '.venv', 'bin', 'python')
const O3S = join(REPO_DIR, '.venv', 'bin', 'o3s')

/** Whether this run should drive a real backend: O3S_E2E_URL (running server) or O3S_E2E_REAL=1 (start one). */
export const realBackendWanted = () => Boolean(process.env.O3S_E2E_URL || process.env.O3S_E2E_REAL === '1')

function database(action, name) {
  // tests/database.py owns how test databases are made (local PostgreSQL, or an embedded one).
  const code = `
import asyncio, sys
from tests.database import LOCAL_SERVER, create_database, drop_database
action, name = sys.argv[1], sys.argv[2]
if action == "create":
    print(asyncio.run(create_database(LOCAL_SERVER, name)))
else:
    asyncio.run(drop_database(LOCAL_SERVER, name))
`
  return execFileSync(PYTHON, ['-c', code, action, name], { cwd: REPO_DIR, encoding: 'utf8' }).trim()
}

export async function startRealBackend() {
  if (process.env.O3S_E2E_URL) return { url: process.env.O3S_E2E_URL, log: () => '', close: async () => {} }
  const name = `o3s_e2e_${process.pid}_${Date.now()}`
  const databaseUrl = database('create', name)
  const work = mkdtempSync(join(tmpdir(), 'o3s-e2e-'))
  const port = await freePort()
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    O3S_HOST: '127.0.0.1',
    O3S_PORT: String(port),
    O3S_MODEL_BACKEND: 'sim',
    O3S_CWD: work,
    O3S_DATA_DIR: join(work, '.o3s'),
    LOG_DIR: join(work, 'logs'),
  }
  execFileSync(O3S, ['migrate'], { cwd: REPO_DIR, env, stdio: 'pipe' })
  const child = spawn(O3S, ['serve', '--port', String(port)], { cwd: REPO_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  const url = `http://127.0.0.1:${port}`
  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 8000))])
      if (child.exitCode === null) child.kill('SIGKILL')
    }
    database('drop', name)
    rmSync(work, { recursive: true, force: true })
  }
  try {
    await waitForHttp(`${url}/health`, { timeoutMs: 60_000 })
  } catch (error) {
    await close()
    throw new Error(`o3s serve did not start: ${error.message}\n${output.slice(-4000)}`)
  }
  return { url, log: () => output, close }
}
