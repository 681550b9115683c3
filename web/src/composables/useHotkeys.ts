/** Global keyboard shortcuts: a key combination → an action, registered for the component's lifetime. */
import { onBeforeUnmount, onMounted } from 'vue'

export interface Hotkey {
  key: string
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  mod?: boolean
  alt?: boolean
  /** Also fire while typing in a field. */
  inFields?: boolean
  run: (event: KeyboardEvent) => void
}

function inField(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
}

export function matches(hotkey: Hotkey, event: KeyboardEvent): boolean {
  const mod = event.ctrlKey || event.metaKey
  return (
    event.key.toLowerCase() === hotkey.key.toLowerCase() &&
    mod === !!hotkey.mod &&
    event.altKey === !!hotkey.alt &&
    (!!hotkey.inFields || !inField(event.target))
  )
}

export function useHotkeys(hotkeys: Hotkey[]): void {
  const onKeydown = (event: KeyboardEvent) => {
    const hotkey = hotkeys.find((candidate) => matches(candidate, event))
    if (!hotkey) return
    event.preventDefault()
    hotkey.run(event)
  }
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
