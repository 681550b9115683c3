/** Create, command, interrupt and delete agents from the UI; failures become toasts, results arrive via the stream. */
import { api } from '../api/client'
import type { CreateAgent } from '../api/types'
import { useToastsStore } from '../stores/toasts'

export function useAgentCommands() {
  const toasts = useToastsStore()

  async function run(context: string, call: () => Promise<unknown>, done: string): Promise<boolean> {
    try {
      await call()
      toasts.push('info', done)
      return true
    } catch (error) {
      toasts.reportError(error, context)
      return false
    }
  }

  return {
    create: (command: CreateAgent) => run('Create agent', () => api.createAgent(command), `Agent ${command.name} requested`),
    command: (name: string, command: string) =>
      run(`Command ${name}`, () => api.commandAgent(name, { prompt: command }), `Command sent to ${name}`),
    interrupt: (name: string) => run(`Interrupt ${name}`, () => api.interruptAgent(name), `Interrupt sent to ${name}`),
    remove: (name: string) => run(`Delete ${name}`, () => api.deleteAgent(name), `Delete requested for ${name}`),
  }
}
