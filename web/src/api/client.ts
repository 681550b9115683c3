/** Typed HTTP calls to the o3s backend; non-2xx answers become ApiError carrying the problem+json body. */
import type {
  AgentReceipt,
  AgentsPage,
  ChatPage,
  CommandAgent,
  CommandReceipt,
  CreateAgent,
  EventsPage,
  Health,
  InterruptAgent,
  MessageReceipt,
  Problem,
  Receipt,
  StateSnapshot,
} from './types'
import { accessToken } from './token'

export class ApiError extends Error {
  readonly problem: Problem

  constructor(problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title)
    this.name = 'ApiError'
    this.problem = problem
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'title' in body && 'status' in body
}

async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '')
  try {
    const body: unknown = JSON.parse(text)
    if (isProblem(body)) return body
    // Litestar's default error body is {status_code, detail}; keep it readable until every route answers RFC 9457.
    if (typeof body === 'object' && body !== null && 'detail' in body) {
      return { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status, detail: String(body.detail) }
    }
  } catch {
    // not JSON: fall through to a generic problem with the raw text
  }
  return { type: 'about:blank', title: response.statusText || 'Request failed', status: response.status, detail: text.slice(0, 300) || undefined }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  // Writes need the server's O3S_TOKEN when it listens beyond loopback; reads never do.
  const token = method === 'GET' ? null : accessToken()
  if (token) headers['authorization'] = `Bearer ${token}`
  let response: Response
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (cause) {
    throw new ApiError({ type: 'about:blank', title: 'Backend unreachable', status: 0, detail: String(cause) })
  }
  if (!response.ok) throw new ApiError(await problemOf(response))
  if (response.status === 204) return undefined as T
  return (await response.json()) as T
}

/** `GET /get_events` filters (the backend refuses unknown ones); positions are exclusive bounds, limit ≤ 1000. */
export interface EventsQuery {
  after?: number
  before?: number
  limit?: number
  agent?: string
  types?: string
  level?: string
  text?: string
}

function queryString(query: EventsQuery): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value))
  const text = params.toString()
  return text ? `?${text}` : ''
}

const agentPath = (name: string) => `/api/agents/${encodeURIComponent(name)}`

export const api = {
  health: () => request<Health>('GET', '/health'),
  state: () => request<StateSnapshot>('GET', '/api/state'),
  events: (query: EventsQuery = {}) => request<EventsPage>('GET', `/get_events${queryString(query)}`),
  loadChat: (limit?: number) => request<ChatPage>('POST', '/load_chat', limit === undefined ? {} : { limit }),
  listAgents: () => request<AgentsPage>('GET', '/list_agents'),
  sendChat: (message: string) => request<MessageReceipt>('POST', '/send_chat', { message }),
  createAgent: (command: CreateAgent) => request<AgentReceipt>('POST', '/api/agents', command),
  commandAgent: (name: string, command: CommandAgent) => request<CommandReceipt>('POST', `${agentPath(name)}/commands`, command),
  interruptAgent: (name: string, body: InterruptAgent = {}) => request<Receipt>('POST', `${agentPath(name)}/interrupt`, body),
  deleteAgent: (name: string) => request<Receipt>('DELETE', agentPath(name)),
}
