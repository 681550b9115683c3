/** Worker agents folded from the snapshot and the stream, plus the sidebar's selection and activity pulse. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AgentRow, AgentStatus, UsageDelta } from '../api/types'

/** An agent pulses while events arrive and stops this long after the last one (debounce against flicker). */
export const PULSE_QUIET_MS = 300

export const useAgentsStore = defineStore('agents', () => {
  const byId = ref<Record<string, AgentRow>>({})
  const selectedId = ref<string | null>(null)
  const pulsing = ref<Record<string, true>>({})
  const snapshotPosition = ref(0)
  const pulseTimers = new Map<string, ReturnType<typeof setTimeout>>()

  const list = computed(() =>
    Object.values(byId.value)
      .filter((agent) => agent.status !== 'deleted')
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.name.localeCompare(b.name)),
  )
  const selected = computed(() => (selectedId.value ? (byId.value[selectedId.value] ?? null) : null))
  /** What every agent this view knows spent, deleted ones included. */
  const totals = computed(() =>
    Object.values(byId.value).reduce(
      (sum, agent) => ({
        cost: sum.cost + agent.total_cost,
        input: sum.input + agent.input_tokens,
        output: sum.output + agent.output_tokens,
      }),
      { cost: 0, input: 0, output: 0 },
    ),
  )

  const isNew = (at: number) => at > snapshotPosition.value

  function loadSnapshot(agents: AgentRow[], at: number): void {
    byId.value = Object.fromEntries(agents.map((agent) => [agent.id, agent]))
    snapshotPosition.value = at
  }

  function upsert(agent: AgentRow, at: number): void {
    if (isNew(at)) byId.value[agent.id] = agent
  }

  function patch(agentId: string, at: number, change: Partial<AgentRow>): void {
    const agent = byId.value[agentId]
    if (agent && isNew(at)) byId.value[agentId] = { ...agent, ...change }
  }

  function addUsage(agentId: string, delta: UsageDelta, at: number): void {
    const agent = byId.value[agentId]
    if (!agent || !isNew(at)) return
    byId.value[agentId] = {
      ...agent,
      input_tokens: agent.input_tokens + delta.input_tokens,
      output_tokens: agent.output_tokens + delta.output_tokens,
      total_cost: agent.total_cost + delta.total_cost,
    }
  }

  function setStatus(agentId: string, status: AgentStatus, at: number): void {
    patch(agentId, at, { status })
    if (status === 'deleted' && selectedId.value === agentId) selectedId.value = null
  }

  function remove(agentId: string, at: number): void {
    setStatus(agentId, 'deleted', at)
  }

  function countLog(agentId: string, at: number): void {
    const agent = byId.value[agentId]
    if (agent && isNew(at)) byId.value[agentId] = { ...agent, log_count: agent.log_count + 1 }
    pulse(agentId)
  }

  function pulse(agentId: string): void {
    const previous = pulseTimers.get(agentId)
    if (previous !== undefined) clearTimeout(previous)
    if (!pulsing.value[agentId]) pulsing.value[agentId] = true
    pulseTimers.set(
      agentId,
      setTimeout(() => {
        pulseTimers.delete(agentId)
        delete pulsing.value[agentId]
      }, PULSE_QUIET_MS),
    )
  }

  function select(agentId: string | null): void {
    selectedId.value = selectedId.value === agentId ? null : agentId
  }

  function byName(name: string): AgentRow | undefined {
    return list.value.find((agent) => agent.name === name)
  }

  function $reset(): void {
    for (const timer of pulseTimers.values()) clearTimeout(timer)
    pulseTimers.clear()
    byId.value = {}
    pulsing.value = {}
    selectedId.value = null
    snapshotPosition.value = 0
  }

  return {
    byId,
    selectedId,
    pulsing,
    snapshotPosition,
    list,
    selected,
    totals,
    loadSnapshot,
    upsert,
    patch,
    addUsage,
    setStatus,
    remove,
    countLog,
    pulse,
    select,
    byName,
    $reset,
  }
})
