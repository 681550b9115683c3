// Fails when src/api/types.ts and the backend's OpenAPI document disagree: generates types from the schema with
// openapi-typescript, then lets tsc check that each route and component matches ours, in both directions.
//   npm run check:api                          schema from http://127.0.0.1:9403/schema/openapi.json
//   npm run check:api -- --file openapi.json   schema saved by a backend test (or O3S_OPENAPI_FILE)
//   npm run check:api -- --url URL             (or O3S_OPENAPI_URL)
//   --contract FILE                            another contract module (default scripts/api-contract.mjs)
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const web = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
const option = (name) => {
  const index = args.indexOf(`--${name}`)
  return index >= 0 ? args[index + 1] : undefined
}

async function loadSchema() {
  const file = option('file') ?? process.env.O3S_OPENAPI_FILE
  if (file) return JSON.parse(readFileSync(resolve(file), 'utf8'))
  const url = option('url') ?? process.env.O3S_OPENAPI_URL ?? 'http://127.0.0.1:9403/schema/openapi.json'
  try {
    const response = await fetch(url)
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    return await response.json()
  } catch (error) {
    console.error(`check:api: no schema at ${url} (${error.message}); start the backend or pass --file`)
    process.exit(2)
  }
}

/** Operations missing from the schema, by method and path ({param} names may differ). */
function missingRoutes(schema, endpoints) {
  const shape = (path) => path.replace(/\{[^}]+\}/g, '{}')
  const known = new Map(Object.entries(schema.paths ?? {}).map(([path, item]) => [shape(path), [path, item]]))
  return endpoints.filter(({ method, path }) => !known.get(shape(path))?.[1]?.[method])
}

function contractSource(schema, endpoints, components, typesImport) {
  const actual = new Map(Object.keys(schema.paths ?? {}).map((path) => [path.replace(/\{[^}]+\}/g, '{}'), path]))
  const lines = [
    `import type * as Local from '${typesImport}'`,
    `import type { components, paths } from './openapi'`,
    `import type { paths as requestPaths } from './openapi-requests'`,
    `type Schemas = components['schemas']`,
    `type Ok<R> = R extends { 200: infer A } ? A : R extends { 201: infer A } ? A : R extends { 202: infer A } ? A : never`,
    `type Json<T> = T extends { content: { 'application/json': infer J } } ? J : never`,
    `type Response<Op> = Op extends { responses: infer R } ? Json<Ok<R>> : never`,
    `type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never`,
    `type Present<T> = [T] extends [never] ? 'missing from the schema' : 'ok'`,
    '',
  ]
  const pair = (label, local, wire) => {
    const name = label.replace(/\W+/g, '_')
    lines.push(
      `// ${label}`,
      `export const present_${name}: Present<${wire}> = 'ok'`,
      `export function ${name}(ours: ${local}, theirs: ${wire}) {`,
      `  const oursFitsSchema: ${wire} = ours`,
      `  const schemaFitsOurs: ${local} = theirs`,
      `  return [oursFitsSchema, schemaFitsOurs]`,
      `}`,
    )
  }
  for (const { method, path, response, body } of endpoints) {
    const key = `['${actual.get(path.replace(/\{[^}]+\}/g, '{}')) ?? path}']['${method}']`
    if (response) pair(`${method.toUpperCase()} ${path} response ${response}`, `Local.${response}`, `Response<paths${key}>`)
    if (body) pair(`${method.toUpperCase()} ${path} body ${body}`, `Local.${body}`, `Body<requestPaths${key}>`)
  }
  for (const [local, wire] of Object.entries(components)) pair(`component ${local}`, `Local.${local}`, `Schemas['${wire}']`)
  return lines.join('\n') + '\n'
}

const contractPath = resolve(option('contract') ?? join(web, 'scripts', 'api-contract.mjs'))
const { endpoints, components } = await import(pathToFileURL(contractPath).href)
const schema = await loadSchema()
const out = join(web, 'node_modules', '.cache', 'o3s-api-check')
mkdirSync(out, { recursive: true })
/** msgspec encodes every field of a Struct (none of ours omits defaults), so in answers every property is present,
 * even those Litestar leaves out of `required` because they default to None. */
function everyFieldSent(node) {
  if (Array.isArray(node)) return node.map(everyFieldSent)
  if (typeof node !== 'object' || node === null) return node
  const copy = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, everyFieldSent(value)]))
  if (copy.type === 'object' && copy.properties) copy.required = Object.keys(copy.properties)
  return copy
}

// msgspec writes dict[str, Any] as a bare {type: object}: that is "any keys", not "no keys". A field with a
// default is always present in what the server sends, but may be left out of what a client sends: so
// responses are read from one rendering (every field present) and request bodies from another (as declared).
const render = async (doc, defaultNonNullable) => astToString(await openapiTS(doc, { emptyObjectsUnknown: true, defaultNonNullable }))
writeFileSync(join(out, 'openapi.ts'), await render(everyFieldSent(schema), true))
writeFileSync(join(out, 'openapi-requests.ts'), await render(schema, false))
const typesImport = relative(out, join(web, 'src', 'api', 'types')).split('\\').join('/')
writeFileSync(join(out, 'contract.ts'), contractSource(schema, endpoints, components, typesImport))

const missing = missingRoutes(schema, endpoints)
for (const { method, path } of missing) console.error(`check:api: ${method.toUpperCase()} ${path} is not in the schema`)
let typesAgree = true
try {
  const tsc = join(web, 'node_modules', 'typescript', 'bin', 'tsc')
  const flags = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler']
  execFileSync(process.execPath, [tsc, ...flags, join(out, 'contract.ts')], { stdio: 'pipe', encoding: 'utf8' })
} catch (error) {
  typesAgree = false
  console.error(`check:api: src/api/types.ts and the schema disagree (see ${relative(web, join(out, 'contract.ts'))}):`)
  console.error(String(error.stdout || error.message).trim())
}
if (missing.length || !typesAgree) process.exit(1)
console.log(`check:api: ${endpoints.length} routes and ${Object.keys(components).length} components agree with the schema`)
