/** Folds snapshots and stream events into the stores: the SPA's state is a projection of the event log. */
import type { ChatRow, EventsPage, StateSnapshot, StreamEvent } from '../api/types'
import { useAgentsStore } from './agents'
import { thinkingRow, toolUseRow } from './blockRows'
import { useChatStore } from './chat'
import { agentLogItem, chatItem, errorItem, systemLogItem, type EventItem } from './eventItem'
import { useEventsStore } from './events'
import { useSessionStore } from './session'

// Notices without a stored row carry no timestamp of their own: they are shown at the time they arrive.
const now = () => new Date().toISOString()

export function useFold() {
  const session = useSessionStore()
  const agents = useAgentsStore()
  const events = useEventsStore()
  const chat = useChatStore()

  function applySnapshot(state: StateSnapshot, page: EventsPage): void {
    session.loadSnapshot(state)
    agents.loadSnapshot(state.agents, state.position)
    chat.loadSnapshot(state.chat, state.position, state.orchestrator?.status === 'executing')
    events.loadSnapshot(page)
  }

  /** Applies a batch in order; event-stream rows are appended once per batch to keep rendering cheap. */
  function applyBatch(batch: readonly StreamEvent[]): void {
    const rows: EventItem[] = []
    for (const event of batch) {
      const row = applyOne(event)
      if (row) rows.push(row)
      if (event.position !== null) session.advance(event.position)
    }
    events.append(rows)
  }

  function chatRow(row: ChatRow, at: number): EventItem {
    chat.addMessage(row, at)
    if (row.sender_type === 'user' && row.receiver_type === 'orchestrator') session.markWorking(at)
    return chatItem(row, at)
  }

  function applyOne(event: StreamEvent): EventItem | null {
    const at = event.position ?? 0
    switch (event.type) {
      case 'agent_created':
        agents.upsert(event.data.agent, at)
        return null
      case 'agent_updated': {
        const { agent_id, delta, log } = event.data
        agents.addUsage(agent_id, delta, at)
        agents.countLog(agent_id, at)
        session.addAgentCost(delta, at)
        return agentLogItem(log, at)
      }
      case 'agent_status_changed':
        agents.setStatus(event.data.agent_id, event.data.new_status, at)
        agents.pulse(event.data.agent_id)
        return null
      case 'agent_deleted':
        agents.remove(event.data.agent_id, at)
        return null
      case 'agent_summary_update':
        agents.patch(event.data.agent_id, at, { latest_summary: event.data.summary })
        events.setSummary(event.data.subject_id, event.data.summary, at)
        return null
      case 'agent_log':
        agents.countLog(event.data.log.agent_id, at)
        return agentLogItem(event.data.log, at)
      case 'orchestrator_chat':
        return chatRow(event.data.message, at)
      case 'thinking_block':
        return session.sessionId ? chatRow(thinkingRow(event.data, session.sessionId), at) : null
      case 'tool_use_block':
        return session.sessionId ? chatRow(toolUseRow(event.data, session.sessionId), at) : null
      case 'orchestrator_updated':
        session.applyOrchestratorUpdate(event.data, at)
        if (event.data.delta && at > session.snapshotPosition) chat.setTyping(false)
        return null
      case 'system_log':
        return systemLogItem(event.data.log, at)
      case 'error': {
        const { log, agent_id } = event.data
        if (log) {
          if (agent_id) agents.countLog(agent_id, at)
          return agentLogItem(log, at)
        }
        return errorItem(event.data.message, event.data.level, agent_id, at, now())
      }
      case 'chat_typing':
        chat.setTyping(event.data.is_typing)
        return null
      case 'chat_stream':
        chat.appendChunk(event.data.block_id, event.data.chunk)
        return null
    }
  }

  return { applySnapshot, applyBatch }
}
