/** Short-lived notifications; problem+json errors from the backend land here as readable text. */
import { defineStore } from 'pinia'
import { ref } from 'vue'
import { ApiError } from '../api/client'

export type ToastKind = 'error' | 'info'

export interface Toast {
  id: number
  kind: ToastKind
  title: string
  detail: string | null
}

const LIFETIME_MS = 7000

export const useToastsStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((toast) => toast.id !== id)
  }

  function push(kind: ToastKind, title: string, detail: string | null = null): number {
    const id = nextId++
    toasts.value = [...toasts.value.slice(-4), { id, kind, title, detail }]
    setTimeout(() => dismiss(id), LIFETIME_MS)
    return id
  }

  function reportError(error: unknown, context?: string): void {
    if (error instanceof ApiError) {
      const { title, detail, status } = error.problem
      const heading = context ? `${context}: ${title}` : title
      const hint = status === 401 || status === 403 ? 'Set the access token: Ctrl+K → Set access token.' : null
      push('error', status ? `${heading} (${status})` : heading, [detail, hint].filter(Boolean).join('\n') || null)
    } else {
      push('error', context ?? 'Something went wrong', error instanceof Error ? error.message : String(error))
    }
  }

  return { toasts, push, dismiss, reportError }
})
