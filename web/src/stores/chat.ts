/** The orchestrator chat: messages, thinking and tool-use blocks with their results, text streaming in, typing, sending. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api/client'
import type { ChatRow } from '../api/types'

export type ChatItem =
  | { kind: 'text'; id: string; sender: ChatRow['sender_type']; text: string; createdAt: string; pending: boolean }
  | { kind: 'thinking'; id: string; text: string; createdAt: string }
  | { kind: 'tool_use'; id: string; toolName: string; toolUseId: string | null; input: unknown; createdAt: string; result: ToolResult | null }
  | { kind: 'tool_result'; id: string; toolUseId: string | null; result: ToolResult; createdAt: string }

export interface ToolResult {
  text: string
  isError: boolean
}

export interface StreamingBlock {
  blockId: string
  text: string
}

export function metaString(row: ChatRow, key: string): string | null {
  const value = row.metadata[key]
  return typeof value === 'string' ? value : null
}

/** Commands to agents travel as chat rows too; the chat column shows the conversation with the orchestrator only. */
export const isCommand = (row: ChatRow) => row.receiver_type === 'agent' || metaString(row, 'type') === 'command'

/** Chat rows tell their block kind in metadata.type (text, thinking, tool_use, tool_result); anything else is text. */
export function chatItemOfRow(row: ChatRow): ChatItem {
  const type = metaString(row, 'type')
  if (type === 'thinking') return { kind: 'thinking', id: row.id, text: row.message, createdAt: row.created_at }
  const toolUseId = metaString(row, 'tool_use_id')
  if (type === 'tool_use') {
    const toolName = metaString(row, 'tool_name') ?? row.message
    return { kind: 'tool_use', id: row.id, toolName, toolUseId, input: row.metadata['tool_input'] ?? null, createdAt: row.created_at, result: null }
  }
  if (type === 'tool_result') {
    return { kind: 'tool_result', id: row.id, toolUseId, result: { text: row.message, isError: row.metadata['is_error'] === true }, createdAt: row.created_at }
  }
  return { kind: 'text', id: row.id, sender: row.sender_type, text: row.message, createdAt: row.created_at, pending: false }
}

export const useChatStore = defineStore('chat', () => {
  const items = ref<ChatItem[]>([])
  const streaming = ref<StreamingBlock[]>([])
  const typing = ref(false)
  const sending = ref(false)
  /** The send box's text; kept in the store so a failed send, or a slash command picked in Cmd+K, lands here. */
  const draft = ref('')
  const snapshotPosition = ref(0)
  const known = new Map<string, number>()
  /** Tool-use cards by tool_use_id, so a result lands on its card. */
  const toolCards = new Map<string, number>()

  function reset(): void {
    items.value = []
    known.clear()
    toolCards.clear()
  }

  function loadSnapshot(rows: ChatRow[], at: number, working: boolean): void {
    reset()
    for (const row of rows) if (!isCommand(row)) add(chatItemOfRow(row))
    snapshotPosition.value = at
    typing.value = working
  }

  function finishStreaming(blockId: string): void {
    streaming.value = streaming.value.filter((block) => block.blockId !== blockId)
  }

  /** Adds an item, replaces the pending copy with the same id (our own sent message), or puts a result on its card. */
  function add(item: ChatItem): void {
    if (item.kind === 'tool_result' && item.toolUseId !== null) {
      const card = toolCards.get(item.toolUseId)
      const target = card === undefined ? undefined : items.value[card]
      if (target?.kind === 'tool_use') {
        items.value[card!] = { ...target, result: item.result }
        known.set(item.id, card!)
        return
      }
    }
    const index = known.get(item.id)
    if (index !== undefined) {
      items.value[index] = item
      return
    }
    known.set(item.id, items.value.length)
    if (item.kind === 'tool_use' && item.toolUseId !== null) toolCards.set(item.toolUseId, items.value.length)
    items.value.push(item)
  }

  function addMessage(row: ChatRow, at: number): void {
    if (at <= snapshotPosition.value || isCommand(row)) return
    add(chatItemOfRow(row))
    finishStreaming(row.id)
  }

  function appendChunk(blockId: string, chunk: string): void {
    if (known.has(blockId)) return // the stored block came first: its chunks are stale
    const block = streaming.value.find((candidate) => candidate.blockId === blockId)
    if (block) block.text += chunk
    else streaming.value.push({ blockId, text: chunk })
  }

  function setTyping(isTyping: boolean): void {
    typing.value = isTyping
    // Chunks of a block whose stored copy never came are stale once the orchestrator stops working.
    if (!isTyping) streaming.value = []
  }

  /** Sends a message; on failure it throws, so the caller keeps the typed text. */
  async function send(message: string): Promise<void> {
    sending.value = true
    try {
      const accepted = await api.sendChat(message)
      if (!known.has(accepted.message_id)) {
        add({ kind: 'text', id: accepted.message_id, sender: 'user', text: message, createdAt: new Date().toISOString(), pending: true })
      }
    } finally {
      sending.value = false
    }
  }

  return {
    items,
    streaming,
    typing,
    sending,
    draft,
    snapshotPosition,
    loadSnapshot,
    addMessage,
    appendChunk,
    setTyping,
    send,
  }
})
