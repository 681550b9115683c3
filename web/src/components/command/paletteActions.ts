/** The Cmd/Ctrl+K palette's actions, built from the live agents and narrowed by what is typed. */
import type { AgentRow } from '../../api/types'

export type PaletteAction =
  | { id: string; kind: 'create'; label: string }
  | { id: string; kind: 'token'; label: string }
  | { id: string; kind: 'command' | 'interrupt' | 'delete'; label: string; agent: string }

const BUSY: ReadonlySet<AgentRow['status']> = new Set(['executing', 'waiting', 'blocked'])

export function paletteActions(agents: readonly AgentRow[]): PaletteAction[] {
  const actions: PaletteAction[] = [{ id: 'create', kind: 'create', label: 'Create agent' }]
  for (const { name, status } of agents) {
    actions.push({ id: `command:${name}`, kind: 'command', label: `Command ${name}`, agent: name })
    if (BUSY.has(status)) actions.push({ id: `interrupt:${name}`, kind: 'interrupt', label: `Interrupt ${name}`, agent: name })
    actions.push({ id: `delete:${name}`, kind: 'delete', label: `Delete ${name}`, agent: name })
  }
  actions.push({ id: 'token', kind: 'token', label: 'Set access token (for servers with O3S_TOKEN)' })
  return actions
}

/** Every typed word must occur in the label, in any order ("del build" finds "Delete builder"). */
export function filterActions(actions: readonly PaletteAction[], query: string): PaletteAction[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean)
  return actions.filter((action) => words.every((word) => action.label.toLowerCase().includes(word)))
}
