import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError } from '../api/client'
import { chatRow } from '../testing/fixtures'
import { useChatStore } from './chat'

function answer(status: number, body: unknown) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))
}

describe('chat store: sending', () => {
  beforeEach(() => setActivePinia(createPinia()))
  afterEach(() => vi.unstubAllGlobals())

  it('shows a sent message as pending until the stream brings the stored one', async () => {
    vi.stubGlobal('fetch', answer(202, { message_id: 'm1', position: 5 }))
    const chat = useChatStore()
    chat.loadSnapshot([], 4, false)
    await chat.send('hello')
    expect(chat.items).toEqual([expect.objectContaining({ id: 'm1', text: 'hello', pending: true })])
    chat.addMessage(chatRow({ id: 'm1', message: 'hello' }), 5)
    expect(chat.items).toEqual([expect.objectContaining({ id: 'm1', pending: false })])
  })

  it('does not add a pending copy when the stream was faster than the answer', async () => {
    const chat = useChatStore()
    chat.loadSnapshot([], 4, false)
    vi.stubGlobal('fetch', async () => {
      chat.addMessage(chatRow({ id: 'm1', message: 'hi' }), 5)
      return new Response(JSON.stringify({ message_id: 'm1', position: 5 }), { status: 202 })
    })
    await chat.send('hi')
    expect(chat.items.map((item) => item.id)).toEqual(['m1'])
  })

  it('throws the problem on failure and keeps the draft', async () => {
    vi.stubGlobal('fetch', answer(413, { type: 'text-too-long', title: 'Message too long', status: 413, detail: 'at most 100000 characters' }))
    const chat = useChatStore()
    chat.draft = 'a very long message'
    await expect(chat.send(chat.draft)).rejects.toBeInstanceOf(ApiError)
    expect(chat.draft).toBe('a very long message')
    expect(chat.items).toEqual([])
    expect(chat.sending).toBe(false)
  })
})

describe('chat store: rows', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('puts a tool result on its tool-use card, keeps commands to agents out, and shows typing while working', () => {
    const chat = useChatStore()
    const toolUse = chatRow({ id: 'u1', sender_type: 'orchestrator', receiver_type: 'user', message: 'mcp__mgmt__list_agents', metadata: { type: 'tool_use', tool_use_id: 'tu1', tool_name: 'mcp__mgmt__list_agents', tool_input: {} } })
    const command = chatRow({ id: 'c1', sender_type: 'orchestrator', receiver_type: 'agent', agent_id: 'a1', message: 'write a.txt', metadata: { type: 'command' } })
    chat.loadSnapshot([toolUse, command], 2, true)
    expect(chat.typing).toBe(true)
    chat.addMessage(chatRow({ id: 'r1', sender_type: 'orchestrator', receiver_type: 'user', message: 'no agents', metadata: { type: 'tool_result', tool_use_id: 'tu1', is_error: false } }), 3)
    chat.addMessage(chatRow({ id: 'r2', sender_type: 'orchestrator', receiver_type: 'user', message: 'orphan', metadata: { type: 'tool_result', tool_use_id: 'tu9', is_error: true } }), 4)
    expect(chat.items).toEqual([
      expect.objectContaining({ kind: 'tool_use', id: 'u1', result: { text: 'no agents', isError: false } }),
      expect.objectContaining({ kind: 'tool_result', id: 'r2', result: { text: 'orphan', isError: true } }),
    ])
  })

  it('drops the chunks of a block whose stored row came first', () => {
    const chat = useChatStore()
    chat.loadSnapshot([], 0, false)
    chat.addMessage(chatRow({ id: 'b1', sender_type: 'orchestrator', receiver_type: 'user' }), 1)
    chat.appendChunk('b1', 'late')
    expect(chat.streaming).toEqual([])
  })
})
