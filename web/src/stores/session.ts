/** The orchestrator session: identity, backend, costs, slash commands, templates and the live connection's state. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AgentTemplate, OrchestratorRow, SlashCommand, StateSnapshot } from '../api/types'

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

  function applyOrchestrator(next: OrchestratorRow, at: number): void {
    if (at <= snapshotPosition.value) return
    orchestrator.value = next
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
    applyOrchestrator,
    advance,
  }
})
