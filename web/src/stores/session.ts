/** The orchestrator session: identity, backend, costs, slash commands, templates and the live connection's state. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AgentTemplate, OrchestratorRow, OrchestratorUpdatedFrame, SlashCommand, StateSnapshot } from '../api/types'

export type ConnectionState = 'idle' | 'loading' | 'connecting' | 'live' | 'reconnecting'

export const useSessionStore = defineStore('session', () => {
  const orchestrator = ref<OrchestratorRow | null>(null)
  const slashCommands = ref<SlashCommand[]>([])
  const templates = ref<AgentTemplate[]>([])
  const snapshotPosition = ref(0)
  const position = ref(0)
  const connection = ref<ConnectionState>('idle')
  const reconnectAttempts = ref(0)
  const loadError = ref<string | null>(null)

  const backend = computed(() => orchestrator.value?.backend ?? null)

  function loadSnapshot(state: StateSnapshot): void {
    orchestrator.value = state.orchestrator
    slashCommands.value = state.slash_commands
    templates.value = state.templates
    snapshotPosition.value = state.position
    position.value = Math.max(position.value, state.position)
  }

  /** Non-null fields replace the orchestrator's; a delta (a finished turn) adds to its totals. */
  function applyOrchestratorUpdate(frame: OrchestratorUpdatedFrame, at: number): void {
    const current = orchestrator.value
    if (!current || at <= snapshotPosition.value) return
    const { working_dir, model, delta } = frame
    orchestrator.value = {
      ...current,
      working_dir: working_dir ?? current.working_dir,
      model: model ?? current.model,
      input_tokens: current.input_tokens + (delta?.input_tokens ?? 0),
      output_tokens: current.output_tokens + (delta?.output_tokens ?? 0),
      total_cost: current.total_cost + (delta?.total_cost ?? 0),
    }
  }

  function advance(to: number): void {
    if (to > position.value) position.value = to
  }

  return {
    orchestrator,
    slashCommands,
    templates,
    snapshotPosition,
    position,
    connection,
    reconnectAttempts,
    loadError,
    backend,
    loadSnapshot,
    applyOrchestratorUpdate,
    advance,
  }
})
