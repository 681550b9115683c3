/** Folds snapshots and stream events into the stores: the SPA's state is a projection of the event log. */
import type { EventsPage, StateSnapshot, StreamEvent } from '../api/types'
import { useAgentsStore } from './agents'
import { useChatStore } from './chat'
import { agentLogItem, chatItem, errorItem, systemLogItem, turnItem, turnOf, type EventItem } from './eventItem'
import { useEventsStore } from './events'
import { useSessionStore } from './session'

// Turn and error frames carry no timestamp of their own: they are shown at the time they arrive.
const now = () => new Date().toISOString()

export function useFold() {
  const session = useSessionStore()
  const agents = useAgentsStore()
  const events = useEventsStore()
  const chat = useChatStore()

  function applySnapshot(state: StateSnapshot, page: EventsPage): void {
    session.loadSnapshot(state)
    agents.loadSnapshot(state.agents, state.position)
    chat.loadSnapshot(state.chat, state.position)
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

  function applyOne(event: StreamEvent): EventItem | null {
    const at = event.position ?? 0
    switch (event.type) {
      case 'agent_created':
        agents.upsert(event.data.agent, at)
        return null
      case 'agent_updated': {
        const { agent_id, name, delta } = event.data
        agents.addUsage(agent_id, delta, at)
        return turnItem(name ?? agents.byId[agent_id]?.name ?? agent_id, agent_id, turnOf(event.data), at, now())
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
        return null
      case 'agent_log':
        agents.countLog(event.data.log.agent_id, at)
        return agentLogItem(event.data.log, at)
      case 'orchestrator_chat':
        chat.addMessage(event.data.message, at)
        return chatItem(event.data.message, at)
      case 'thinking_block':
        chat.addThinking(event.data)
        return null
      case 'tool_use_block':
        chat.addToolUse(event.data)
        return null
      case 'orchestrator_updated': {
        session.applyOrchestratorUpdate(event.data, at)
        const { delta } = event.data
        return delta ? turnItem('orchestrator', null, { delta, durationMs: null, numTurns: null, isError: false }, at, now()) : null
      }
      case 'system_log':
        return systemLogItem(event.data.log, at)
      case 'error':
        return errorItem(event.data.message, event.data.level, event.data.agent_id, at, now())
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
