/** The orchestrator chat: messages, thinking and tool-use blocks, text streaming in, typing, and sending. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { api } from '../api/client'
import type { ChatRow, ThinkingBlockFrame, ToolUseBlockFrame } from '../api/types'

export type ChatItem =
  | { kind: 'text'; id: string; sender: ChatRow['sender_type']; text: string; createdAt: string; pending: boolean }
  | { kind: 'thinking'; id: string; text: string; createdAt: string }
  | { kind: 'tool_use'; id: string; toolName: string; input: unknown; createdAt: string }

export interface StreamingBlock {
  blockId: string
  text: string
}

function metaString(row: ChatRow, key: string): string | null {
  const value = row.metadata?.[key]
  return typeof value === 'string' ? value : null
}

/** Stored chat rows may carry a thinking or tool-use block (metadata.type); everything else is text. */
export function chatItemOfRow(row: ChatRow): ChatItem {
  const type = metaString(row, 'type')
  if (type === 'thinking') return { kind: 'thinking', id: row.id, text: row.message, createdAt: row.created_at }
  if (type === 'tool_use') {
    return {
      kind: 'tool_use',
      id: row.id,
      toolName: metaString(row, 'tool_name') ?? 'tool',
      input: row.metadata?.['tool_input'] ?? null,
      createdAt: row.created_at,
    }
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

  function reindex(): void {
    known.clear()
    items.value.forEach((item, index) => known.set(item.id, index))
  }

  function loadSnapshot(rows: ChatRow[], at: number): void {
    items.value = rows.map(chatItemOfRow)
    snapshotPosition.value = at
    reindex()
  }

  function finishStreaming(blockId: string | null): void {
    if (blockId !== null) streaming.value = streaming.value.filter((block) => block.blockId !== blockId)
  }

  /** Adds a finished item, or replaces the pending copy with the same id (our own sent message). */
  function put(item: ChatItem): void {
    const index = known.get(item.id)
    if (index === undefined) {
      known.set(item.id, items.value.length)
      items.value.push(item)
    } else {
      items.value[index] = item
    }
  }

  function addMessage(row: ChatRow, at: number): void {
    if (at <= snapshotPosition.value) return
    put(chatItemOfRow(row))
    finishStreaming(row.id)
    finishStreaming(metaString(row, 'block_id'))
  }

  function addThinking(frame: ThinkingBlockFrame): void {
    if (frame.position <= snapshotPosition.value) return
    put({ kind: 'thinking', id: frame.id, text: frame.thinking, createdAt: frame.timestamp })
    finishStreaming(frame.id)
  }

  function addToolUse(frame: ToolUseBlockFrame): void {
    if (frame.position <= snapshotPosition.value) return
    put({ kind: 'tool_use', id: frame.id, toolName: frame.tool_name, input: frame.tool_input, createdAt: frame.timestamp })
  }

  function appendChunk(blockId: string, chunk: string): void {
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
        put({ kind: 'text', id: accepted.message_id, sender: 'user', text: message, createdAt: new Date().toISOString(), pending: true })
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
    addThinking,
    addToolUse,
    appendChunk,
    setTyping,
    send,
  }
})
