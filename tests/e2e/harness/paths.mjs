// Where the web project and its build live, relative to this harness.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
export const REPO_DIR = join(E2E_DIR, '..', '..')
export const WEB_DIR = join(REPO_DIR, 'web')
