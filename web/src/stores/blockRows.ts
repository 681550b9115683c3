/**
 * The chat rows the orchestrator's thinking and tool-use blocks become: `thinking_block` and `tool_use_block` frames keep
 * the original system's shape, while the chat table (and so /load_chat and /get_events after a reload) stores them as
 * rows; the same rows live and after a reload. Mirrors projections/orchestrator_chat.py.
 */
import type { ChatRow, ThinkingBlockFrame, ToolUseBlockFrame } from '../api/types'

function blockRow(sessionId: string, id: string, message: string, createdAt: string, position: number, metadata: Record<string, unknown>): ChatRow {
  return {
    id,
    orchestrator_agent_id: sessionId,
    sender_type: 'orchestrator',
    receiver_type: 'user',
    message,
    agent_id: null,
    summary: null,
    metadata,
    created_at: createdAt,
    position,
  }
}

export function thinkingRow(frame: ThinkingBlockFrame, sessionId: string): ChatRow {
  return blockRow(sessionId, frame.id, frame.thinking, frame.timestamp, frame.position, { type: 'thinking', reply_to: frame.reply_to })
}

export function toolUseRow(frame: ToolUseBlockFrame, sessionId: string): ChatRow {
  return blockRow(sessionId, frame.id, frame.tool_name, frame.timestamp, frame.position, {
    type: 'tool_use',
    reply_to: frame.reply_to,
    tool_use_id: frame.tool_use_id,
    tool_name: frame.tool_name,
    tool_input: frame.tool_input,
  })
}
