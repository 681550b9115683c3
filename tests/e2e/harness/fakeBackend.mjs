// A tiny stand-in for the o3s backend (read API, SSE stream, commands) that e2e tests steer over /__test/*.
import { createServer } from 'node:http'
import { SESSION_ID, replyScript, seedState } from './fakeScript.mjs'

/** The rows of the three event tables, by the frame that carries them, as /get_events returns them. */
function storedRow({ type, position, data }) {
  const now = data.timestamp
  const block = (message, metadata) => ({ ...chatRow(data.id, 'orchestrator', 'user', message, metadata), created_at: now, position })
  switch (type) {
    case 'agent_log':
    case 'system_log':
      return { type, position, log: data.log }
    case 'orchestrator_chat':
      return data.message.receiver_type === 'agent' ? null : { type, position, message: data.message }
    case 'agent_updated':
      return { type: 'agent_log', position, log: data.log }
    case 'error':
      return data.log ? { type: 'agent_log', position, log: data.log } : null
    case 'thinking_block':
      return { type: 'orchestrator_chat', position, message: block(data.thinking, { type: 'thinking', reply_to: data.reply_to }) }
    case 'tool_use_block': {
      const { tool_use_id, tool_name, tool_input, reply_to } = data
      return { type: 'orchestrator_chat', position, message: block(tool_name, { type: 'tool_use', reply_to, tool_use_id, tool_name, tool_input }) }
    }
    default:
      return null
  }
}

/** Frames carry the read tables' rows, which record the position that made them. */
function withPosition(body, position) {
  const data = { ...body, position }
  for (const key of ['log', 'message', 'agent']) if (data[key]) data[key] = { ...data[key], position }
  return data
}

export async function startFakeBackend({ port = 0 } = {}) {
  const state = seedState()
  const log = [] // stored events: { position, type, data }
  const streams = new Set()
  const requests = []

  function append(type, body) {
    const position = log.length + 1
    const data = withPosition(body, position)
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
    if (type === 'agent_updated' && agent) {
      state.agents.set(agent.id, add(agent, data.delta))
      state.orchestrator = { ...state.orchestrator, agents_cost: state.orchestrator.agents_cost + data.delta.total_cost }
    }
    if (type === 'agent_status_changed' && agent) state.agents.set(agent.id, { ...agent, status: data.new_status })
    const logged = ['agent_log', 'agent_updated'].includes(type) ? state.agents.get(data.log.agent_id) : undefined
    if (logged) state.agents.set(logged.id, { ...state.agents.get(logged.id), log_count: logged.log_count + 1 })
    if (type === 'orchestrator_updated' && data.delta) state.orchestrator = { ...add(state.orchestrator, data.delta), status: 'idle' }
    const row = storedRow({ type, position: data.position, data })
    if (row?.type === 'orchestrator_chat') state.chat.push(row.message)
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
    const position = append('orchestrator_chat', { message: chatRow(id, 'user', 'orchestrator', message, { type: 'text' }) })
    json(res, 202, { message_id: id, position })
    void replyScript({ append, emitEphemeral, state, chatRow }, message)
  }

  const routes = {
    'GET /health': (req, res) => json(res, 200, { status: 'ok', position: log.length, session_id: SESSION_ID, backend: 'sim' }),
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
      const limit = Number(url.searchParams.get('limit') ?? 100)
      if (!(limit >= 1 && limit <= 1000)) return problem(res, 400, 'Validation failed', 'limit: at most 1000')
      const rows = log.map(storedRow).filter(Boolean)
      json(res, 200, { position: log.length, events: rows.slice(-limit), has_more: rows.length > limit })
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

/** Positions the event stream shows for frames it received live: the stored rows, and notices without one. */
export function streamRowPositions(log) {
  return log.filter((event) => storedRow(event) !== null || event.type === 'error').map((event) => event.position)
}

export function chatRow(id, sender, receiver, message, metadata = { type: 'text' }) {
  return {
    id,
    orchestrator_agent_id: SESSION_ID,
    sender_type: sender,
    receiver_type: receiver,
    message,
    agent_id: null,
    summary: null,
    metadata,
    created_at: new Date().toISOString(),
    position: 0,
  }
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
