/** The highlighted entry of a keyboard-driven list (completions, palette actions): moves with wrap-around. */
import { ref } from 'vue'

export function useListNavigation(count: () => number) {
  const active = ref(0)

  function move(step: number): void {
    const size = count()
    if (size === 0) return
    active.value = (((active.value + step) % size) + size) % size
  }

  return { active, move }
}
