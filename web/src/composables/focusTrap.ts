/** Keeps Tab and Shift+Tab cycling inside a modal element, as a dialog should. */

const FOCUSABLE = 'input:not([disabled]), select, textarea, button:not([disabled]), [tabindex="0"]'

export function keepFocusInside(container: HTMLElement | null, event: KeyboardEvent): void {
  const focusable = container?.querySelectorAll<HTMLElement>(FOCUSABLE)
  if (!focusable || focusable.length === 0) return
  const first = focusable[0]!
  const last = focusable[focusable.length - 1]!
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault()
    last.focus()
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault()
    first.focus()
  }
}
