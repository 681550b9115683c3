// A tiny stand-in for the o3s backend (read API, SSE stream, commands) that e2e tests steer over /__test/*.
import { createServer } from 'node:http'
import { seedState, replyScript } from './fakeScript.mjs'

const LOG_TYPES = new Set(['agent_log', 'system_log', 'orchestrator_chat'])

export async function startFakeBackend({ port = 0 } = {}) {
  const state = seedState()
  const log = [] // stored events: { position, type, data }
  const streams = new Set()
  const requests = []

  function append(type, body) {
    const position = log.length + 1
    const data = { ...body, position }
    log.push({ position, type, data })
    fold(type, data)
    for (const stream of streams) writeFrame(stream, position, type, data)
    return position
  }

  function emitEphemeral(type, data) {
    for (const stream of streams) stream.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
  }

  // The snapshot the fake serves, folded the way the real projections do (usage arrives as deltas).
  function fold(type, data) {
    const add = (row, delta) => ({
      ...row,
      input_tokens: row.input_tokens + delta.input_tokens,
      output_tokens: row.output_tokens + delta.output_tokens,
      total_cost: row.total_cost + delta.total_cost,
    })
    const agent = state.agents.get(data.agent_id)
    if (type === 'agent_created') state.agents.set(data.agent.id, data.agent)
    if (type === 'agent_updated' && agent) state.agents.set(agent.id, add(agent, data.delta))
    if (type === 'agent_status_changed' && agent) state.agents.set(agent.id, { ...agent, status: data.new_status })
    if (type === 'agent_log' && state.agents.has(data.log.agent_id)) {
      const logged = state.agents.get(data.log.agent_id)
      state.agents.set(logged.id, { ...logged, log_count: logged.log_count + 1 })
    }
    if (type === 'orchestrator_updated' && data.delta) state.orchestrator = add(state.orchestrator, data.delta)
    if (type === 'orchestrator_chat') state.chat.push(data.message)
  }

  function writeFrame(stream, position, type, data) {
    stream.write(`id: ${position}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`)
  }

  const problem = (res, status, title, detail) => json(res, status, { type: 'about:blank', title, status, detail }, 'application/problem+json')

  function follow(req, res, url) {
    // Last-Event-ID (a browser's own reconnect) wins over ?from=, as the real backend must do.
    const from = Number(req.headers['last-event-id'] ?? url.searchParams.get('from') ?? 0)
    requests.push({ path: '/api/stream', from, lastEventId: req.headers['last-event-id'] ?? null })
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' })
    res.write('retry: 300\n\n')
    for (const event of log) if (event.position > from) writeFrame(res, event.position, event.type, event.data)
    streams.add(res)
    req.on('close', () => streams.delete(res))
  }

  async function sendChat(req, res) {
    const { message } = await body(req)
    if (typeof message !== 'string' || message.trim() === '' || message.includes('please fail')) {
      return problem(res, 503, 'Orchestrator unavailable', 'The runtime is restarting; try again.')
    }
    const id = `msg-${log.length + 1}`
    const position = append('orchestrator_chat', { message: chatRow(id, 'user', 'orchestrator', message) })
    json(res, 202, { message_id: id, position })
    void replyScript({ append, emitEphemeral, state, chatRow }, message)
  }

  const routes = {
    'GET /health': (req, res) => json(res, 200, { status: 'ok' }),
    'GET /api/state': (req, res) =>
      json(res, 200, {
        position: log.length,
        orchestrator: state.orchestrator,
        agents: [...state.agents.values()],
        chat: state.chat.slice(-200),
        slash_commands: state.slashCommands,
        templates: state.templates,
      }),
    'GET /get_events': (req, res, url) => {
      const limit = Number(url.searchParams.get('limit') ?? 500)
      const events = log.filter((event) => LOG_TYPES.has(event.type)).slice(-limit).map((event) => ({ type: event.type, ...event.data }))
      json(res, 200, { position: log.length, events })
    },
    'GET /api/stream': follow,
    'POST /send_chat': sendChat,
    'POST /api/agents': async (req, res) => {
      const { name } = await body(req)
      if ([...state.agents.values()].some((agent) => agent.name === name)) return problem(res, 409, 'Agent exists', `An agent named ${name} already exists.`)
      json(res, 201, { position: log.length, agent_id: `agent-${name}`, name })
    },
    'POST /__test/emit': async (req, res) => {
      const { type, data, ephemeral } = await body(req)
      json(res, 200, { position: ephemeral ? null : append(type, data) })
      if (ephemeral) emitEphemeral(type, data)
    },
    'POST /__test/kill-streams': (req, res) => {
      const killed = streams.size
      for (const stream of streams) stream.socket?.destroy()
      streams.clear()
      json(res, 200, { killed })
    },
    'GET /__test/requests': (req, res) => json(res, 200, requests),
  }

  // Commands to one agent: recorded for the test to inspect, answered with a receipt.
  async function agentCommand(req, res, name, action) {
    const payload = req.method === 'DELETE' ? {} : await body(req)
    requests.push({ path: `/api/agents/${name}${action ? `/${action}` : ''}`, method: req.method, body: payload })
    if (![...state.agents.values()].some((agent) => agent.name === name)) return problem(res, 404, 'Agent not found', `No agent named ${name}.`)
    json(res, action ? 202 : 200, { position: log.length })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const route = routes[`${req.method} ${url.pathname}`]
    const fail = (error) => problem(res, 500, 'Fake backend failed', String(error))
    if (route) return void Promise.resolve(route(req, res, url)).catch(fail)
    const agent = /^\/api\/agents\/([^/]+)(?:\/(commands|interrupt))?$/.exec(url.pathname)
    if (agent) return void agentCommand(req, res, decodeURIComponent(agent[1]), agent[2]).catch(fail)
    problem(res, 404, 'Not found', url.pathname)
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address()
  return {
    url: `http://127.0.0.1:${address.port}`,
    append,
    emitEphemeral,
    log,
    requests,
    get openStreams() {
      return streams.size
    },
    killStreams: () => {
      for (const stream of streams) stream.socket?.destroy()
      streams.clear()
    },
    close: () =>
      new Promise((resolve) => {
        for (const stream of streams) stream.socket?.destroy()
        server.close(resolve)
        server.closeAllConnections?.()
      }),
  }
}

/** Positions the event stream shows for frames it received live: logs, chat, errors, finished turns. */
export function streamRowPositions(log) {
  const shown = (event) =>
    LOG_TYPES.has(event.type) || event.type === 'error' || event.type === 'agent_updated' || (event.type === 'orchestrator_updated' && event.data.delta)
  return log.filter(shown).map((event) => event.position)
}

export function chatRow(id, sender, receiver, message, metadata = null) {
  return { id, sender_type: sender, receiver_type: receiver, message, agent_id: null, metadata, created_at: new Date().toISOString() }
}

function json(res, status, payload, type = 'application/json') {
  res.writeHead(status, { 'content-type': type })
  res.end(JSON.stringify(payload))
}

async function body(req) {
  let text = ''
  for await (const chunk of req) text += chunk
  return text ? JSON.parse(text) : {}
}
