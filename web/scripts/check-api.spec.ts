import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const nullable = (type: string) => ({ oneOf: [{ type }, { type: 'null' }] })

/** Litestar + msgspec style: required fields without defaults, `X | None` as oneOf with null. */
function agentRowSchema(): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    id: { type: 'string', format: 'uuid' },
    orchestrator_agent_id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    model: { type: 'string' },
    system_prompt: { type: 'string' },
    template: nullable('string'),
    working_dir: { type: 'string' },
    status: { type: 'string' },
    session_id: nullable('string'),
    input_tokens: { type: 'integer' },
    output_tokens: { type: 'integer' },
    total_cost: { type: 'number' },
    budget_usd: nullable('number'),
    archived: { type: 'boolean' },
    latest_summary: nullable('string'),
    log_count: { type: 'integer' },
    metadata: { type: 'object', additionalProperties: {} },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    position: { type: 'integer' },
  }
  return { type: 'object', properties, required: Object.keys(properties) }
}

function schema(mutate: (row: Record<string, any>, doc: Record<string, any>) => void = () => {}) {
  const row = agentRowSchema()
  const doc: Record<string, any> = {
    openapi: '3.1.0',
    info: { title: 'o3s', version: '1' },
    paths: {
      '/list_agents': {
        get: {
          responses: {
            '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/AgentsPage' } } } },
          },
        },
      },
    },
    components: {
      schemas: {
        AgentRow: row,
        AgentsPage: {
          type: 'object',
          properties: { position: { type: 'integer' }, agents: { type: 'array', items: { $ref: '#/components/schemas/AgentRow' } } },
          required: ['position', 'agents'],
        },
      },
    },
  }
  mutate(row, doc)
  return doc
}

function check(doc: unknown): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'o3s-api-'))
  writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc))
  writeFileSync(
    join(dir, 'contract.mjs'),
    `export const endpoints = [{ method: 'get', path: '/list_agents', response: 'AgentsPage' }]\nexport const components = { AgentRow: 'AgentRow' }\n`,
  )
  try {
    const output = execFileSync(process.execPath, ['scripts/check-api.mjs', '--file', join(dir, 'openapi.json'), '--contract', join(dir, 'contract.mjs')], {
      encoding: 'utf8',
      stdio: 'pipe',
    })
    return { ok: true, output }
  } catch (error) {
    const failed = error as { stdout: string; stderr: string }
    return { ok: false, output: failed.stdout + failed.stderr }
  }
}

describe('check:api', () => {
  it('passes when the schema matches src/api/types.ts', () => {
    const result = check(schema())
    expect(result.output).toContain('agree with the schema')
    expect(result.ok).toBe(true)
  })

  it('fails, naming the type, when a field drifts', () => {
    const result = check(schema((row) => (row.properties.total_cost = { type: 'string' })))
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/total_cost/)
  })

  it('fails when a field is gone', () => {
    const result = check(schema((row) => delete row.properties.log_count))
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/log_count/)
  })

  it('reads answers as msgspec sends them: a field defaulting to None is left out of required, yet always present', () => {
    const result = check(schema((row) => (row.required = row.required.filter((name: string) => name !== 'template'))))
    expect(result.output).toContain('agree with the schema')
    expect(result.ok).toBe(true)
  })

  it('fails when a route is gone', () => {
    const result = check(schema((_row, doc) => delete doc.paths['/list_agents']))
    expect(result.ok).toBe(false)
    expect(result.output).toContain('GET /list_agents is not in the schema')
  })
}, 60_000)
