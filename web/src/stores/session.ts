/** The orchestrator session: identity, backend, costs, slash commands, templates and the live connection's state. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AgentTemplate, OrchestratorRow, OrchestratorUpdatedFrame, SlashCommand, StateSnapshot, UsageDelta } from '../api/types'

export type ConnectionState = 'idle' | 'loading' | 'connecting' | 'live' | 'reconnecting'

export const useSessionStore = defineStore('session', () => {
  const orchestrator = ref<OrchestratorRow | null>(null)
  /** The model backend (`claude` or `sim`), from /health: the session row does not record it. */
  const backend = ref<string | null>(null)
  const slashCommands = ref<SlashCommand[]>([])
  const templates = ref<AgentTemplate[]>([])
  const snapshotPosition = ref(0)
  const position = ref(0)
  const connection = ref<ConnectionState>('idle')
  const reconnectAttempts = ref(0)
  const loadError = ref<string | null>(null)

  const sessionId = computed(() => orchestrator.value?.id ?? null)

  function loadSnapshot(state: StateSnapshot): void {
    orchestrator.value = state.orchestrator
    slashCommands.value = state.slash_commands
    templates.value = state.templates
    snapshotPosition.value = state.position
    position.value = Math.max(position.value, state.position)
  }

  const isNew = (at: number) => orchestrator.value !== null && at > snapshotPosition.value

  /** Non-null fields replace the orchestrator's; a delta (a finished turn) adds to its totals and ends its work. */
  function applyOrchestratorUpdate(frame: OrchestratorUpdatedFrame, at: number): void {
    const current = orchestrator.value
    if (!current || !isNew(at)) return
    const { working_dir, model, delta } = frame
    orchestrator.value = {
      ...current,
      working_dir: working_dir ?? current.working_dir,
      model: model ?? current.model,
      // A started or resumed session, or a finished turn, leaves the orchestrator idle.
      status: delta || working_dir !== null ? 'idle' : current.status,
      input_tokens: current.input_tokens + (delta?.input_tokens ?? 0),
      output_tokens: current.output_tokens + (delta?.output_tokens ?? 0),
      total_cost: current.total_cost + (delta?.total_cost ?? 0),
    }
  }

  /** A user's message sets the orchestrator to work, as the session table records it. */
  function markWorking(at: number): void {
    if (orchestrator.value && isNew(at)) orchestrator.value = { ...orchestrator.value, status: 'executing' }
  }

  /** An agent's finished turn adds to what the session's agents spent (the table's `agents_cost`). */
  function addAgentCost(delta: UsageDelta, at: number): void {
    if (orchestrator.value && isNew(at)) orchestrator.value = { ...orchestrator.value, agents_cost: orchestrator.value.agents_cost + delta.total_cost }
  }

  function advance(to: number): void {
    if (to > position.value) position.value = to
  }

  return {
    orchestrator,
    backend,
    slashCommands,
    templates,
    snapshotPosition,
    position,
    connection,
    reconnectAttempts,
    loadError,
    sessionId,
    loadSnapshot,
    applyOrchestratorUpdate,
    markWorking,
    addAgentCost,
    advance,
  }
})
