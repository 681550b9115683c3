/** The event stream's rows: append-only, filtered incrementally so 100k rows stay cheap to follow. */
import { defineStore } from 'pinia'
import { computed, markRaw, reactive, ref, shallowRef, triggerRef, watch } from 'vue'
import type { EventsPage } from '../api/types'
import { itemOfRow, matcher, type EventItem, type FilterState, type StreamFilter } from './eventItem'

/** Past this many rows the oldest are dropped; the full history stays queryable through /get_events. */
export const MAX_ROWS = 200_000

// A loop, not push(...items): spreading a very large batch overflows the call stack.
function pushAll<T>(target: T[], items: T[]): void {
  for (const item of items) target.push(item)
}

export const useEventsStore = defineStore('events', () => {
  // Plain arrays behind shallow refs: Vue must not walk 100k rows to make them deeply reactive.
  const rows = shallowRef<EventItem[]>(markRaw([]))
  const visible = shallowRef<EventItem[]>(markRaw([]))
  const snapshotPosition = ref(0)
  const mode = ref<StreamFilter>('combined')
  const agentId = ref<string | null>(null)
  const text = ref('')
  const errorCount = ref(0)
  /** Summaries that came after their row (agent_summary_update), by the summarised row's id. */
  const summaries = reactive(new Map<string, string>())
  const countErrors = (items: EventItem[]) => items.reduce((count, item) => count + (item.isError ? 1 : 0), 0)

  const filter = computed<FilterState>(() => ({ mode: mode.value, agentId: agentId.value, text: text.value }))
  let matches = matcher(filter.value)

  function refilter(): void {
    matches = matcher(filter.value)
    visible.value = markRaw(rows.value.filter(matches))
  }
  watch(filter, refilter)

  function loadSnapshot(page: EventsPage): void {
    const items = page.events.map(itemOfRow)
    rows.value = markRaw(items.sort((a, b) => a.position - b.position))
    summaries.clear()
    snapshotPosition.value = page.position
    errorCount.value = countErrors(rows.value)
    refilter()
  }

  function append(items: EventItem[]): void {
    const fresh = items.filter((item) => item.position > snapshotPosition.value)
    if (fresh.length === 0) return
    const all = rows.value
    pushAll(all, fresh)
    errorCount.value += countErrors(fresh)
    const shown = fresh.filter(matches)
    if (all.length > MAX_ROWS) {
      errorCount.value -= countErrors(all.splice(0, all.length - MAX_ROWS))
      refilter()
    } else if (shown.length > 0) {
      pushAll(visible.value, shown)
      triggerRef(visible)
    }
    triggerRef(rows)
  }

  /** A summary of a row already shown; the stored row gets the same summary, so a reload shows it too. */
  function setSummary(rowId: string, summary: string, at: number): void {
    if (at > snapshotPosition.value) summaries.set(rowId, summary)
  }

  function setMode(next: StreamFilter): void {
    mode.value = next
  }

  function setAgent(next: string | null): void {
    agentId.value = next
  }

  function setText(next: string): void {
    text.value = next
  }

  return {
    rows,
    visible,
    snapshotPosition,
    mode,
    agentId,
    text,
    errorCount,
    summaries,
    loadSnapshot,
    append,
    setSummary,
    setMode,
    setAgent,
    setText,
  }
})
